from __future__ import annotations

import pytest

from sandboxing.config.contract import default_settings
from sandboxing.config.settings import PROJECT
from sandboxing.config.unknown_keys import closest_key, unknown_keys
from sandboxing.keys import CONFIG_KEYS
from sandboxing.rules import pools as pool_rules


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        ("kataNodeVMSize", "kataNodeVmSize"),
        ("katanodecount", "kataNodeCount"),
        ("kataNodeCont", "kataNodeCount"),
        ("entraAdminGroupObjectId", "entraAdminGroupObjectIds"),
        ("apiServerAuthorizedIPRanges", "apiServerAuthorizedIpRanges"),
        ("zzz", None),
    ],
)
def test_closest_key(name: str, meant: str | None) -> None:
    assert closest_key(name) == meant


def test_only_unknown_keys_of_this_project_are_problems() -> None:
    received = {f"{PROJECT}:{k.name}": "x" for k in CONFIG_KEYS}
    received |= {
        "azure-native:location": "westeurope",
        "kubernetes:context": "c",
        f"{PROJECT}:kataNodeVMSize": "Standard_D4s_v5",
        f"{PROJECT}:zzz": "1",
    }
    problems = unknown_keys(received)
    assert [(p.key, p.value) for p in problems] == [
        ("kataNodeVMSize", "Standard_D4s_v5"),
        ("zzz", "1"),
    ]
    assert problems[0].message.endswith("did you mean kataNodeVmSize?")
    assert "did you mean" not in problems[1].message
    assert all(p.severity == "error" for p in problems)


@pytest.mark.parametrize(
    ("version", "hint"),
    [("1.3", "'1.30'"), ("1.4", "'1.40'"), ("1.2", None), ("1.26", None), ("1.3.1", None)],
)
def test_a_version_that_was_an_unquoted_yaml_number_says_quote_it(
    version: str, hint: str | None
) -> None:
    (problem,) = pool_rules.check_kubernetes_version(default_settings(kubernetes_version=version))
    assert problem.value == version
    if hint:
        assert problem.message.endswith(f"quote it: {hint}")
    else:
        assert "quote it" not in problem.message
