"""The configuration problems of an offline plan, as data.

The program stops a bad configuration with a `ConfigError` (components/config_error.py) that
carries its problems; the harness keeps them (`RunResult.problems`), so the plan lists them as
they are. Any other error stays one entry with its text.
"""

from __future__ import annotations

from typing import Any

from sandboxing.config.settings import PROJECT, Problem
from tools.harness.cli_config import Refusal


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    return value if isinstance(value, str | int | float | bool | None) else str(value)


def error_entries(error: str | None, problems: list[Problem]) -> list[dict[str, Any]]:
    """The plan's `error` list: one {key, value, message} per problem."""
    if not error:
        return []
    if problems:
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
        {"key": key, "value": config.get(key), "message": refusal.explained(index)}
        for index, key in enumerate(refusal.keys)
    ]
