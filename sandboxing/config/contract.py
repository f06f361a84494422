"""Reading the stack configuration by its keys' declarations (`sandboxing.keys`). Pure.

Raw values in (text, as the Pulumi engine hands them over, or already typed), a typed `Settings`
and a list of problems out. `check_keys` checks every key on its own: required, unused, and its
kind of value; the rules that read several keys run after it (`sandboxing.config.validate`).
"""

from __future__ import annotations

import json
from dataclasses import fields, replace
from typing import Any

from sandboxing.config.key import ConfigKey
from sandboxing.config.kinds import refusal, warning
from sandboxing.config.settings import Problem, Settings, value_of
from sandboxing.keys import CONFIG_KEYS
from sandboxing.names import snake

_FIELD_NAMES = {field.name for field in fields(Settings)}
assert all(snake(key.name) in _FIELD_NAMES for key in CONFIG_KEYS), "keys and Settings differ"


def _convert(key: ConfigKey, raw: Any) -> tuple[Any, list[Problem]]:
    """Turn one raw config value (string from the engine, or already typed) into its type."""
    if key.type == "string":
        if isinstance(raw, str):
            return raw.strip(), []
        return None, [Problem(key.name, raw, "must be a string")]
    if key.type == "integer":
        if isinstance(raw, bool):
            return None, [Problem(key.name, raw, f"must be a whole number ({key.allowed})")]
        if isinstance(raw, int):
            return raw, []
        try:
            return int(str(raw).strip()), []
        except ValueError:
            return None, [Problem(key.name, raw, f"must be a whole number ({key.allowed})")]
    if key.type == "boolean":
        if isinstance(raw, bool):
            return raw, []
        text = str(raw).strip().lower()
        if text in ("true", "false"):
            return text == "true", []
        return None, [Problem(key.name, raw, "must be true or false")]
    # an array: the engine hands arrays over as JSON text
    value = raw
    if isinstance(raw, str):
        try:
            value = json.loads(raw) if raw.strip() else []
        except json.JSONDecodeError:
            return None, [Problem(key.name, raw, f"must be a JSON list ({key.allowed})")]
    if key.read is not None:
        return key.read(value)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return None, [Problem(key.name, raw, f"must be a list of strings ({key.allowed})")]
    return tuple(item.strip() for item in value), []


def _default(key: ConfigKey) -> Any:
    if key.read is not None:
        return key.read(key.default)[0]
    return tuple(key.default) if isinstance(key.default, list) else key.default


def parse_settings(
    raw: dict[str, Any], location: str = "", azure_environment: str = "", **context: Any
) -> tuple[Settings, list[Problem]]:
    """Parse raw config values (missing or None: the default) into Settings.

    A value of the wrong type is reported and replaced by the default, so the remaining rules
    can still run and every problem is reported in one go. `context` sets the Settings fields
    that are not keys (azure_metadata_host, cloud_variables, kubernetes_versions, today).
    """
    values: dict[str, Any] = {
        "location": location,
        "azure_environment": azure_environment,
        **context,
    }
    problems: list[Problem] = []
    for key in CONFIG_KEYS:
        raw_value = raw.get(key.name)
        value = _default(key)
        if raw_value is not None:
            converted, found = _convert(key, raw_value)
            problems += found
            if converted is not None:
                value = converted
        values[snake(key.name)] = value
    return Settings(**values), problems


def _unused(key: ConfigKey, settings: Settings) -> tuple[bool, list[Problem]]:
    """Whether the key's value goes unchecked, and the warnings for a value set but not used."""
    value = value_of(settings, key.name)
    default = _default(key)
    for unused in key.unused:
        if unused.when(settings):
            if value == default or value in unused.quiet:
                return unused.unchecked, []
            return unused.unchecked, [
                Problem(key.name, value, f"is not used {unused.phrase}", "warning")
            ]
    return False, []


def check_keys(settings: Settings) -> list[Problem]:
    """Every key on its own: required, not used, and its kind of value."""
    problems: list[Problem] = []
    for key in CONFIG_KEYS:
        unchecked, found = _unused(key, settings)
        problems += found
        if unchecked:
            continue
        value = value_of(settings, key.name)
        if key.required_when and key.required_when.holds(settings) and not value:
            problems.append(Problem(key.name, value, f"is required when {key.required_when}"))
        elif key.value and (refused := refusal(key.value, value)):
            problems.append(Problem(key.name, *refused))
        elif key.value and (warned := warning(key.value, value)):
            problems.append(Problem(key.name, *warned, "warning"))
    return problems


def default_settings(**overrides: Any) -> Settings:
    """Settings with every key at its default, then the given fields replaced."""
    settings, _ = parse_settings({})
    return replace(settings, **overrides)
