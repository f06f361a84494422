"""The configuration problems of an offline plan, as data rather than the program's error text.

The program stops a bad configuration with `pulumi.RunError(format_errors(problems))`. The plan
runs the same pure checks on the same stack config (sandboxing.rules, and for an existing
cluster sandboxing.existing_cluster against the cluster the plan serves), and uses their
problems when they are exactly what stopped the program; any other error stays one entry with
its text.
"""

from __future__ import annotations

from typing import Any

from components.kata_node_pool import MANAGED_BY_TAG
from sandboxing.contract import CONFIG_KEYS, PROJECT, Problem, Settings, parse_settings
from sandboxing.existing_cluster import check_existing_cluster
from sandboxing.rules import check_settings, errors, format_errors


def settings_from_config(config: dict[str, str]) -> tuple[Settings, list[Problem]]:
    """What components.stack_settings reads from the engine, read from the stack config."""
    raw = {key.name: config.get(f"{PROJECT}:{key.name}") for key in CONFIG_KEYS}
    location = config.get("azure-native:location") or ""
    environment = config.get("azure-native:environment") or ""
    settings, problems = parse_settings(raw, location, environment)
    return settings, problems + check_settings(settings)


def expected_errors(
    config: dict[str, str], stack: str, cluster: dict[str, Any] | None = None
) -> list[Problem]:
    """The errors the program reports for this config (and existing cluster), in its order."""
    settings, problems = settings_from_config(config)
    if found := errors(problems):
        return found
    if settings.existing_cluster and cluster is not None:
        return check_existing_cluster(settings, cluster, f"{PROJECT}/{stack}", MANAGED_BY_TAG)
    return []


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    return value if isinstance(value, str | int | float | bool | None) else str(value)


def error_entries(error: str | None, problems: list[Problem]) -> list[dict[str, Any]]:
    """The plan's `error` list: one {key, value, message} per problem."""
    if not error:
        return []
    if problems and error == format_errors(problems):
        return [
            {
                "key": p.key if ":" in p.key else f"{PROJECT}:{p.key}",
                "value": _json_value(p.value),
                "message": p.message,
            }
            for p in problems
        ]
    return [{"key": None, "value": None, "message": error}]
