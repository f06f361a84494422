"""Yardstick: the same cloud objects as `__main__.py`, registered directly.

No validation, no ComponentResources, no sizing: the least Pulumi code that asks for the same
deployment (same types, names, inputs, providers and dependencies). The dynamic resources (the
preflight, the reconcile and the runtime-class wait) and the pods' command are the program's
own: they are what gets deployed, not the code around it. It reads only the config keys
the dev stack sets and spells every other value as the program's default, so the two register
identical inputs; `benchmarks.run` checks that before it times anything, so a drift in either
file fails loudly instead of skewing the ratio.

Run it through the harness: `run_program(stack_config("dev"), program=yardstick.main)`.
`in_components` registers the same objects inside the program's two ComponentResources (same
type tokens, names and parents, each a subclass as the program's are, empty outputs): what the
component tree itself costs. The dynamic resources and the Kata pool carry the program's aliases
to the components they sat in until December 2026 (components.former_components) in both: they
are part of what the engine is asked for.
"""

from __future__ import annotations

import base64
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
from pulumi_azure_native import authorization, containerservice, resources

from components.cluster_reconcile import FORMER_COMPONENT as RECONCILE_COMPONENT
from components.cluster_reconcile import ClusterReconcileResource
from components.former_components import former_component
from components.kata_runtime_class import FORMER_COMPONENT as WAIT_COMPONENT
from components.kata_runtime_class import RuntimeClassWait
from components.node_pools import KATA_POOL
from components.preflight import FORMER_COMPONENT as PREFLIGHT_COMPONENT
from components.preflight import PreflightResource
from sandboxing import catalog
from sandboxing.config.settings import PROJECT
from sandboxing.keys import KEYS_BY_NAME
from sandboxing.preflight_needs import BRING_YOUR_OWN_PUBLIC_IP
from sandboxing.workload import POD_COMMAND, RUN_AS_USER


def _default(key: str) -> Any:
    """A key's default, from its declaration: the yardstick retypes no value the keys own."""
    return KEYS_BY_NAME[key].default


NAMESPACE = _default("podNamespace")
TAINT = _default("kataNodeTaint")
TAINT_KEY = TAINT.split("=", 1)[0]
PSA = {
    f"pod-security.kubernetes.io/{mode}{suffix}": value
    for mode in ("enforce", "audit", "warn")
    for suffix, value in (("", "restricted"), ("-version", catalog.POD_SECURITY_VERSION))
}


# Kubernetes inputs in the API's camelCase wire shape, as the program sends them; the SDK's
# TypedDicts spell keys in snake_case, hence `Any`.
def _pod_spec(name: str) -> Any:
    limits = {"cpu": _default("podCpuLimit"), "memory": _default("podMemoryLimit")}
    return {
        "serviceAccountName": "sandbox",
        "automountServiceAccountToken": False,
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": RUN_AS_USER,
            "runAsGroup": RUN_AS_USER,
            "fsGroup": RUN_AS_USER,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "containers": [
            {
                "name": name,
                "image": _default("podImage"),
                "command": POD_COMMAND,
                "resources": {"limits": dict(limits), "requests": dict(limits)},
                "securityContext": {
                    "allowPrivilegeEscalation": False,
                    "privileged": False,
                    "readOnlyRootFilesystem": True,
                    "runAsNonRoot": True,
                    "capabilities": {"drop": ["ALL"]},
                    "seccompProfile": {"type": "RuntimeDefault"},
                },
            }
        ],
    }


def _pod_metadata(name: str) -> Any:
    labels = {"app.kubernetes.io/part-of": PROJECT, "sandbox": name}
    return {"name": name, "namespace": NAMESPACE, "labels": labels}


