"""The configuration problems of an offline plan, as data rather than the program's error text.

The program stops a bad configuration with `pulumi.RunError(format_errors(problems))`. The plan
runs the same pure checks on the same stack config (sandboxing.config.validate, and for an existing
cluster sandboxing.rules.existing_cluster against the cluster the plan serves), and uses their
problems when they are exactly what stopped the program; any other error stays one entry with
its text.
"""

from __future__ import annotations

from typing import Any

from sandboxing.config.settings import PROJECT, Problem
from sandboxing.config.stack_config import check_stack_config
from sandboxing.config.validate import errors, format_errors
from sandboxing.rules.existing_cluster import check_existing_cluster
from tools.harness.cli_config import Refusal


def expected_errors(
    config: dict[str, str], stack: str, cluster: dict[str, Any] | None = None
) -> list[Problem]:
    """The errors the program reports for this config (and existing cluster), in its order."""
    settings, problems = check_stack_config(config)
    if found := errors(problems):
        return found
    if settings.existing_cluster and cluster is not None:
        return check_existing_cluster(settings, cluster, f"{PROJECT}/{stack}")
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


def refusal_entries(refusal: Refusal, config: dict[str, str]) -> list[dict[str, Any]]:
    """The CLI's type errors as `error` entries, first; a missing key has no single key."""
    if not refusal.keys:
        return [{"key": None, "value": None, "message": refusal.message}]
    return [
        {"key": key, "value": config.get(key), "message": error}
        for key, error in zip(refusal.keys, refusal.errors, strict=True)
    ]
