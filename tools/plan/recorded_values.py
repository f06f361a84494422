"""Values recorded by the mock engine, turned back into the plain data a reader expects.

The engine's wire format differs from what a manifest or a reviewer should see in four ways:
integers arrive as floats (1 -> 1.0; YAML `runAsUser: 65532.0` is rejected by the API server's
int64 fields), secrets arrive wrapped in a signature dict, values unknown before apply arrive
as the UNKNOWN sentinel (None once deserialized by `pulumi up`, an `Unknown` object under
`pulumi preview`), and map keys come in an arbitrary order.

`leaf_paths` and `scalar_text` show nested data to a reader without hiding anything: one line
per leaf, `agentPoolProfiles[0].vmSize`, and values as YAML/JSON scalars (`true`, not `True`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from tools.harness.sdk_internals import UNKNOWN as WIRE_UNKNOWN
from tools.harness.sdk_internals import Unknown, is_secret_value

SECRET_MASK = "[secret]"
UNKNOWN = "(known after apply)"


def _is_unknown(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == WIRE_UNKNOWN)


def plain(value: Any, *, reveal_secrets: bool = False) -> Any:
    """`value` with whole floats as ints, secrets masked (or unwrapped) and unknowns marked.

    Unknown dict entries are dropped, as the engine itself drops them from recorded inputs;
    unknown list items become UNKNOWN so the gap stays visible instead of shifting indexes.
    """
    if isinstance(value, Unknown):  # a preview's unknown: shown, not dropped
        return UNKNOWN
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


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def path_parts(path: str) -> list[str | int]:
    """`spec.containers[0].image` -> ["spec", "containers", 0, "image"]."""
    return [int(index) if index else key for key, index in _PATH_PART.findall(path)]


def lookup(data: Any, path: str) -> Any:
    """The value at `path` in nested dicts/lists, or None when it is not there."""
    for part in path_parts(path):
        in_list = isinstance(part, int) and isinstance(data, list) and part < len(data)
        in_dict = isinstance(part, str) and isinstance(data, dict) and part in data
        if not (in_list or in_dict):
            return None
        data = data[part]
    return data


def leaf_paths(value: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf of `value` by its path; an empty dict or list is a leaf of its own."""
    if isinstance(value, dict) and value:
        leaves: dict[str, Any] = {}
        for key, item in value.items():
            leaves.update(leaf_paths(item, f"{prefix}.{key}" if prefix else str(key)))
        return leaves
    if isinstance(value, list) and value:
        leaves = {}
        for index, item in enumerate(value):
            leaves.update(leaf_paths(item, f"{prefix}[{index}]"))
        return leaves
    return {prefix: value}


def _reads_as_other_than_string(text: str) -> bool:
    try:
        return not isinstance(json.loads(text), str)
    except ValueError:
        return False


def scalar_text(value: Any) -> str:
    """A leaf as YAML prints it: `true`, `1`, `{}`, strings bare unless they would read as
    something else (`"1.33"`, `"true"`, `""`, surrounding spaces), then JSON-quoted."""
    if isinstance(value, str):
        bare = value and value.strip() == value and not _reads_as_other_than_string(value)
        return value if bare else json.dumps(value)
    return json.dumps(value, sort_keys=True)
