"""The admission policies of the sandbox namespace: Sandboxes, SandboxTemplates and SandboxClaims
refused at the API server when they would leave the fences. Pure data.

Two ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1), bound to the sandbox
namespace only:

- pod templates (`spec.podTemplate.spec` of Sandbox and SandboxTemplate): every rule of the
  tenants' pod policy (sandboxing.tenants.admission: Kata runtime class, no host namespaces, no
  privileged container, no hostPath, memory limits), taken from there and pointed at the pod
  template, so a fence added to the tenants' policy holds here too (the Kata pool's nodeSelector,
  the volume types, priority among them); and this layer's own: no service-account token
  automounted, no Kata annotations, the template's network policy left to the controller
  (`Unmanaged` would delete it);
- claims: a session ends (`spec.lifecycle.shutdownTime` set, at most agentSandboxMaxLifetime
  seconds after the claim's creation), and no Kata annotations in `additionalPodMetadata` (they
  reach the pod; Kata reads `io.katacontainers.*` annotations as VM configuration where its
  configuration enables them).

CREATE is always checked; an UPDATE only when it changes what the rules read (a matchCondition):
the controllers update these objects all the time (adoption, labels, finalizers), and an object
admitted under an older policy must not get stuck. The pods the controller creates are checked
again by the tenants' pod policy, which binds to the sandbox namespace through its tenant label
(sandboxes.namespace). `metadata.creationTimestamp` is set before validating admission runs
(k8s.io/apiserver v0.36.3 pkg/registry/generic/registry/store.go `Create`: rest.BeforeCreate, then
createValidation), so the lifetime rule can read it on CREATE.
"""

from __future__ import annotations

from dataclasses import replace

from sandboxing.agent_sandbox.sandboxes import GROUP, SANDBOX_GROUP
from sandboxing.config.settings import PROJECT
from sandboxing.fences.cel import API_VERSION, Validation, policy_manifest
from sandboxing.tenants import admission as tenant_admission
from sandboxing.workload import APP_LABEL, Manifest

POD_TEMPLATES_POLICY = f"{PROJECT}-sandbox-templates"
CLAIMS_POLICY = f"{PROJECT}-sandbox-claims"
KATA_ANNOTATIONS = "io.katacontainers."
POD_SPEC = "object.spec.podTemplate.spec"
WHERE = "(in a Sandbox or SandboxTemplate: under spec.podTemplate.spec)"
TENANT_WHERE = "(in a Deployment, Job or StatefulSet: under spec.template.spec)"


def for_pod_template(text: str) -> str:
    """A pod rule of the tenants' policy, read at a Sandbox's or template's pod template."""
    return text.replace("object.spec.", "variables.podSpec.").replace(TENANT_WHERE, WHERE)


def _no_kata_annotations(metadata: str) -> str:
    return (
        f"!has({metadata}) || !has({metadata}.annotations) || "
        f"{metadata}.annotations.all(k, !k.startsWith('{KATA_ANNOTATIONS}'))"
    )


def pod_template_variables() -> dict[str, str]:
    reused = {name: for_pod_template(e) for name, e in tenant_admission.VARIABLES.items()}
    return {"podSpec": POD_SPEC, **reused}


def pod_template_validations(runtime_class: str, kata_pool: str) -> tuple[Validation, ...]:
    reused = tuple(
        replace(
            v,
            expression=for_pod_template(v.expression),
            message=for_pod_template(v.message),
            message_expression=for_pod_template(v.message_expression),
        )
        for v in tenant_admission.validations(runtime_class, kata_pool)
    )
    own = (
        # The tenants' no-service-account-token reads the token volume the ServiceAccount
        # admission adds to a pod; a template has none yet, so its own field is checked here.
        Validation(
            "no-token-automount",
            "has(variables.podSpec.automountServiceAccountToken) && "
            "!variables.podSpec.automountServiceAccountToken",
            f"no-token-automount: a sandbox gets no Kubernetes credentials: set "
            f"automountServiceAccountToken: false {WHERE}",
        ),
        Validation(
            "no-kata-annotations",
            _no_kata_annotations("object.spec.podTemplate.metadata"),
            f"no-kata-annotations: annotations starting with {KATA_ANNOTATIONS} configure the "
            "Kata VM and are not allowed: remove them from spec.podTemplate.metadata",
        ),
        Validation(
            "network-policy-managed",
            "!has(object.spec.networkPolicyManagement) || "
            "object.spec.networkPolicyManagement == 'Managed'",
            "network-policy-managed: the template's network policy stays with the controller "
            "(Unmanaged deletes it): set spec.networkPolicyManagement: Managed",
        ),
    )
    return reused + own


