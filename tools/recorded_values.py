"""Values recorded by the mock engine, turned back into the plain data a reader expects.

The engine's wire format differs from what a manifest or a reviewer should see in three ways:
integers arrive as floats (1 -> 1.0; YAML `runAsUser: 65532.0` is rejected by the API server's
int64 fields), secrets arrive wrapped in a signature dict, values unknown before apply arrive
as the UNKNOWN sentinel (or None, once deserialized), and map keys come in an arbitrary order.
"""

from __future__ import annotations

from typing import Any

from pulumi.runtime import rpc

from tools.harness import is_secret_value

SECRET_MASK = "[secret]"
UNKNOWN = "(known after apply)"


def _is_unknown(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == rpc.UNKNOWN)


def plain(value: Any, *, reveal_secrets: bool = False) -> Any:
    """`value` with whole floats as ints, secrets masked (or unwrapped) and unknowns marked.

    Unknown dict entries are dropped, as the engine itself drops them from recorded inputs;
    unknown list items become UNKNOWN so the gap stays visible instead of shifting indexes.
    """
    if is_secret_value(value):
        if not reveal_secrets:
            return SECRET_MASK
        return plain(value.get("value"), reveal_secrets=True)
    if isinstance(value, dict):
        return {
            key: plain(item, reveal_secrets=reveal_secrets)
            for key, item in value.items()
            if not _is_unknown(item)
        }
    if isinstance(value, list | tuple):
        return [
            UNKNOWN if _is_unknown(item) else plain(item, reveal_secrets=reveal_secrets)
            for item in value
        ]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if _is_unknown(value):
        return UNKNOWN
    return value


def sorted_keys(value: Any) -> Any:
    """`value` with every dict's keys sorted: the engine's wire order varies between runs."""
    if isinstance(value, dict):
        return {key: sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [sorted_keys(item) for item in value]
    return value
