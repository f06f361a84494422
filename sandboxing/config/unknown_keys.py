"""Keys in the project's namespace that the contract does not know.

The Pulumi CLI only checks the keys `Pulumi.yaml` declares (pulumi/pulumi v3.259.0
pkg/workspace/config.go `validateStackConfigValues` loops over the project's keys), so a misspelt
key such as `kataNodeVMSize` would otherwise be ignored while its real key silently keeps the
default.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from sandboxing.config.settings import PROJECT, Problem
from sandboxing.keys import CONFIG_KEYS

_KNOWN = {key.name.lower(): key.name for key in CONFIG_KEYS}


def closest_key(name: str) -> str | None:
    """The known key a misspelling most likely meant (case first, then spelling)."""
    folded = name.lower()
    if folded in _KNOWN:
        return _KNOWN[folded]
    match = difflib.get_close_matches(folded, list(_KNOWN), n=1, cutoff=0.6)
    return _KNOWN[match[0]] if match else None


def unknown_keys(received: Mapping[str, str]) -> list[Problem]:
    """One error per `aks-pod-sandboxing:<key>` the contract does not define."""
    problems = []
    for full_key in sorted(received):
        namespace, _, name = full_key.partition(":")
        if namespace != PROJECT or name in _KNOWN.values():
            continue
        meant = closest_key(name)
        hint = f"did you mean {meant}?" if meant else "see Pulumi.yaml for the keys"
        problems.append(
            Problem(name, received[full_key], f"is not a configuration key of {PROJECT}; {hint}")
        )
    return problems
