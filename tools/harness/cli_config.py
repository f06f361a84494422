"""The Pulumi CLI's first pass over a stack's config, before any program runs.

`pulumi preview` and `pulumi up` check the stack file against the types declared in `Pulumi.yaml`
and stop at the first mismatch; the program never starts. The offline plan and the tests apply
the same rules here, reading the types from `Pulumi.yaml` itself. Read in pulumi/pulumi v3.259.0:

- `pkg/workspace/config.go` `ValidateStackConfigAndApplyProjectConfig` -> `mergeConfig`: a declared
  key the stack does not set gets its `default` (`createConfigValue`: a string, integer or boolean
  as its text, `1` -> "1", `false` -> "false"; anything else as JSON, `[]` -> "[]"); declared keys
  with neither are all reported at once ("Stack 'dev' is missing configuration value 'x'"); then
  `validateStackConfigValues` walks the DECLARED keys in sorted order (keys the project does not
  declare are never checked) and returns the first error of `validateStackConfigValue`: a
  `secret: true` key must be encrypted, then `ValidateConfigValue` on the value's text (JSON-decoded
  first when the value is a list or map) -> "Stack '<stack>' with configuration key '<key>' must be
  of type '<type>'".
- `sdk/go/common/workspace/project.go` `ValidateConfigValue`: string = any non-list, non-map value
  (a YAML number or boolean arrives as its text); integer = an int, a whole float, or text that
  Go's `strconv.Atoi` accepts (ASCII digits with an optional sign: no spaces, no `_`, no `2.5`);
  boolean = a bool, or the text exactly `true`/`false` (a quoted "True" fails; an unquoted YAML
  `True` is a bool and passes); array = a real list whose items each pass (a JSON string fails);
  `InferFullTypeName` -> `array<string>`. `Project.Validate` checks the defaults the same way.
- `pkg/cmd/pulumi/operations/up.go`, `preview.go`: the error is wrapped as
  "validating stack config: ..." (printed after "error: ").
- `pkg/cmd/pulumi/config/config.go` `configSetCmd.Run` + `sdk/go/common/resource/config/map.go`
  `Map.Set`: `pulumi config set k v` stores the string `v` at the top level (so a list key cannot
  be set that way); `--path 'k[0]' v` builds a real list (`v` stays a string unless it is
  `true`/`false` or an integer without a leading zero); `--type int|bool|float|string` (CLI
  3.148+) stores a typed scalar.

How values are read from the files and what text the program receives: tools.harness.stack_file.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.harness.stack_file import StackValue, go_json, go_text, load_go_yaml

_ATOI = re.compile(r"^[+-]?[0-9]+$")
_INT64 = (-(2**63), 2**63 - 1)


@dataclass(frozen=True)
class ItemsType:
    type: str
    items: ItemsType | None = None


@dataclass(frozen=True)
class ConfigType:
    """One `config:` entry of Pulumi.yaml (pulumi `ProjectConfigType`)."""

    key: str  # as declared: `kataNodeCount`, or namespaced `azure-native:location`
    type: str | None = None  # None: not explicitly typed, so never checked
    items: ItemsType | None = None
    default: Any = None  # None: no default
    value: Any = None
    secret: bool = False


@dataclass(frozen=True)
class Project:
    name: str
    config: dict[str, ConfigType]

    def full_key(self, key: str) -> str:
        return key if ":" in key else f"{self.name}:{key}"


def _items(raw: Any) -> ItemsType | None:
    if not isinstance(raw, dict):
        return None
    return ItemsType(str(raw.get("type")), _items(raw.get("items")))


def read_project(text: str) -> Project:
    """Pulumi.yaml's name and config schema (a bare `key: value` entry is an untyped value)."""
    data = load_go_yaml(text, "Pulumi.yaml") or {}
    config: dict[str, ConfigType] = {}
    for key, entry in (data.get("config") or {}).items():
        if not isinstance(entry, dict):
            config[key] = ConfigType(key, value=entry)
            continue
        config[key] = ConfigType(
            key,
            entry.get("type"),
            _items(entry.get("items")),
            entry.get("default"),
            entry.get("value"),
            bool(entry.get("secret")),
        )
    project = Project(str(data.get("name", "")), config)
    for entry in config.values():
        if entry.type is None or entry.default is None:
            continue
        if not validate_config_value(entry.type, entry.items, entry.default):
            raise ValueError(
                f"The default value specified for configuration key '{entry.key}' is not "
                f"of the expected type '{full_type_name(entry.type, entry.items)}'"
            )
    return project


