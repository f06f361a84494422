"""Admission-policy CEL evaluated with cel-python (celpy), as the API server would evaluate it.

celpy implements the CEL language (macros `all`/`exists`/`filter`/`map`, `has()`, `in`, `size`,
the conditional) but not the Kubernetes libraries. Two functions the policies use come from them
and are stood in for here: `quantity(...)`/`isLessThan` (k8s.io/apiserver pkg/cel/library
quantity.go, compared here with sandboxing.quantities) and the strings extension's `join`
(cel-go ext/strings.go).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import celpy
from celpy import celtypes

from sandboxing.quantities import parse_quantity

ENV = celpy.Environment()


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


FUNCTIONS = {"quantity": _quantity, "isLessThan": _is_less_than, "join": _join}


def evaluate(expression: str, activation: dict[str, Any]) -> Any:
    return ENV.program(ENV.compile(expression), functions=FUNCTIONS).evaluate(activation)


def _variables(values: dict[str, Any]) -> celtypes.MapType:
    return celtypes.MapType({celtypes.StringType(k): v for k, v in values.items()})


def admit(spec: dict[str, Any], obj: dict[str, Any]) -> list[str]:
    """The messages of every validation of the policy `spec` that `obj` fails, as the API
    server would list them."""
    return _validate(spec, {"object": celpy.json_to_cel(obj)})


def admit_request(
    spec: dict[str, Any],
    obj: dict[str, Any],
    old: dict[str, Any] | None = None,
    operation: str = "CREATE",
) -> list[str] | None:
    """As `admit`, for a CREATE or an UPDATE (`old`: the stored object): None when the policy's
    matchConditions leave the request out, as the API server then skips the policy."""
    activation: dict[str, Any] = {
        "object": celpy.json_to_cel(obj),
        "oldObject": celpy.json_to_cel(old) if old is not None else celtypes.NullType(),
        "request": celpy.json_to_cel({"operation": operation}),
    }
    for condition in spec.get("matchConditions", []):
        if not evaluate(condition["expression"], activation):
            return None
    return _validate(spec, activation)


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
            message = validation.get("messageExpression")
            failed.append(str(evaluate(message, activation)) if message else validation["message"])
    return failed
