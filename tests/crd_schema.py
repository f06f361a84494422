"""Validate custom objects against a CRD's own openAPIV3Schema, as the API server would with
strict field validation (`kubectl apply --validate=strict`, fieldValidation=Strict).

The schemas are the pinned release's: the CRDs inside the vendored release assets
(sandboxing/agent_sandbox/releases/<version>/, checked against their recorded sha256), so the
objects are tested against exactly what `pulumi up` installs. A structural schema is JSON Schema
with a few Kubernetes extensions, turned into plain JSON Schema here:

- an object with `properties` and no `x-kubernetes-preserve-unknown-fields` accepts no other
  field (strict validation refuses unknown fields; the default would drop them silently);
- `x-kubernetes-int-or-string: true` is an integer or a string; `nullable: true` admits null.

`format` (int32, date-time, ...) is not checked here (jsonschema needs extra packages for it).
"""

from __future__ import annotations

import functools
from typing import Any

import jsonschema

from sandboxing.agent_sandbox.release import release_objects


def _strict(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {key: _strict(value) for key, value in schema.items()}
    if converted.pop("x-kubernetes-int-or-string", False):
        converted.pop("type", None)
        converted["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if converted.pop("nullable", False) and "type" in converted:
        converted["type"] = [converted["type"], "null"]
    preserve = converted.pop("x-kubernetes-preserve-unknown-fields", False)
    if "properties" in converted and not preserve and "additionalProperties" not in converted:
        converted["additionalProperties"] = False
    return {k: v for k, v in converted.items() if not k.startswith("x-kubernetes-")}


@functools.cache
def validator(release: str, group: str, kind: str, version: str) -> jsonschema.Draft7Validator:
    """The validator of `kind` in `group` at `version`, from the vendored release's CRD."""
    (definition,) = [
        o
        for o in release_objects(release)
        if o["kind"] == "CustomResourceDefinition"
        and o["spec"]["group"] == group
        and o["spec"]["names"]["kind"] == kind
    ]
    (served,) = [v for v in definition["spec"]["versions"] if v["name"] == version]
    return jsonschema.Draft7Validator(_strict(served["schema"]["openAPIV3Schema"]))


def schema_problems(release: str, obj: dict[str, Any]) -> list[str]:
    """What the CRD of `obj`'s kind refuses in it: `path: message`, sorted (empty: valid)."""
    group, _, version = obj["apiVersion"].partition("/")
    found = validator(release, group, obj["kind"], version).iter_errors(obj)
    return sorted(f"{'.'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in found)