def read_project_file(path: Path) -> Project:
    return _read_project_cached(path.read_text())


@functools.lru_cache(maxsize=8)
def _read_project_cached(text: str) -> Project:
    return read_project(text)


def full_type_name(type_name: str, items: ItemsType | None) -> str:
    """pulumi `InferFullTypeName`: `array<string>` for an array of strings."""
    if items is not None:
        return f"array<{full_type_name(items.type, items.items)}>"
    return type_name


def go_atoi(text: str) -> bool:
    """Whether Go's `strconv.Atoi` (64-bit int) accepts the text."""
    return bool(_ATOI.match(text)) and _INT64[0] <= int(text) <= _INT64[1]


def validate_config_value(type_name: str, items: ItemsType | None, value: Any) -> bool:
    """pulumi `ValidateConfigValue` on a Go value: str, bool, int/float (numbers), list, dict."""
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "integer":
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return True
        if isinstance(value, float):
            return value.is_integer()
        return isinstance(value, str) and go_atoi(value)
    if type_name == "boolean":
        return isinstance(value, bool) or value in ("true", "false")
    if type_name == "object":
        return isinstance(value, dict)
    if not isinstance(value, list) or items is None:
        return False
    return all(validate_config_value(items.type, items.items, item) for item in value)


def checked_content(value: StackValue) -> Any:
    """What `validateStackConfigValue` checks: the text, or for a list/map its JSON (numbers
    decode as Go float64)."""
    return json.loads(value.text, parse_int=float) if value.object else value.text


def default_value(raw: Any) -> StackValue:
    """pulumi `createConfigValue`: a declared default as the stack value it becomes."""
    if isinstance(raw, str | bool | int):
        return StackValue(go_text(raw))
    return StackValue(go_json(raw), object=True)


def apply_project_config(
    project: Project, stack: dict[str, StackValue]
) -> tuple[dict[str, StackValue], list[str]]:
    """The stack's values plus each unset declared key's default; and the declared keys that
    are missing (no default, no value, in the project's namespace)."""
    merged = dict(stack)
    missing: list[str] = []
    for key in sorted(project.config):
        entry, full = project.config[key], project.full_key(key)
        if full in merged:
            continue
        raw = entry.default if entry.default is not None else entry.value
        if raw is not None:
            merged[full] = default_value(raw)
        elif full.split(":", 1)[0] == project.name:
            missing.append(key)
    return merged, missing


def _missing_message(stack: str, keys: list[str]) -> str:
    if len(keys) == 1:
        return f"Stack '{stack}' is missing configuration value '{keys[0]}'"
    quoted = [f"'{k}'" for k in sorted(keys)]
    listed = ", ".join([*quoted[:-2], f"{quoted[-2]} and {quoted[-1]}"])
    return f"Stack '{stack}' is missing configuration values {listed}"


# What to write instead, per declared type (the key's name is filled in).
_FIXES = {
    "integer": "write a whole number without quotes, e.g. `{key}: 2`",
    "boolean": "write true or false without quotes, e.g. `{key}: true`",
    "string": 'write one value, e.g. `{key}: text` (quote it if it looks like a number: "1.33")',
    "array": "write a YAML list, e.g. `{key}: [a, b]` or one `- item` per line under the key "
    "(`pulumi config set --path '{key}[0]' a`; a plain `pulumi config set` stores a string)",
    "object": "write a map under the key, one `name: value` per line",
}


