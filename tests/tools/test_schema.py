"""Pulumi.yaml and the README follow the one config contract."""

from __future__ import annotations

import pytest
import yaml

from sandboxing.contract import CONFIG_KEYS, parse_settings
from tools.harness import REPO, list_stacks
from tools.schema import project_file, readme_table


def test_pulumi_yaml_matches_the_contract() -> None:
    on_disk = yaml.safe_load((REPO / "Pulumi.yaml").read_text())
    assert on_disk == project_file(), "run: python -m tools.schema"
    assert on_disk["name"] == "aks-pod-sandboxing"
    assert on_disk["runtime"] == {
        "name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"},
    }  # fmt: skip


def test_every_key_has_type_description_and_default() -> None:
    schema = yaml.safe_load((REPO / "Pulumi.yaml").read_text())["config"]
    assert set(schema) == {k.name for k in CONFIG_KEYS}
    for name, entry in schema.items():
        assert entry["type"] in ("string", "integer", "boolean", "array"), name
        assert entry["description"], name
        # Pulumi treats a typed key without default as required; every key here is optional.
        assert "default" in entry, name


def test_schema_defaults_parse_to_the_program_defaults() -> None:
    schema = yaml.safe_load((REPO / "Pulumi.yaml").read_text())["config"]
    from_yaml, problems = parse_settings({k: v["default"] for k, v in schema.items()})
    from_code, _ = parse_settings({})
    assert problems == []
    assert from_yaml == from_code


def test_readme_config_table_matches_the_contract() -> None:
    assert readme_table() in (REPO / "README.md").read_text(), "run: python -m tools.schema"


@pytest.mark.parametrize("stack", list_stacks())
def test_every_stack_file_only_sets_known_keys(stack: str) -> None:
    config = yaml.safe_load((REPO / f"Pulumi.{stack}.yaml").read_text())["config"]
    names = {k.name for k in CONFIG_KEYS}
    for key in config:
        namespace, _, name = key.partition(":")
        assert namespace in ("aks-pod-sandboxing", "azure-native"), key
        if namespace == "aks-pod-sandboxing":
            assert name in names, key
