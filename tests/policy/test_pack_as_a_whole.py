"""The pack as a whole: its policies and levels, and what its own venv must provide."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from pulumi_policy import EnforcementLevel

from policy import sandbox_policies as sp
from sandboxing import workload
from sandboxing.config.contract import default_settings
from tools.repo import REPO


def test_pack_has_three_mandatory_policies_and_one_advisory() -> None:
    levels = {p.name: p.enforcement_level for p in sp.POLICIES}
    assert levels == {
        "kata-pod-hardening": EnforcementLevel.MANDATORY,
        "kata-node-pools": EnforcementLevel.MANDATORY,
        "sandbox-pods-use-kata": EnforcementLevel.MANDATORY,
        "images-pinned-by-digest": EnforcementLevel.ADVISORY,
    }
    config_defaults = {
        (p.name, key): prop["default"]
        for p in sp.POLICIES
        if p.config_schema
        for key, prop in p.config_schema.properties.items()
    }
    assert config_defaults == {
        ("kata-node-pools", "allowUnlistedVmSize"): False,
        ("sandbox-pods-use-kata", "sandboxNamespaces"): [default_settings().pod_namespace],
        ("sandbox-pods-use-kata", "trustedPods"): [workload.TRUSTED_POD],
    }


def _import_closure(entry: Path) -> set[str]:
    """Top-level names of every non-local import reachable from `entry` through local modules
    (`policy.*`, `sandboxing.*`), as Python would load them."""
    todo, seen, outside = [entry], set(), set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                # `from pkg import mod` may name submodules: try both readings.
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] not in ("policy", "sandboxing"):
                    outside.add(parts[0])
                    continue
                for candidate in (
                    REPO.joinpath(*parts).with_suffix(".py"),
                    REPO.joinpath(*parts, "__init__.py"),
                ):
                    if candidate.exists():
                        todo.append(candidate)
    return outside - set(sys.stdlib_module_names) - {"__future__"}


def test_pack_venv_needs_only_its_own_requirements() -> None:
    # The pack runs in policy/venv with policy/requirements.txt and imports `sandboxing` from
    # the repository: whatever it loads must be stdlib, local, or listed there.
    third_party = _import_closure(REPO / "policy" / "__main__.py")
    requirements = (REPO / "policy" / "requirements.txt").read_text()
    listed = {
        m[1].replace("-", "_")
        for m in re.finditer(r"^([A-Za-z0-9_.-]+)", requirements, re.MULTILINE)
    }
    assert third_party == {"pulumi", "pulumi_policy"}
    assert third_party <= listed


def _spec(text: str, package: str) -> str:
    match = re.search(rf"^{re.escape(package)}([<>=!~][^\s#]*)", text, re.MULTILINE)
    assert match, f"{package} missing"
    return match[1]


def test_pack_requirements_match_the_programs_ranges() -> None:
    # The ranges; tools.locks checks that the locks agree on the versions.
    pack = (REPO / "policy" / "requirements.in").read_text()
    program = (REPO / "requirements.in").read_text()
    dev = (REPO / "requirements-dev.in").read_text()
    assert _spec(pack, "pulumi") == _spec(program, "pulumi")
    assert _spec(pack, "pulumi-policy") == _spec(dev, "pulumi-policy")
