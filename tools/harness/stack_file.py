"""Read `Pulumi.<stack>.yaml` (and `Pulumi.yaml`) the way the Pulumi CLI does.

What a value becomes matters: it decides whether the CLI's type check passes and which text the
program receives. The CLI (pulumi/pulumi) reads both files with Go's gopkg.in/yaml.v3
(`sdk/go/common/encoding/marshal.go`), whose plain scalars follow the YAML 1.2 core schema
(go-yaml/yaml v3 `resolve.go` `resolve`), not PyYAML's YAML 1.1:

- booleans are only `true`/`True`/`TRUE`/`false`/`False`/`FALSE` (`yes`, `on`, `y` stay strings);
- null is empty, `~`, `null`/`Null`/`NULL`;
- integers parse like Go `strconv.ParseInt(text, 0, 64)` after dropping `_` (so `0x10`, `0o17`,
  `0b11`, and the legacy octal `017`);
- floats need a digit pattern like `1.30`, `.5`, `1e3`; `1.30` is the number 1.3.

Each config value then becomes a `config.Value` (`sdk/go/common/resource/config/value.go`
`UnmarshalYAML`, `object.go` `unmarshalObject` / `MarshalString`): a string keeps its text; a
number or boolean becomes its JSON text (`1.30` -> "1.3", `2.0` -> "2", `True` -> "true"); a
list or map becomes JSON text flagged `object` (Go's `json.Marshal`: compact, map keys sorted);
null becomes the object "null"; `{secure: ...}` is a secret. That text is what the engine hands
the program (`config.Map.Decrypt`, `plaintext.go` `marshalText`).

A file the CLI refuses (a syntax error, a duplicate key) raises YamlFileError with file, line,
column and the fix (tools.harness.yaml_errors). A file it reads but that is likely not what its
author meant (no `config:`, top-level keys the CLI ignores) gets notes (`stack_file_notes`).

Not emulated (none occurs in a config of this project): timestamps (yaml.v3 decodes
`2026-01-01` as a time), `.inf`/`.nan`, merge keys `<<`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from tools.harness.yaml_errors import YamlFileError, YamlProblem, duplicate_keys, syntax_problem

_PLAIN = "!go-plain"  # a plain (unquoted, untagged) scalar, resolved by `resolve_plain`
_YAML_STYLE_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_GO_PREFIXED_INT = re.compile(
    r"^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$"
)
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULLS = {"", "~", "null", "Null", "NULL"}
_INT64 = (-(2**63), 2**63 - 1)
_UINT64_MAX = 2**64 - 1


@dataclass(frozen=True)
class StackValue:
    """One stack config value as the CLI holds it (pulumi `config.Value`)."""

    text: str  # what the program receives (JSON text when `object`)
    object: bool = False  # a list, map or null: `text` is JSON
    secure: bool = False  # an encrypted value: `text` is ciphertext, unknown offline


# libyaml's parser when present (several times faster); the same composition either way.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _GoLoader(_BaseLoader):
    """Composes nodes only; plain scalars are tagged so yaml.v3's rules can resolve them."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        return super().resolve(kind, value, implicit)


def _go_int(text: str) -> int | None:
    """Go `strconv.ParseInt(text, 0, 64)` (then ParseUint) as yaml.v3 uses it."""
    if not _GO_PREFIXED_INT.match(text):
        return None
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-")
    if len(body) > 1 and body[0] == "0" and body[1] not in "xXoObB":
        value = sign * int(body, 8)  # Go's base-0 legacy octal: 017 is 15
    else:
        value = sign * int(body, 0)
    if _INT64[0] <= value <= _UINT64_MAX:
        return value
    return None


def resolve_plain(text: str) -> Any:
    """The value yaml.v3 gives a plain scalar decoded into `any` (go-yaml v3 `resolve`)."""
    if text in _BOOLS:
        return _BOOLS[text]
    if text in _NULLS:
        return None
    if text[:1] in "+-0123456789.":
        plain = text.replace("_", "") if text[:1] != "." else text
        number = _go_int(plain)
        if number is not None:
            return number
        if _YAML_STYLE_FLOAT.match(plain):
            return float(plain)
    return text


