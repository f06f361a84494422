"""ValidatingAdmissionPolicy building blocks: a validation, a policy, a binding, and the CEL
idioms the fence rules share. Pure data.

The CEL stays within what every API server from Kubernetes 1.30 on compiles: the CEL language
(`has()`, `in`, `all`/`exists`/`filter`/`map`, `size`, string `contains`/`startsWith`, the
conditional), the strings extension (`join`, in the base environment of every version) and the
quantity library (since 1.28), per k8s.io/apiserver v0.36.3 pkg/cel/environment/base.go. No
two-variable comprehensions (1.32's `ext.TwoVarComprehensions`), no optional syntax, and list
literals of one type only (`ValidateHomogeneousAggregateLiterals`, 1.29).

`object` is the unstructured JSON map (k8s.io/apiserver v0.36.3 pkg/admission/conversion.go): an
omitted field is an absent key, and selecting it is an error, so every optional field is tested with
`has()` first; a map key that is not an identifier (a label) is tested with `in` and read by index.

Cost: the API server gives each expression at most 1,000,000 cost units and each binding
10,000,000 (k8s.io/apiserver v0.36.3 pkg/apis/cel/config.go `PerCallLimit`, `RuntimeCELCostBudget`),
counted at run time because `object` is untyped. Every rule here walks lists the request itself
carries (containers, volumes, a projected volume's sources) once, with a constant amount of work
per item, so its cost grows with the size of the object, which the API server bounds (request
body limit); a rule that runs out of budget fails, and with `failurePolicy: Fail` the object is
refused, never let through.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandboxing import catalog
from sandboxing.config.settings import PROJECT, Problem
from sandboxing.names import parse_kubernetes_version
from sandboxing.workload import APP_LABEL, Manifest

API_VERSION = "admissionregistration.k8s.io/v1"
# Where a pod rule's fix goes when the pod comes from a workload.
UNDER_TEMPLATE = "(in a Deployment, Job or StatefulSet: under spec.template.spec)"


@dataclass(frozen=True)
class Validation:
    rule: str  # a short name, the start of every message
    expression: str
    message: str  # static: what is wrong and how to fix the manifest
    message_expression: str = ""  # adds the offending names; the message stands in on error

    def as_manifest(self) -> dict[str, str]:
        entry = {"expression": self.expression, "message": self.message, "reason": "Forbidden"}
        if self.message_expression:
            entry["messageExpression"] = self.message_expression
        return entry


def on_create(expression: str) -> str:
    """Checked when the object is created only: for fields the API server does not let change
    afterwards (a pod's volumes, nodeSelector, priority; its nodeName is set by the scheduler's
    binding). Updates of pods made before a rule existed (a Job's finalizer removal, labels)
    stay possible."""
    return f"request.operation != 'CREATE' || ({expression})"


def annotation(key: str) -> str:
    """The namespace annotation `key` as text; '' when the namespace does not carry it."""
    annotations = "namespaceObject.metadata.annotations"
    return f"(has({annotations}) && '{key}' in {annotations} ? {annotations}['{key}'] : '')"


def listed(names: str, name: str) -> str:
    """Whether `name` is one of the comma-separated `names` (two CEL string expressions)."""
    return f"(',' + {names} + ',').contains(',' + {name} + ',')"


def shown(names: str) -> str:
    """A comma-separated list for a message: 'none' when empty."""
    return f"({names} == '' ? 'none' : {names})"


def policy_manifest(
    name: str,
    resources: list[str],
    validations: tuple[Validation, ...],
    variables: dict[str, str] | None = None,
    *,
    rules: list[Manifest] | None = None,
    match_conditions: dict[str, str] | None = None,
) -> Manifest:
    """A policy on CREATE and UPDATE of core/v1 `resources` (or of the resource `rules` given:
    apiGroups and resources), only where every `match_conditions` expression holds; a refused
    object is denied."""
    if rules is None:
        rules = [{"apiGroups": [""], "resources": resources}]
    versions = ["v1"] if rules and rules[0].get("apiGroups") == [""] else ["*"]
    spec: Manifest = {
        "failurePolicy": "Fail",
        "matchConstraints": {
            "resourceRules": [
                {**rule, "apiVersions": versions, "operations": ["CREATE", "UPDATE"]}
                for rule in rules
            ],
        },
    }
    if match_conditions:
        spec["matchConditions"] = [
            {"name": n, "expression": e} for n, e in match_conditions.items()
        ]
    if variables:
        spec["variables"] = [{"name": n, "expression": e} for n, e in variables.items()]
    spec["validations"] = [v.as_manifest() for v in validations]
    return {
        "apiVersion": API_VERSION,
        "kind": "ValidatingAdmissionPolicy",
        "metadata": {"name": name, "labels": {APP_LABEL: PROJECT}},
        "spec": spec,
    }


def binding_manifest(policy_name: str, namespace_label: str, name: str = "") -> Manifest:
    """The policy bound to every namespace that carries `namespace_label` (any value)."""
    return {
        "apiVersion": API_VERSION,
        "kind": "ValidatingAdmissionPolicyBinding",
        "metadata": {"name": name or policy_name, "labels": {APP_LABEL: PROJECT}},
        "spec": {
            "policyName": policy_name,
            "validationActions": ["Deny"],
            "matchResources": {
                "namespaceSelector": {
                    "matchExpressions": [{"key": namespace_label, "operator": "Exists"}]
                }
            },
        },
    }


def needs_admission_policies(
    version_text: str, key: str, value: str, needs: str, fenced_by: str, fix: str
) -> list[Problem]:
    """A cluster older than ValidatingAdmissionPolicy v1 cannot hold these fences; an empty or
    malformed version passes (AKS's default is newer; a malformed one is its key's problem)."""
    version = parse_kubernetes_version(version_text)
    minimum = catalog.ADMISSION_POLICY_MIN_KUBERNETES
    if version is None or version >= minimum:
        return []
    wanted = catalog.version_text(minimum)
    message = (
        f"{needs} Kubernetes {wanted} or later: {fenced_by} (admissionregistration.k8s.io/v1, "
        f"GA in {wanted}); {fix}"
    )
    return [Problem(key, value, message)]
