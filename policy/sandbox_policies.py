"""Validators of the aks-pod-sandboxing policy pack, importable without starting a server.

`policy/__main__.py` builds the PolicyPack from `POLICIES`; constructing a PolicyPack starts the
analyzer's gRPC server and never returns, so nothing here does. Every fact comes from the
program's own `sandboxing` package (runtime classes, OS SKUs, VM families, the sandboxed-pod
checks, the config contract's defaults): the program and its guard rails cannot drift apart.

Policies see resource inputs the way the engine sends them: camelCase wire names, numbers as
floats, wrapped in pulumi-policy proxies (Mapping/Sequence, not dict/list) that raise
`UnknownValueError` on a value a preview cannot know yet. pulumi-policy turns that error into an
advisory "can't run policy during preview" note; during `pulumi up` the inputs are known and the
mandatory policies run in full before the resource is sent to Azure or Kubernetes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pulumi.runtime
from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyProviderResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from sandboxing import catalog, names, vm_sizes, workload
from sandboxing.config.contract import default_settings, parse_settings
from sandboxing.config.settings import PROJECT
from sandboxing.config.validate import errors, problems_of
from sandboxing.keys import KEYS_BY_NAME

AGENT_POOL = "azure-native:containerservice:AgentPool"
MANAGED_CLUSTER = "azure-native:containerservice:ManagedCluster"
KUBERNETES_PROVIDER = "pulumi:providers:kubernetes"

# The sandbox namespace as the program's config contract defines it, and the label the program
# puts on that namespace and on both pods (workload.namespace / workload.pod).
_DEFAULTS = default_settings()
DEFAULT_SANDBOX_NAMESPACE: str = KEYS_BY_NAME["podNamespace"].default
STACK_NAMESPACE_KEY = f"{PROJECT}:{KEYS_BY_NAME['podNamespace'].name}"
STACK_TENANTS_KEY = f"{PROJECT}:{KEYS_BY_NAME['tenants'].name}"
SANDBOX_LABEL = workload.APP_LABEL
SANDBOX_LABEL_VALUE: str = workload.namespace(_DEFAULTS)["metadata"]["labels"][SANDBOX_LABEL]
KATA_CLASSES = ", ".join(sorted(catalog.KATA_RUNTIME_CLASSES))

# Where each kind keeps the pod it runs: the path from the object to a {metadata, spec} pod.
POD_PATHS: dict[str, tuple[str, ...]] = {
    "kubernetes:core/v1:Pod": (),
    "kubernetes:core/v1:PodTemplate": ("template",),
    "kubernetes:core/v1:ReplicationController": ("spec", "template"),
    "kubernetes:apps/v1:Deployment": ("spec", "template"),
    "kubernetes:apps/v1:ReplicaSet": ("spec", "template"),
    "kubernetes:apps/v1:StatefulSet": ("spec", "template"),
    "kubernetes:apps/v1:DaemonSet": ("spec", "template"),
    "kubernetes:batch/v1:Job": ("spec", "template"),
    "kubernetes:batch/v1:CronJob": ("spec", "jobTemplate", "spec", "template"),
    # agentSandbox: the agent-sandbox controller makes pods of these (sandboxing.agent_sandbox)
    "kubernetes:extensions.agents.x-k8s.io/v1beta1:SandboxTemplate": ("spec", "podTemplate"),
    "kubernetes:agents.x-k8s.io/v1beta1:Sandbox": ("spec", "podTemplate"),
}
CONTAINER_FIELDS = ("initContainers", "containers", "ephemeralContainers")
IMAGE_DIGEST = names.IMAGE_DIGEST


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _shown(value: Any) -> str:
    return "(not set)" if value is None else repr(value)


# --- Pods and pod templates ----------------------------------------------------------------


@dataclass(frozen=True)
class PodShape:
    """A pod, or the pod template of a workload, as a policy sees it."""

    where: str  # how messages name it: "Pod 'untrusted'", "Deployment 'web' (pod template)"
    name: str  # the object's metadata.name (the Pulumi resource name when it has none)
    metadata: Mapping[str, Any]  # the object's own metadata (namespace lives here)
    template_metadata: Mapping[str, Any]  # the pod template's metadata (same as above for a Pod)
    spec: Mapping[str, Any]  # the PodSpec
    provider: PolicyProviderResource | None

    @property
    def runtime_class(self) -> Any:
        return self.spec.get("runtimeClassName")

    def namespace(self) -> str:
        """metadata.namespace, else the Kubernetes provider's default namespace, else default.

        Read only when needed: a namespace taken from another resource's output is unknown
        during a preview, and reading it raises.
        """
        explicit = self.metadata.get("namespace")
        if explicit:
            return str(explicit)
        if self.provider is not None and self.provider.resource_type == KUBERNETES_PROVIDER:
            configured = _mapping(self.provider.props).get("namespace")
            if configured:
                return str(configured)
        return "default"

    def has_sandbox_label(self) -> bool:
        return any(
            _mapping(meta.get("labels")).get(SANDBOX_LABEL) == SANDBOX_LABEL_VALUE
            for meta in (self.metadata, self.template_metadata)
        )


def pod_of(args: ResourceValidationArgs) -> PodShape | None:
    """The pod a resource runs (a Pod, or the template of a Deployment, Job, ...); else None."""
    path = POD_PATHS.get(args.resource_type)
    if path is None:
        return None
    metadata = _mapping(args.props.get("metadata"))
    template: Mapping[str, Any] = args.props
    for key in path:
        template = _mapping(template.get(key))
    name = str(metadata.get("name") or args.name)
    kind = args.resource_type.rsplit(":", 1)[-1]
    where = f"{kind} {name!r}" + (" (pod template)" if path else "")
    return PodShape(
        where=where,
        name=name,
        metadata=metadata,
        template_metadata=_mapping(template.get("metadata")) if path else metadata,
        spec=_mapping(template.get("spec")),
        provider=args.provider,
    )


def validate_kata_pod_hardening(args: ResourceValidationArgs, report: ReportViolation) -> None:
    pod = pod_of(args)
    if pod is None or pod.runtime_class not in catalog.KATA_RUNTIME_CLASSES:
        return
    # sandboxed_pod_violations only reads with .get/iteration, which the engine's Mapping proxy
    # supports; converting to a dict first would trip over unknown values it never reads.
    for problem in workload.sandboxed_pod_violations(pod.spec):
        report(f"{pod.where}: {problem}", None)


def sandbox_namespaces(config: Mapping[str, Any]) -> set[str]:
    """Policy config `sandboxNamespaces` (default: the contract's podNamespace default), plus the
    stack's own `aks-pod-sandboxing:podNamespace`.

    The CLI hands a policy pack the stack's config (PULUMI_CONFIG), so a stack that moves the
    pair to another namespace stays covered without extra policy config.
    """
    namespaces = {str(n) for n in config.get("sandboxNamespaces", [DEFAULT_SANDBOX_NAMESPACE])}
    stack_namespace = pulumi.runtime.get_config(STACK_NAMESPACE_KEY)
    if stack_namespace:
        namespaces.add(str(stack_namespace))
    return namespaces


def tenant_namespaces() -> set[str]:
    """The namespaces of the stack's tenants (its `aks-pod-sandboxing:tenants`): sandbox
    namespaces in which no pod is exempt, not even one named like a trusted pod."""
    # Read as the program reads it; a value it refuses counts as no tenants here.
    raw = {KEYS_BY_NAME["tenants"].name: pulumi.runtime.get_config(STACK_TENANTS_KEY)}
    return {tenant.namespace for tenant in parse_settings(raw)[0].tenants if tenant.name}


def sandbox_membership(pod: PodShape, namespaces: set[str]) -> str | None:
    """Why the pod belongs to the sandbox, or None. The label is checked first: it decides
    without reading the namespace, which may be unknown during a preview."""
    if pod.has_sandbox_label():
        return f"labelled {SANDBOX_LABEL}={SANDBOX_LABEL_VALUE}"
    namespace = pod.namespace()
    return f"in sandbox namespace {namespace!r}" if namespace in namespaces else None


def validate_sandbox_pods_use_kata(args: ResourceValidationArgs, report: ReportViolation) -> None:
    pod = pod_of(args)
    if pod is None:
        return
    config = args.get_config()
    trusted = {str(n) for n in config.get("trustedPods", [workload.TRUSTED_POD])}
    tenants = tenant_namespaces()
    if pod.name in trusted and not (tenants and pod.namespace() in tenants):
        return
    membership = sandbox_membership(pod, sandbox_namespaces(config) | tenants)
    if membership is None or pod.runtime_class in catalog.KATA_RUNTIME_CLASSES:
        return
    report(
        f"{pod.where} is {membership} but would run on the node's shared kernel: "
        f"runtimeClassName is {_shown(pod.runtime_class)}, expected one of {KATA_CLASSES}. "
        f"Only the trusted pods ({', '.join(sorted(trusted))}) may run without Kata.",
        None,
    )


def validate_images_pinned_by_digest(args: ResourceValidationArgs, report: ReportViolation) -> None:
    pod = pod_of(args)
    if pod is None:
        return
    for field in CONTAINER_FIELDS:
        for container in pod.spec.get(field) or []:
            image = container.get("image")
            if not (isinstance(image, str) and IMAGE_DIGEST.search(image)):
                report(
                    f"{pod.where}: container {container.get('name')!r} image {_shown(image)} "
                    "is not pinned by digest; a tag can be moved to other content "
                    "(use <image>@sha256:<digest>)",
                    None,
                )


# --- Kata node pools -----------------------------------------------------------------------


def kata_pools(args: ResourceValidationArgs) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(where, pool) for every pool with a Kata workloadRuntime: an AgentPool, or the inline
    agentPoolProfiles of a ManagedCluster."""
    if args.resource_type == AGENT_POOL:
        if args.props.get("workloadRuntime") in catalog.SANDBOX_RUNTIMES:
            yield f"AgentPool {args.name!r}", args.props
    elif args.resource_type == MANAGED_CLUSTER:
        for i, pool in enumerate(args.props.get("agentPoolProfiles") or []):
            if pool.get("workloadRuntime") in catalog.SANDBOX_RUNTIMES:
                yield (
                    f"ManagedCluster {args.name!r} agentPoolProfiles[{i}] {pool.get('name')!r}",
                    pool,
                )


def kata_pool_problems(pool: Mapping[str, Any], allow_unlisted_vm_size: bool) -> list[str]:
    """The program's own checks of kataOsSku and kataNodeVmSize, on a pool's wire inputs.

    Errors only: what the program merely warns about (osSKU AzureLinux3) passes here too.
    """
    os_sku, vm_size = pool.get("osSKU"), pool.get("vmSize")
    settings = default_settings(
        kata_os_sku=str(os_sku or ""),
        kata_node_vm_size=str(vm_size or ""),
        allow_unlisted_vm_size=allow_unlisted_vm_size,
    )
    fields = {"kataOsSku": ("osSKU", os_sku), "kataNodeVmSize": ("vmSize", vm_size)}
    return [
        f"{fields[problem.key][0]} {_shown(fields[problem.key][1])}: {problem.message}"
        for problem in errors(problems_of(settings, *fields))
    ]


def validate_kata_node_pools(args: ResourceValidationArgs, report: ReportViolation) -> None:
    # Only the policy's own config may accept an unlisted size, not the stack's
    # allowUnlistedVmSize: a guard rail that the guarded stack can switch off guards nothing.
    allow_unlisted = bool(args.get_config().get("allowUnlistedVmSize", False))
    for where, pool in kata_pools(args):
        for problem in kata_pool_problems(pool, allow_unlisted):
            report(f"{where}: {problem}", None)


# --- The policies --------------------------------------------------------------------------

KATA_POD_HARDENING = ResourceValidationPolicy(
    name="kata-pod-hardening",
    description=(
        f"Pods (and pod templates) with a Kata runtime class ({KATA_CLASSES}) use no "
        "hostNetwork, hostPID, hostIPC, privileged containers or hostPath volumes, and every "
        f"container has a memory limit of at least {catalog.MIN_POD_VM_MEMORY_MIB}Mi."
    ),
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=validate_kata_pod_hardening,
)

KATA_NODE_POOLS = ResourceValidationPolicy(
    name="kata-node-pools",
    description=(
        "Node pools with a Kata workloadRuntime (AgentPool and inline agentPoolProfiles) run "
        f"osSKU {' or '.join(catalog.KATA_OS_SKUS)} on a Gen2 VM size with nested "
        f"virtualization ({', '.join(vm_sizes.KATA_VM_FAMILIES)})."
    ),
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=validate_kata_node_pools,
    config_schema=PolicyConfigSchema(
        properties={
            "allowUnlistedVmSize": {
                "type": "boolean",
                "default": False,
                "description": "Accept a VM size whose family is not in the known Kata list "
                "(sizes still known to be unsupported are refused).",
            }
        }
    ),
)

SANDBOX_PODS_USE_KATA = ResourceValidationPolicy(
    name="sandbox-pods-use-kata",
    description=(
        "Pods in the sandbox (a sandbox namespace, or labelled "
        f"{SANDBOX_LABEL}={SANDBOX_LABEL_VALUE}) use a Kata runtime class, except the trusted "
        "pods."
    ),
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=validate_sandbox_pods_use_kata,
    config_schema=PolicyConfigSchema(
        properties={
            "sandboxNamespaces": {
                "type": "array",
                "items": {"type": "string"},
                "default": [DEFAULT_SANDBOX_NAMESPACE],
                "description": "Namespaces whose pods must use Kata; the stack's "
                f"{STACK_NAMESPACE_KEY} and its tenants' namespaces are always added.",
            },
            "trustedPods": {
                "type": "array",
                "items": {"type": "string"},
                "default": [workload.TRUSTED_POD],
                "description": "Names of the pods (or workloads) allowed on the shared kernel.",
            },
        }
    ),
)

IMAGES_PINNED_BY_DIGEST = ResourceValidationPolicy(
    name="images-pinned-by-digest",
    description="Container images are pinned by digest (@sha256:...), not only by a tag.",
    enforcement_level=EnforcementLevel.ADVISORY,
    validate=validate_images_pinned_by_digest,
)

POLICIES: tuple[ResourceValidationPolicy, ...] = (
    KATA_POD_HARDENING,
    KATA_NODE_POOLS,
    SANDBOX_PODS_USE_KATA,
    IMAGES_PINNED_BY_DIGEST,
)