def _value(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return resolve_plain(node.value) if node.tag == _PLAIN else node.value
    if isinstance(node, yaml.SequenceNode):
        return [_value(item) for item in node.value]
    return {go_text(_value(k)): _value(v) for k, v in node.value}


def load_go_yaml(text: str, path: str = "<text>") -> Any:
    """Parse YAML text into the values yaml.v3 would produce (lists, dicts, scalars); a text
    yaml.v3 refuses raises YamlFileError naming `path`."""
    try:
        node = yaml.compose(text, Loader=_GoLoader)
    except yaml.YAMLError as exc:
        raise YamlFileError(path, [syntax_problem(exc, text)]) from None
    if duplicates := duplicate_keys(node):
        raise YamlFileError(path, duplicates)
    return None if node is None else _value(node)


def go_float(value: float) -> str:
    """Go `json.Marshal` of a float64: shortest digits, fixed notation in [1e-6, 1e21)."""
    if value == 0 or 1e-6 <= abs(value) < 1e21:
        text = format(Decimal(repr(value)).normalize(), "f")
        return "-0" if text == "0" and math.copysign(1, value) < 0 else text
    mantissa, _, exponent = repr(value).partition("e")
    return f"{mantissa.removesuffix('.0')}e{exponent[0]}{exponent[1:].lstrip('0')}"


def go_json(value: Any) -> str:
    """Go `json.Marshal` of a decoded YAML value: compact, map keys sorted, `<>&` escaped."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        for char, escaped in (
            ("<", "\\u003c"),
            (">", "\\u003e"),
            ("&", "\\u0026"),
            ("\u2028", "\\u2028"),
            ("\u2029", "\\u2029"),
        ):
            text = text.replace(char, escaped)
        return text
    if isinstance(value, list):
        return "[" + ",".join(go_json(v) for v in value) + "]"
    return "{" + ",".join(f"{go_json(k)}:{go_json(value[k])}" for k in sorted(value)) + "}"


def go_text(value: Any) -> str:
    """Go's `fmt.Sprintf("%v", v)` for a scalar (map keys; `createConfigValue` primitives)."""
    if isinstance(value, str):
        return value
    return go_json(value)


def _is_secure(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and isinstance(value.get("secure"), str)


def _contains_secure(value: Any) -> bool:
    if _is_secure(value):
        return True
    if isinstance(value, dict):
        return any(_contains_secure(v) for v in value.values())
    return isinstance(value, list) and any(_contains_secure(v) for v in value)


def stack_value(value: Any) -> StackValue:
    """A decoded YAML config value as a `config.Value` (`object.MarshalString`)."""
    if _is_secure(value):
        return StackValue(value["secure"], secure=True)
    if isinstance(value, str):
        return StackValue(value)
    if isinstance(value, bool | int | float):
        return StackValue(go_json(value))
    return StackValue(go_json(value), object=True, secure=_contains_secure(value))


_GO_TYPES = {list: "[]interface {}", str: "string", int: "int", float: "float64", bool: "bool"}


def _stack_mapping(text: str, path: str) -> dict[str, Any]:
    data = load_go_yaml(text, path)
    if data is None:
        return {}  # an empty file: an empty config (loaders.go `LoadProjectStackBytes`)
    if not isinstance(data, dict):
        kind = _GO_TYPES.get(type(data), type(data).__name__)
        raise YamlFileError(
            path,
            [
                YamlProblem(
                    1,
                    1,
                    f"the file holds a {type(data).__name__}, not a mapping with `config:`",
                    "start the file with `config:` and indent the settings under it",
                    f"expected project to be an object, was '{kind}'",
                )
            ],
        )
    config = data.get("config")
    if config is not None and not isinstance(config, dict):
        raise YamlFileError(
            path,
            [
                YamlProblem(
                    None,
                    None,
                    f"`config:` holds a {type(config).__name__}, not `key: value` lines",
                    "indent each setting under `config:` as `key: value`",
                    None,
                )
            ],
        )
    return data


def read_stack_values(text: str, project: str, path: str = "<text>") -> dict[str, StackValue]:
    """The `config:` of a stack file, keys namespaced by the project as the CLI does
    (pulumi/pulumi v3.259.0 `sdk/go/common/workspace/loaders.go` `LoadProjectStackBytes`)."""
    config = _stack_mapping(text, path).get("config") or {}
    return {
        (key if ":" in key else f"{project}:{key}"): stack_value(value)
        for key, value in config.items()
    }


def read_stack_file(path: Path, project: str) -> dict[str, StackValue]:
    return read_stack_values(path.read_text(), project, path.name)


# The top-level keys of a stack file the CLI reads (pulumi/pulumi v3.259.0 sdk/go/common/
# workspace/project.go `ProjectStack`); it ignores any other without a word (no `KnownFields`).
STACK_FILE_KEYS = ("config", "environment", "secretsprovider", "encryptedkey", "encryptionsalt")


def stack_file_notes(text: str, path: str) -> list[str]:
    """What the CLI accepts in a stack file without a word but its author likely did not mean."""
    data = _stack_mapping(text, path)
    notes = []
    ignored = sorted(key for key in data if key not in STACK_FILE_KEYS)
    if ignored:
        notes.append(
            f"{path}: the Pulumi CLI ignores the top-level key(s) {', '.join(ignored)} (it reads "
            f"only {', '.join(STACK_FILE_KEYS)}); settings belong under `config:`, indented"
        )
    if "config" not in data:
        notes.append(
            f"{path} has no `config:` section. The Pulumi CLI accepts that: the stack's config is "
            "then empty (pulumi/pulumi sdk/go/common/workspace/loaders.go), and it runs the "
            "program with Pulumi.yaml's default for every key (pkg/workspace/config.go "
            "`mergeConfig`), so every setting the plan shows is a default. Put the settings "
            "under `config:`."
        )
    return notes