def value_fix(entry: ConfigType, value: StackValue) -> str:
    """The bad value as the CLI holds it, and what to write instead."""
    shown = "(no value)" if value.text == "" and not value.object else value.text
    if not value.object:
        shown = json.dumps(shown) if shown != "(no value)" else shown
    fix = _FIXES.get(entry.type or "", "write a value of the declared type").format(key=entry.key)
    return f"it is {shown}; {fix}"


def _value_error(stack: str, entry: ConfigType, value: StackValue) -> tuple[str, str] | None:
    """pulumi `validateStackConfigValue` (its message, and our value-and-fix): None when the
    value passes."""
    if entry.type is None:
        return None  # only explicitly typed keys are validated
    if entry.secret and not value.secure:
        return (
            f"Stack '{stack}' with configuration key '{entry.key}' must be encrypted as it's "
            "secret",
            f"set it with `pulumi config set --secret {entry.key} <value>`",
        )
    if value.secure:
        return None  # ciphertext cannot be checked offline
    if validate_config_value(entry.type, entry.items, checked_content(value)):
        return None
    type_name = full_type_name(entry.type, entry.items)
    return (
        f"Stack '{stack}' with configuration key '{entry.key}' must be of type '{type_name}'",
        value_fix(entry, value),
    )


@dataclass(frozen=True)
class Refusal:
    """Why `pulumi preview`/`up` would stop before the program runs."""

    errors: tuple[str, ...]  # the CLI's messages; it prints only the first per run
    keys: tuple[str, ...]  # the refused keys ("ns:key"), left out when the program's checks run
    fixes: tuple[str, ...] = ()  # per error: the bad value and what to write instead

    @property
    def message(self) -> str:
        return f"error: validating stack config: {self.errors[0]}"

    def explained(self, index: int) -> str:
        """The CLI's error with the bad value and the fix after it."""
        fix = self.fixes[index] if index < len(self.fixes) else ""
        return f"{self.errors[index]} ({fix})" if fix else self.errors[index]

    def without(self, config: dict[str, str]) -> dict[str, str]:
        return {k: v for k, v in config.items() if k not in self.keys}

    def report(self, program_error: str | None) -> str:
        """The CLI's error, then what the program's own checks say about the other keys."""
        lines = [self.message]
        if self.fixes:
            lines.append(f"  ({self.fixes[0]})")
        lines.append("`pulumi preview`/`up` stop here; the program never runs.")
        if len(self.errors) > 1:
            lines.append("Fixing it, the next runs would stop at (one per run):")
            lines += [f"  - {self.explained(i)}" for i in range(1, len(self.errors))]
        if program_error:
            lines.append("The program's own checks of the other keys:")
            lines.append(program_error)
        else:
            lines.append("The program's own checks find nothing wrong with the other keys.")
        return "\n".join(lines)


def cli_refusal(stack: str, project: Project, values: dict[str, StackValue]) -> Refusal | None:
    """The CLI's verdict on a stack's config: None when `pulumi up` would start the program."""
    merged, missing = apply_project_config(project, values)
    if missing:
        fix = "set " + ", ".join(f"`pulumi config set {key} <value>`" for key in sorted(missing))
        return Refusal((_missing_message(stack, missing),), (), (fix,))
    errors, keys, fixes = [], [], []
    for key in sorted(project.config):
        full = project.full_key(key)
        value = merged.get(full, StackValue(""))  # Go: the zero Value, text ""
        if found := _value_error(stack, project.config[key], value):
            errors.append(found[0])
            fixes.append(found[1])
            keys.append(full)
    return Refusal(tuple(errors), tuple(keys), tuple(fixes)) if errors else None


def engine_config(project: Project, values: dict[str, StackValue]) -> dict[str, str]:
    """The config the engine hands the program: "ns:key" -> text, defaults applied."""
    merged, _ = apply_project_config(project, values)
    return {key: value.text for key, value in sorted(merged.items())}