def claim_validations(max_lifetime_seconds: int) -> tuple[Validation, ...]:
    lifecycle = "object.spec.lifecycle"
    return (
        Validation(
            "claim-lifetime",
            f"has({lifecycle}) && has({lifecycle}.shutdownTime) && "
            f"timestamp({lifecycle}.shutdownTime) <= "
            f"timestamp(object.metadata.creationTimestamp) + duration('{max_lifetime_seconds}s')",
            f"claim-lifetime: a SandboxClaim must end: set spec.lifecycle.shutdownTime to at "
            f"most {max_lifetime_seconds} s after now (and shutdownPolicy: Delete to remove the "
            "claim with its sandbox then)",
        ),
        Validation(
            "no-kata-annotations",
            _no_kata_annotations("object.spec.additionalPodMetadata"),
            f"no-kata-annotations: annotations starting with {KATA_ANNOTATIONS} configure the "
            "Kata VM and are not allowed: remove them from spec.additionalPodMetadata",
        ),
    )


def _policy(
    name: str,
    rules: list[Manifest],
    validations: tuple[Validation, ...],
    changed: str,
    variables: dict[str, str] | None = None,
) -> Manifest:
    conditions = {"created-or-changed": f"request.operation == 'CREATE' || {changed}"}
    return policy_manifest(
        name, [], validations, variables, rules=rules, match_conditions=conditions
    )


def pod_templates_policy(runtime_class: str, kata_pool: str) -> Manifest:
    field = "{o}.spec.networkPolicyManagement"
    management = f"(has({field}) ? {field} : '')"
    changed = (
        "object.spec.podTemplate != oldObject.spec.podTemplate || "
        f"{management.format(o='object')} != "
        f"{management.format(o='oldObject')}"
    )
    return _policy(
        POD_TEMPLATES_POLICY,
        [
            {"apiGroups": [SANDBOX_GROUP], "resources": ["sandboxes"]},
            {"apiGroups": [GROUP], "resources": ["sandboxtemplates"]},
        ],
        pod_template_validations(runtime_class, kata_pool),
        changed,
        pod_template_variables(),
    )


def claims_policy(max_lifetime_seconds: int) -> Manifest:
    return _policy(
        CLAIMS_POLICY,
        [{"apiGroups": [GROUP], "resources": ["sandboxclaims"]}],
        claim_validations(max_lifetime_seconds),
        "object.spec != oldObject.spec",
    )


def binding(policy_name: str, namespace: str) -> Manifest:
    """The policy bound to the sandbox namespace alone."""
    return {
        "apiVersion": API_VERSION,
        "kind": "ValidatingAdmissionPolicyBinding",
        "metadata": {"name": policy_name, "labels": {APP_LABEL: PROJECT}},
        "spec": {
            "policyName": policy_name,
            "validationActions": ["Deny"],
            "matchResources": {
                "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}}
            },
        },
    }


def policies(
    runtime_class: str, kata_pool: str, max_lifetime_seconds: int, namespace: str
) -> list[tuple[Manifest, Manifest]]:
    """(policy, binding) pairs of the sandbox namespace."""
    both = (pod_templates_policy(runtime_class, kata_pool), claims_policy(max_lifetime_seconds))
    return [(p, binding(p["metadata"]["name"], namespace)) for p in both]