DENY_ALL: Any = {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


def _decode(creds: containerservice.ListManagedClusterUserCredentialsResult) -> str:
    return base64.b64decode(creds.kubeconfigs[0].value).decode("utf-8")


# The program's ComponentResources: the key each child names its parent by, type token, name.
TREE = {
    "cluster": ("aks-pod-sandboxing:azure:AzureLinuxCluster", "cluster"),
    "sandbox": ("aks-pod-sandboxing:kubernetes:SandboxPods", "sandbox"),
}


def main() -> None:
    _register({})


class _Component(pulumi.ComponentResource):
    """A component as the program's are, a subclass: the SDK records where each resource was
    declared from the third `__init__` frame up (pulumi/runtime/resource.py `_get_stack_trace`),
    so it takes a stack trace of each of the program's components and of none made directly."""

    def __init__(self, token: str, name: str) -> None:
        super().__init__(token, name)


def in_components() -> None:
    tree: dict[str, pulumi.ComponentResource] = {
        key: _Component(token, name) for key, (token, name) in TREE.items()
    }
    _register(tree)
    for component in tree.values():
        component.register_outputs({})


def _register(parents: dict[str, pulumi.ComponentResource]) -> None:
    """Every cloud object, each child of `parents[its key]` where there is one."""
    config = pulumi.Config(PROJECT)
    location = pulumi.Config("azure-native").require("location")
    version = config.get("kubernetesVersion") or None

    kata_size = config.get("kataNodeVmSize") or _default("kataNodeVmSize")
    kata_count = config.get_int("kataNodeCount") or 1
    client = authorization.get_client_config_output()
    byoip = BRING_YOUR_OWN_PUBLIC_IP
    needs = {
        "location": location,
        "providers": ["Microsoft.ContainerService", "Microsoft.Compute", "Microsoft.Network"],
        "features": [{"namespace": byoip.namespace, "name": byoip.name, "required": False,
                      "why": byoip.why}],
        "pools": [
            {"key": "systemNodeVmSize", "vm_size": "Standard_D2s_v5", "nodes": 1,
             "name": "system", "zones": [], "surge": 1},
            {"key": "kataNodeVmSize", "vm_size": kata_size, "nodes": kata_count,
             "name": "katapool", "zones": [], "surge": 1},
        ],
        "kubernetes_version": version or "", "support_plan": "KubernetesOfficial",
        "existing_cluster": False, "resource_group": config.get("resourceGroupName") or "",
        "cluster_name": config.get("clusterName") or "",
    }  # fmt: skip
    preflight = PreflightResource(
        "preflight-run",
        {"subscription_id": client.subscription_id, "tenant_id": client.tenant_id,
         "cloud": "public", "needs": needs},
        pulumi.ResourceOptions(
            aliases=[former_component(PREFLIGHT_COMPONENT, "preflight")]),
    )  # fmt: skip
    group = resources.ResourceGroup(
        "cluster-rg", resource_group_name=config.get("resourceGroupName"), location=location,
        opts=pulumi.ResourceOptions(depends_on=[preflight], parent=parents.get("cluster")),
    )  # fmt: skip
    cluster = containerservice.ManagedCluster(
        "cluster-aks",
        resource_group_name=group.name,
        resource_name_=config.get("clusterName"),
        location=group.location,
        dns_prefix=config.get("clusterName") or "podsandbox",
        kubernetes_version=version,
        identity=containerservice.ManagedClusterIdentityArgs(
            type=containerservice.ResourceIdentityType.SYSTEM_ASSIGNED
        ),
        enable_rbac=True,
        agent_pool_profiles=[
            containerservice.ManagedClusterAgentPoolProfileArgs(
                name=catalog.SYSTEM_POOL_NAME,
                mode="System",
                os_type="Linux",
                os_sku="AzureLinux",
                type="VirtualMachineScaleSets",
                vm_size=_default("systemNodeVmSize"),
                count=1,
            )
        ],
        network_profile=containerservice.ContainerServiceNetworkProfileArgs(
            network_plugin="azure",
            network_plugin_mode="overlay",
            network_dataplane=_default("networkPolicyEngine"),
            network_policy=_default("networkPolicyEngine"),
        ),
        auto_upgrade_profile=containerservice.ManagedClusterAutoUpgradeProfileArgs(
            upgrade_channel=_default("autoUpgradeChannel"),
            node_os_upgrade_channel=_default("nodeOsUpgradeChannel"),
        ),
        sku=containerservice.ManagedClusterSKUArgs(name="Base", tier=_default("skuTier")),
        support_plan=_default("supportPlan"),
        opts=pulumi.ResourceOptions(parent=parents.get("cluster")),
    )
    pool = containerservice.AgentPool(
        "kata-pool",
        resource_group_name=group.name,
        resource_name_=cluster.name,
        agent_pool_name=_default("kataNodePoolName"),
        mode="User",
        type="VirtualMachineScaleSets",
        os_type="Linux",
        os_sku="AzureLinux",
        vm_size=kata_size,
        count=kata_count,
        workload_runtime=_default("workloadRuntime"),
        orchestrator_version=version,
        node_taints=[TAINT],
        tags={"pod-sandboxing-stack": f"{pulumi.get_project()}/{pulumi.get_stack()}"},
        upgrade_settings=containerservice.AgentPoolUpgradeSettingsArgs(
            max_surge="1",
            max_unavailable="0",
            drain_timeout_in_minutes=30,
            node_soak_duration_in_minutes=0,
            undrainable_node_behavior="Cordon",
        ),
        opts=pulumi.ResourceOptions(aliases=[former_component(KATA_POOL, "kata")]),
    )
    credentials = containerservice.list_managed_cluster_user_credentials_output(
        resource_group_name=group.name, resource_name=cluster.name
    )
    secret: pulumi.Output[containerservice.ListManagedClusterUserCredentialsResult] = (
        pulumi.Output.secret(credentials)
    )
    kubeconfig = secret.apply(_decode)
    provider = k8s.Provider(
        "cluster-k8s",
        kubeconfig=kubeconfig,
        cluster_identifier=cluster.id,
        opts=pulumi.ResourceOptions(parent=parents.get("cluster")),
    )

    reconcile = ClusterReconcileResource(
        "kata-reconcile-run",
        cluster.id,
        "public",
        pulumi.ResourceOptions(
            depends_on=[pool],
            replace_with=[pool],
            aliases=[former_component(RECONCILE_COMPONENT, "kata-reconcile")],
        ),
    )
    runtime_class = RuntimeClassWait(
        "kata-runtime-class-wait",
        {
            "class_name": catalog.KATA_GA.runtime_class,
            "handler": "kata",
            "cluster_name": cluster.name,
            "resource_group_name": group.name,
            "timeout_seconds": config.get_int("runtimeClassWaitSeconds")
            or _default("runtimeClassWaitSeconds"),
            "kubeconfig": kubeconfig,
        },
        pulumi.ResourceOptions(
            depends_on=[pool, reconcile],
            replace_with=[pool, reconcile],
            aliases=[former_component(WAIT_COMPONENT, "kata-runtime-class")],
        ),
    )
    sandbox = parents.get("sandbox")
    on_cluster = pulumi.ResourceOptions(provider=provider, parent=sandbox)
    namespace = k8s.core.v1.Namespace(
        "sandbox-namespace",
        metadata={"name": NAMESPACE, "labels": {"app.kubernetes.io/part-of": PROJECT, **PSA}},
        opts=on_cluster,
    )
    in_namespace = pulumi.ResourceOptions(provider=provider, depends_on=[namespace], parent=sandbox)
    account = k8s.core.v1.ServiceAccount(
        "sandbox-serviceaccount",
        metadata={"name": "sandbox", "namespace": NAMESPACE},
        automount_service_account_token=False,
        opts=in_namespace,
    )
    k8s.networking.v1.NetworkPolicy(
        "sandbox-default-deny",
        metadata={"name": "default-deny-all", "namespace": NAMESPACE},
        spec=DENY_ALL,
        opts=in_namespace,
    )
    pod_opts = pulumi.ResourceOptions(
        provider=provider, depends_on=[namespace, account], parent=sandbox
    )
    trusted = k8s.core.v1.Pod(
        "trusted", metadata=_pod_metadata("trusted"), spec=_pod_spec("trusted"), opts=pod_opts
    )
    untrusted_spec: Any = {
        **_pod_spec("untrusted"),
        # The class name comes from the wait, as in the program: same dependency edge.
        "runtimeClassName": runtime_class.class_name,
        "nodeSelector": {"kubernetes.azure.com/agentpool": "katapool"},
        "tolerations": [
            {"key": TAINT_KEY, "operator": "Equal", "value": "true", "effect": "NoSchedule"}
        ],
    }
    untrusted = k8s.core.v1.Pod(
        "untrusted", metadata=_pod_metadata("untrusted"), spec=untrusted_spec, opts=pod_opts
    )

    # The program's outputs that come from cloud objects (sandboxSizing is its own arithmetic).
    pulumi.export("kubeconfig", kubeconfig)
    pulumi.export("resourceGroupName", group.name)
    pulumi.export("clusterName", cluster.name)
    pulumi.export("kataNodePoolName", pool.name)
    pulumi.export("runtimeClassName", runtime_class.class_name)
    pulumi.export("podNamespace", namespace.metadata.name)
    pulumi.export("trustedPodName", trusted.metadata.name)
    pulumi.export("untrustedPodName", untrusted.metadata.name)
