"""The admission policy that keeps every pod of a tenant namespace in a Kata VM, on the Kata
pool, with only the volumes and priority its namespace allows. Pure data.

A `ValidatingAdmissionPolicy` (admissionregistration.k8s.io/v1, GA since Kubernetes 1.30) runs
in the API server itself, so it holds for every client: kubectl, Helm, a CI job, and the
controllers that create the pods of Deployments, Jobs and StatefulSets (it matches the pods).
It matches CREATE and UPDATE of pods and of `pods/ephemeralcontainers` (`kubectl debug`); the
binding selects namespaces by the tenant label, which a tenant cannot change (namespaces are
cluster-scoped, out of the tenant Role's reach).

Admission order matters for the memory rule: mutating admission (the LimitRanger, which gives a
container without limits the tenant's default pod size) runs before validating admission, so the
rule sees the defaulted limits (kubernetes.io/docs/reference/access-authn-authz/
admission-controllers: "mutating ... validating"). `quantity()` is the Kubernetes CEL quantity
library (k8s.io/apiserver v0.36.3 pkg/cel/library/quantity.go, in the CEL environment since 1.28).

The rules here keep the pod in a Kata VM and off the host (checked on every CREATE and UPDATE,
as since the first release); the volume rules (sandboxing.fences.pod_volumes) and the placement
and priority rules (sandboxing.fences.pod_placement) check fields fixed at creation, on CREATE.
What the CEL may use and what it costs: sandboxing.fences.cel.
"""

from __future__ import annotations

from sandboxing import catalog
from sandboxing.config.settings import PROJECT
from sandboxing.fences import pod_placement, pod_volumes
from sandboxing.fences.cel import (
    UNDER_TEMPLATE,
    Validation,
    binding_manifest,
    policy_manifest,
)
from sandboxing.workload import HOST_FIELDS, Manifest

POLICY = f"{PROJECT}-tenant-pods"
MIN_MEMORY = f"{catalog.MIN_POD_VM_MEMORY_MIB}Mi"

# Containers, init containers and ephemeral containers: the privileged rule covers them all;
# ephemeral containers may not set resources, so the memory rule covers the first two. The
# volume and placement rules read the namespace's allowances (sandboxing.fences.profile).
VARIABLES = {
    "sizedContainers": "object.spec.containers + (has(object.spec.initContainers) ? "
    "object.spec.initContainers : [])",
    "allContainers": "variables.sizedContainers + (has(object.spec.ephemeralContainers) ? "
    "object.spec.ephemeralContainers : [])",
    **pod_volumes.VARIABLES,
    **pod_placement.VARIABLES,
}
_PRIVILEGED = (
    "has(c.securityContext) && has(c.securityContext.privileged) && c.securityContext.privileged"
)
_MEMORY_OK = (
    "has(c.resources) && has(c.resources.limits) && 'memory' in c.resources.limits && "
    f"!quantity(c.resources.limits.memory).isLessThan(quantity('{MIN_MEMORY}'))"
)


def kata_validations(runtime_class: str) -> tuple[Validation, ...]:
    """The rules that keep a pod in a Kata VM and off the host."""
    fix_template = UNDER_TEMPLATE
    return (
        Validation(
            "kata-runtime-class",
            f"has(object.spec.runtimeClassName) && object.spec.runtimeClassName == "
            f"'{runtime_class}'",
            f"kata-runtime-class: pods in a tenant namespace must run in a Kata VM: set "
            f"spec.runtimeClassName: {runtime_class} {fix_template}",
        ),
        Validation(
            "no-host-namespaces",
            " && ".join(f"!(has(object.spec.{f}) && object.spec.{f})" for f in HOST_FIELDS),
            "no-host-namespaces: hostNetwork, hostPID and hostIPC are not allowed in a tenant "
            f"namespace: remove them {fix_template}",
        ),
        Validation(
            "no-privileged",
            f"variables.allContainers.all(c, !({_PRIVILEGED}))",
            "no-privileged: privileged containers are not allowed in a tenant namespace: remove "
            f"securityContext.privileged {fix_template}",
            "'no-privileged: privileged containers are not allowed in a tenant namespace: remove "
            f"securityContext.privileged from ' + variables.allContainers.filter(c, {_PRIVILEGED})"
            ".map(c, c.name).join(', ')",
        ),
        Validation(
            "no-host-path",
            "!has(object.spec.volumes) || object.spec.volumes.all(v, !has(v.hostPath))",
            "no-host-path: hostPath volumes are not allowed in a tenant namespace: use an "
            f"emptyDir, a ConfigMap/Secret or a PersistentVolumeClaim {fix_template}",
            "'no-host-path: hostPath volumes are not allowed in a tenant namespace: replace ' + "
            "object.spec.volumes.filter(v, has(v.hostPath)).map(v, v.name).join(', ') + "
            "' with an emptyDir, a ConfigMap/Secret or a PersistentVolumeClaim'",
        ),
        Validation(
            "memory-limit",
            f"variables.sizedContainers.all(c, {_MEMORY_OK})",
            f"memory-limit: every container needs resources.limits.memory of at least "
            f"{MIN_MEMORY} (the limit is the Kata VM's memory) {fix_template}",
            f"'memory-limit: set resources.limits.memory to at least {MIN_MEMORY} (the memory "
            f"of the Kata VM) on ' + variables.sizedContainers.filter(c, !({_MEMORY_OK}))"
            ".map(c, c.name).join(', ')",
        ),
    )


def validations(runtime_class: str, kata_pool: str) -> tuple[Validation, ...]:
    """Every rule of the pod policy, in the order their messages are listed."""
    return (
        *kata_validations(runtime_class),
        *pod_volumes.VALIDATIONS,
        *pod_placement.validations(kata_pool),
    )


def policy(runtime_class: str, kata_pool: str) -> Manifest:
    """The pod policy for this stack's Kata class and pool (the namespaces' own allowances are
    read from their annotations, so one policy serves every tenant)."""
    return policy_manifest(
        POLICY,
        ["pods", "pods/ephemeralcontainers"],
        validations(runtime_class, kata_pool),
        VARIABLES,
    )


def binding(policy_name: str = POLICY) -> Manifest:
    """The policy bound to every namespace with the tenant label (a binding per policy)."""
    return binding_manifest(policy_name, catalog.TENANT_LABEL)
