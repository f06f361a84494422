"""aks-pod-sandboxing: untrusted code in Kata VM-isolated pods next to trusted code on AKS.

Wiring only: settings are read and checked first (nothing is registered on a bad config), then
the subscription preflight (checked by preview and up before anything else is sent), the
cluster, the Kata pool (its own AgentPool, or with kataPoolPlacement system the cluster's
System pool), the reconcile (the docs' `az aks update`), the runtime-class wait and the pod pair;
then, when configured, the tenants and the sandboxes on demand (agentSandbox). Each component's
arguments come from the settings in stack_args.py.
"""

import functools
from typing import TYPE_CHECKING

import pulumi

import stack_args
from components.azure_linux_cluster import AzureLinuxCluster
from components.cluster_reconcile import cluster_reconcile
from components.kata_runtime_class import runtime_class_wait
from components.node_pools import KATA_POOL, USER_POOL, added_node_pool
from components.preflight import subscription_preflight
from components.sandbox_pods import SandboxPods
from sandboxing import workload
from sandboxing.agent_sandbox.capacity import warm_pool_pods
from sandboxing.preflight_needs import preflight_needs
from sandboxing.sizing import stack_sizing
from sandboxing.workload import pod_pair
from stack_settings import load_settings

# What only an existing cluster or tenants need is imported where they are: a stack without
# them (dev) does not load it at program start.
if TYPE_CHECKING:
    from components.existing_cluster import ExistingCluster

settings = load_settings()
managed_by = f"{pulumi.get_project()}/{pulumi.get_stack()}"


def preflight_for(location: str = "") -> list[pulumi.Resource]:
    """The preflight (preview and up check the subscription first); what Azure work waits on."""
    if not settings.preflight:
        return []
    needs = preflight_needs(settings, location).as_inputs()
    return [subscription_preflight("preflight", needs, stack_args.arm_cloud(settings))]


cluster: "AzureLinuxCluster | ExistingCluster"
if settings.existing_cluster:
    from components.existing_cluster import connect_existing_cluster
    from sandboxing.rules.existing_cluster import check_existing_cluster

    check = functools.partial(check_existing_cluster, settings, managed_by=managed_by)
    cluster = connect_existing_cluster(
        "cluster", settings.resource_group_name, settings.cluster_name, check
    )
    preflight = preflight_for(cluster.location)
else:
    preflight = preflight_for()
    cluster = AzureLinuxCluster("cluster", stack_args.cluster_args(settings), after=preflight)

# systemPoolCriticalAddonsOnly: the User pool for the trusted pod. AKS runs one pool operation per
# cluster at a time (a second gets OperationNotAllowed, "Another agentpool operation ... is in
# progress"), so the Kata pool follows it: the trusted pod then waits for the User pool only, and
# nothing but the untrusted pod waits for the Kata pool.
trusted_after: list[pulumi.Resource] = []
if isinstance(cluster, AzureLinuxCluster) and settings.user_pool:
    user_pool = added_node_pool(
        "user",
        USER_POOL,
        stack_args.user_pool_args(settings),
        cluster.resource_group_name,
        cluster.cluster_name,
    )
    trusted_after = [user_pool]

# Kata nodes -> (reconcile) -> runtime class served -> untrusted pod; nothing else waits for these.
class_after: list[pulumi.Resource]
if isinstance(cluster, AzureLinuxCluster) and settings.kata_on_system_pool:
    # The docs' one-pool cluster: the class arrives with the cluster, no pool is added later
    # (rules refuse it with an existing cluster), so there is nothing to reconcile.
    class_after = [cluster.managed_cluster]
    kata_pool_name = cluster.system_pool_name
else:
    # In existing mode the Kata pool is the first thing sent to Azure: after the preflight (in
    # new mode it follows the cluster, which does).
    pool_after = [*trusted_after, *(preflight if settings.existing_cluster else [])]
    kata_pool = added_node_pool(
        "kata",
        KATA_POOL,
        stack_args.kata_pool_args(settings, managed_by),
        cluster.resource_group_name,
        cluster.cluster_name,
        after=pool_after,
    )
    class_after = [kata_pool]
    kata_pool_name = kata_pool.name
    if settings.reconcile_after_kata_pool:
        reconcile = cluster_reconcile(
            "kata-reconcile",
            cluster.cluster_id,
            after=[kata_pool],
            cloud=stack_args.arm_cloud(settings),
        )
        class_after.append(reconcile)
runtime_class = runtime_class_wait(
    "kata-runtime-class",
    settings.effective_runtime_class,
    cluster.kubeconfig,
    cluster.cluster_name,
    cluster.resource_group_name,
    settings.runtime_class_wait_seconds,
    after=class_after,
)
pods = SandboxPods(
    "sandbox",
    pod_pair(settings),
    cluster.provider,
    runtime_class.class_name,
    trusted_after=trusted_after,
    untrusted_replaced_with=[runtime_class],
)

# Tenants need only the API server: admission policy first, then each tenant's namespace. The
# sandbox namespace of agentSandbox is fenced by the same pod policy. Imported only when used.
if settings.tenants or settings.agent_sandbox:
    from components.tenant_admission import TenantAdmission

    admission = TenantAdmission(
        "tenant-admission",
        settings.effective_runtime_class,
        workload.kata_pool_name(settings),
        cluster.provider,
    )
if settings.tenants:
    from components.sandbox_tenant import SandboxTenant
    from sandboxing.tenants.manifests import tenant_objects

    tenant_namespaces = [
        SandboxTenant(
            f"tenant-{tenant.name}",
            tenant_objects(tenant, settings),
            cluster.provider,
            after=admission.bindings,
        ).namespace
        for tenant in settings.tenants
    ]
    pulumi.export("tenantNamespaces", tenant_namespaces)

# Sandboxes on demand: the controller and the sandbox namespace need only the API server; the
# warm pool alone waits for the runtime class.
if settings.agent_sandbox:
    from components.agent_sandbox import AgentSandboxController
    from components.sandbox_pool import SandboxPool
    from sandboxing.agent_sandbox.outputs import agent_sandbox_output

    controller = AgentSandboxController(
        "agent-sandbox", stack_args.agent_sandbox_controller_args(settings), cluster.provider
    )
    SandboxPool(
        "sandboxes",
        stack_args.sandbox_pool_args(settings),
        cluster.provider,
        crds=controller.crds,
        runtime_class=runtime_class,
        after=admission.bindings,
    )
    pulumi.export("agentSandbox", agent_sandbox_output(settings))

pulumi.export("kubeconfig", cluster.kubeconfig)
pulumi.export("resourceGroupName", cluster.resource_group_name)
pulumi.export("clusterName", cluster.cluster_name)
pulumi.export("kataNodePoolName", kata_pool_name)
pulumi.export("runtimeClassName", runtime_class.class_name)
pulumi.export("podNamespace", pods.namespace)
pulumi.export("trustedPodName", pods.trusted_pod_name)
pulumi.export("untrustedPodName", pods.untrusted_pod_name)
# The capacity plan counts an agentSandbox warm pool as held back of the Kata pool.
reserved = warm_pool_pods(settings)
pulumi.export("sandboxSizing", stack_sizing(settings, reserved_pods=reserved).as_output())
