"""Admission-policy CEL evaluated with cel-python (celpy), as the API server would evaluate it.

celpy implements the CEL language (macros `all`/`exists`/`filter`/`map`, `has()`, `in`, `size`, the
conditional) but not the Kubernetes libraries. Two functions the policies use come from them and are
stood in for here: `quantity(...)`/`isLessThan` (k8s.io/apiserver v0.36.3 pkg/cel/library
quantity.go, compared here with sandboxing.quantities) and the strings extension's `join` (cel-go
v0.26.0 ext/strings.go, the version k8s.io/apiserver v0.36.3 requires). The standard `contains` is
replaced too (see `_contains`).

The variables a ValidatingAdmissionPolicy sees (kubernetes.io/docs/reference/access-authn-authz/
validating-admission-policy, "Validation expression"): `object`, `oldObject` (null on CREATE),
`request` (here its `operation` and `resource`), `namespaceObject` (the namespace of a namespaced
object) and `variables`. A runtime error in `messageExpression` falls back to `message`, as the
API server does; an error in an expression fails the test (with `failurePolicy: Fail` the API
server would refuse the object).
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

import celpy
from celpy import celtypes

from sandboxing.quantities import parse_quantity


class Quantity(celtypes.StringType):
    """A stand-in for the Kubernetes CEL Quantity: its value in base units."""

    @property
    def value(self) -> Decimal:
        parsed = parse_quantity(str(self))
        assert parsed is not None, f"quantity({str(self)!r}) fails in Kubernetes too"
        return parsed


def _quantity(text: celtypes.StringType) -> Quantity:
    return Quantity(str(text))


def _is_less_than(a: Quantity, b: Quantity) -> celtypes.BoolType:
    return celtypes.BoolType(a.value < b.value)


def _join(items: celtypes.ListType, separator: celtypes.StringType) -> celtypes.StringType:
    return celtypes.StringType(str(separator).join(str(i) for i in items))


def _contains(text: Any, part: Any) -> celtypes.BoolType:
    # celpy's own `contains` fails on the result of `+` (a Python str, not a CEL string); CEL
    # and the API server give a string either way.
    return celtypes.BoolType(str(part) in str(text))


FUNCTIONS = {
    "quantity": _quantity,
    "isLessThan": _is_less_than,
    "join": _join,
    "contains": _contains,
}


class _Erased:
    """Subscripted, stands for nothing: see `_erase_runtime_typing`."""

    def __getitem__(self, _: object) -> type:
        return object


def _erase_runtime_typing() -> None:
    """celpy's evaluator spells `cast(Union[...], value)` and the like in its hot paths, so every
    step builds a typing generic and hashes its arguments: a third of an evaluation (cel-python
    0.5.0 celpy/evaluation.py). At run time its module uses those names only inside `cast`,
    whose first argument is ignored; it checks `isinstance` against `Sequence` and `Mapping`,
    which stay as they are."""
    from celpy import evaluation

    for name in ("Callable", "Dict", "Iterable", "List", "Optional", "Tuple", "Type", "Union"):
        setattr(evaluation, name, _Erased())


@functools.cache
def _environment() -> celpy.Environment:
    # Built on first use (its parser takes ~0.1 s), by the tests that evaluate CEL only.
    _erase_runtime_typing()
    return celpy.Environment()


@functools.cache
def _program(expression: str) -> Any:
    """The expression parsed once (celpy's parser is most of an evaluation's cost); the policies'
    expressions are evaluated again and again with other objects."""
    env = _environment()
    return env.program(env.compile(expression), functions=FUNCTIONS)


def evaluate(expression: str, activation: dict[str, Any]) -> Any:
    return _program(expression).evaluate(activation)


def _variables(values: dict[str, Any]) -> celtypes.MapType:
    return celtypes.MapType({celtypes.StringType(k): v for k, v in values.items()})


def admit(
    spec: dict[str, Any],
    obj: dict[str, Any],
    namespace: dict[str, Any] | None = None,
    operation: str = "CREATE",
    old_object: dict[str, Any] | None = None,
    resource: str = "",
) -> list[str]:
    """The messages of every validation of the policy `spec` that `obj` fails, as the API
    server would list them; `namespace` is the object's Namespace (`namespaceObject`)."""
    return _validate(spec, _activation(obj, namespace, operation, old_object, resource))


def admit_request(
    spec: dict[str, Any],
    obj: dict[str, Any],
    old: dict[str, Any] | None = None,
    operation: str = "CREATE",
) -> list[str] | None:
    """As `admit`, for a CREATE or an UPDATE (`old`: the stored object): None when the policy's
    matchConditions leave the request out, as the API server then skips the policy."""
    activation = _activation(obj, None, operation, old, "")
    for condition in spec.get("matchConditions", []):
        if not evaluate(condition["expression"], activation):
            return None
    return _validate(spec, activation)


def _activation(
    obj: dict[str, Any],
    namespace: dict[str, Any] | None,
    operation: str,
    old_object: dict[str, Any] | None,
    resource: str,
) -> dict[str, Any]:
    request = {"operation": operation, "resource": {"resource": resource or _resource(obj)}}
    return {
        "object": celpy.json_to_cel(obj),
        "oldObject": celpy.json_to_cel(old_object),
        "request": celpy.json_to_cel(request),
        "namespaceObject": celpy.json_to_cel(namespace),
    }


def _validate(spec: dict[str, Any], activation: dict[str, Any]) -> list[str]:
    variables: dict[str, Any] = {}
    for variable in spec.get("variables", []):  # in order: later ones may use earlier ones
        activation["variables"] = _variables(variables)
        variables[variable["name"]] = evaluate(variable["expression"], activation)
    activation["variables"] = _variables(variables)
    failed = []
    for validation in spec["validations"]:
        result = evaluate(validation["expression"], activation)
        assert isinstance(result, celtypes.BoolType), (validation["expression"], result)
        if not result:
            failed.append(_message(validation, activation))
    return failed


def _message(validation: dict[str, Any], activation: dict[str, Any]) -> str:
    expression = validation.get("messageExpression")
    if not expression:
        return str(validation["message"])
    try:
        text = evaluate(expression, activation)
    except celpy.CELEvalError:
        return str(validation["message"])
    # The API server also falls back on an error value, an empty or a multi-line message.
    if isinstance(text, celpy.CELEvalError) or not str(text).strip() or "\n" in str(text):
        return str(validation["message"])
    return str(text)


def _resource(obj: dict[str, Any]) -> str:
    """The plural resource name of the kinds the tests send."""
    return {
        "Pod": "pods",
        "Service": "services",
        "PersistentVolumeClaim": "persistentvolumeclaims",
        "Secret": "secrets",
    }.get(obj.get("kind", ""), "")
