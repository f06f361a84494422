"""The Pulumi CLI's typed-config check, applied offline with the types of the real Pulumi.yaml."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

import tools.plan.cli
from sandboxing.config.settings import PROJECT
from tools import harness
from tools.harness import run_program
from tools.harness.cli_config import (
    ItemsType,
    Project,
    cli_refusal,
    default_value,
    go_atoi,
    read_project,
    read_project_file,
    validate_config_value,
)
from tools.harness.stack_file import StackValue, read_stack_values
from tools.repo import REPO, tracked_stacks

GUID_A = "0f4b8c4e-1a2b-4c3d-8e9f-0123456789ab"
GUID_B = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"
PULUMI_YAML = read_project_file(REPO / "Pulumi.yaml")
STRINGS = ItemsType("string")


def refusal_of(stack_yaml: str, project: Project = PULUMI_YAML) -> str | None:
    refusal = cli_refusal("dev", project, read_stack_values(stack_yaml, PROJECT))
    return refusal.message if refusal else None


def stack(*lines: str) -> str:
    return "config:\n  azure-native:location: westeurope\n" + "".join(f"  {x}\n" for x in lines)


def write_stack(tmp_path: Path, *lines: str) -> Path:
    (tmp_path / "Pulumi.t.yaml").write_text(stack(*lines))
    return tmp_path


# --- the rules of ValidateConfigValue ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("2", True),
        ("-2", True),
        ("+2", True),
        ("007", True),
        (" 2", False),
        ("2 ", False),
        ("2.0", False),
        ("1_000", False),
        ("two", False),
        ("", False),
        ("٢", False),
        ("9223372036854775807", True),
        ("9223372036854775808", False),
    ],
)
def test_integer_text_must_parse_like_go_atoi(text: str, ok: bool) -> None:
    assert go_atoi(text) is ok
    assert validate_config_value("integer", None, text) is ok


def test_typed_values() -> None:
    assert validate_config_value("integer", None, 3.0)  # a whole JSON number
    assert not validate_config_value("integer", None, 3.5)
    assert not validate_config_value("integer", None, True)
    assert [validate_config_value("boolean", None, v) for v in ("true", "false", True)] == [
        True,
        True,
        True,
    ]
    assert not any(validate_config_value("boolean", None, v) for v in ("True", "yes", "1", 1.0))
    assert validate_config_value("string", None, "1.3")
    assert not validate_config_value("string", None, ["a"])
    assert validate_config_value("array", STRINGS, ["a", "b"])
    assert validate_config_value("array", STRINGS, [])
    assert not validate_config_value("array", STRINGS, '["a"]')  # a JSON string is not a list
    assert not validate_config_value("array", STRINGS, ["a", 2.0])
    assert not validate_config_value("array", None, ["a"])  # an array needs its item type


def test_defaults_reach_the_program_as_the_cli_writes_them() -> None:
    assert default_value(1) == StackValue("1")
    assert default_value(False) == StackValue("false")
    assert default_value("") == StackValue("")
    assert default_value([]) == StackValue("[]", object=True)
    config = harness.stack_config("dev")
    assert config[f"{PROJECT}:systemNodeCount"] == "1"  # not in Pulumi.dev.yaml
    assert config[f"{PROJECT}:enableAzureRbac"] == "false"
    assert config[f"{PROJECT}:runtimeClassName"] == ""
    assert config[f"{PROJECT}:entraAdminGroupObjectIds"] == "[]"


def test_the_types_come_from_pulumi_yaml() -> None:
    project = read_project("name: p\nconfig:\n  n:\n    type: integer\n    default: 1\n")
    assert refusal_of("config:\n  other:n: x\n", project) is None  # another namespace's key
    refusal = cli_refusal("s", project, read_stack_values("config:\n  n: x\n", "p"))
    assert refusal is not None
    assert refusal.message == (
        "error: validating stack config: Stack 's' with configuration key 'n' must be of type "
        "'integer'"
    )
    with pytest.raises(ValueError, match="default value specified for configuration key 'n'"):
        read_project("name: p\nconfig:\n  n:\n    type: integer\n    default: x\n")


def test_missing_required_keys_are_reported_together_first() -> None:
    project = read_project(
        "name: p\nconfig:\n  a:\n    type: string\n  b:\n    type: string\n"
        "  c:\n    type: integer\n    default: 1\n"
    )
    refusal = cli_refusal("s", project, read_stack_values("config:\n  c: x\n", "p"))
    assert refusal is not None
    assert refusal.errors == ("Stack 's' is missing configuration values 'a' and 'b'",)


def test_a_secret_key_must_be_encrypted() -> None:
    project = read_project("name: p\nconfig:\n  t:\n    type: string\n    secret: true\n")
    plain = cli_refusal("s", project, read_stack_values("config:\n  t: x\n", "p"))
    assert plain is not None
    assert plain.errors[0].endswith("configuration key 't' must be encrypted as it's secret")
    encrypted = read_stack_values("config:\n  t: {secure: v1:x}\n", "p")
    assert cli_refusal("s", project, encrypted) is None


# --- stack files against this project's Pulumi.yaml -------------------------------------------


def must_be(key: str, type_name: str) -> str:
    return (
        f"error: validating stack config: Stack 'dev' with configuration key '{key}' must be of "
        f"type '{type_name}'"
    )


@pytest.mark.parametrize(
    ("line", "key", "type_name"),
    [
        (f'{PROJECT}:kataNodeCount: " 2"', "kataNodeCount", "integer"),
        (f"{PROJECT}:kataNodeCount: two", "kataNodeCount", "integer"),
        (f"{PROJECT}:kataNodeCount: 2.5", "kataNodeCount", "integer"),
        # what `pulumi config set enableAzureRbac True` writes: the string "True"
        (f'{PROJECT}:enableAzureRbac: "True"', "enableAzureRbac", "boolean"),
        (f"{PROJECT}:enableAzureRbac: yes", "enableAzureRbac", "boolean"),  # a string in YAML 1.2
        (f"{PROJECT}:allowUnlistedVmSize:", "allowUnlistedVmSize", "boolean"),  # null
        # what `pulumi config set entraAdminGroupObjectIds '["<guid>"]'` writes: a string
        (
            f"{PROJECT}:entraAdminGroupObjectIds: '[\"{GUID_A}\"]'",
            "entraAdminGroupObjectIds",
            "array<string>",
        ),
        (
            f"{PROJECT}:apiServerAuthorizedIpRanges: 203.0.113.0/24",
            "apiServerAuthorizedIpRanges",
            "array<string>",
        ),
        (
            f"{PROJECT}:apiServerAuthorizedIpRanges: [1]",
            "apiServerAuthorizedIpRanges",
            "array<string>",
        ),
    ],
)
def test_the_cli_refuses(line: str, key: str, type_name: str) -> None:
    assert refusal_of(stack(line)) == must_be(key, type_name)


@pytest.mark.parametrize(
    "lines",
    [
        # `pulumi config set kataNodeCount 2` stores the string "2"
        [f'{PROJECT}:kataNodeCount: "2"'],
        [f"{PROJECT}:kataNodeCount: 2"],
        [f"{PROJECT}:kataNodeCount: 2.0"],  # a whole number: the program gets "2"
        [f"{PROJECT}:enableAzureRbac: True"],  # a YAML 1.2 boolean: the program gets "true"
        [f'{PROJECT}:enableAzureRbac: "true"'],
        [f"{PROJECT}:kubernetesVersion: 1.30"],  # a number is fine for a string key (text "1.3")
        # `pulumi config set --path 'entraAdminGroupObjectIds[0]' <guid>` (then [1]), as the CLI
        # writes it (pulumi/pulumi v3.259.0 pkg/cmd/pulumi/config/config_test.go "path'd" cases)
        [f"{PROJECT}:entraAdminGroupObjectIds:", f"  - {GUID_A}", f"  - {GUID_B}"],
        [f"{PROJECT}:apiServerAuthorizedIpRanges:", "  - 203.0.113.0/24"],
        [f"{PROJECT}:apiServerAuthorizedIpRanges: [203.0.113.0/24, 198.51.100.7/32]"],
        [f"{PROJECT}:kataNodeVMSize: Standard_D4s_v5"],  # the CLI never checks undeclared keys
    ],
)
def test_the_cli_accepts(lines: list[str]) -> None:
    assert refusal_of(stack(*lines)) is None


def test_only_the_first_mismatch_in_sorted_key_order_is_reported() -> None:
    refusal = cli_refusal(
        "dev",
        PULUMI_YAML,
        read_stack_values(
            stack(
                f"{PROJECT}:systemNodeCount: x",
                f"{PROJECT}:kataNodeCount: two",
                f'{PROJECT}:enableAzureRbac: "True"',
            ),
            PROJECT,
        ),
    )
    assert refusal is not None
    assert refusal.message == must_be("enableAzureRbac", "boolean")
    assert [e.split("'")[3] for e in refusal.errors] == [
        "enableAzureRbac",
        "kataNodeCount",
        "systemNodeCount",
    ]
    refused = ("enableAzureRbac", "kataNodeCount", "systemNodeCount")
    assert set(refusal.keys) == {f"{PROJECT}:{k}" for k in refused}


def test_every_stack_file_in_the_repo_passes_the_cli() -> None:
    for stack_name in tracked_stacks():
        assert harness.stack_refusal(stack_name) is None, stack_name


# --- the program gets what the engine would hand it -------------------------------------------


def test_array_forms_the_readme_shows_deploy(tmp_path: Path) -> None:
    directory = write_stack(
        tmp_path,
        f"{PROJECT}:entraAdminGroupObjectIds:",
        f"  - {GUID_A}",
        f"{PROJECT}:apiServerAuthorizedIpRanges:",
        "  - 203.0.113.0/24",
    )
    assert harness.stack_refusal("t", directory) is None
    config = harness.stack_config("t", directory)
    assert config[f"{PROJECT}:entraAdminGroupObjectIds"] == f'["{GUID_A}"]'
    result = run_program(config)
    assert result.error is None, result.error
    cluster = result.one("azure-native:containerservice:ManagedCluster").inputs
    assert cluster["aadProfile"]["adminGroupObjectIDs"] == [GUID_A]
    assert cluster["apiServerAccessProfile"]["authorizedIPRanges"] == ["203.0.113.0/24"]


def test_unquoted_version_1_30_is_named_with_the_fix(tmp_path: Path) -> None:
    directory = write_stack(tmp_path, f"{PROJECT}:kubernetesVersion: 1.30")
    config = harness.stack_config("t", directory)
    assert config[f"{PROJECT}:kubernetesVersion"] == "1.3"
    result = run_program(config)
    assert result.error is not None
    assert "kubernetesVersion = '1.3'" in result.error
    assert "quote it: '1.30'" in result.error
    quoted = write_stack(tmp_path, f"{PROJECT}:kubernetesVersion: '1.30'")
    quoted_config = harness.stack_config("t", quoted)
    assert quoted_config[f"{PROJECT}:kubernetesVersion"] == "1.30"
    # AKS no longer offers 1.30 (sandboxing/aks_versions.py), which is the only problem left.
    error = run_program(quoted_config).error or ""
    assert "kubernetesVersion = '1.30': AKS does not offer Kubernetes 1.30" in error
    assert "quote it" not in error


def test_misspelt_key_is_an_error_naming_the_closest_key(tmp_path: Path) -> None:
    directory = write_stack(tmp_path, f"{PROJECT}:kataNodeVMSize: Standard_D4s_v5")
    assert harness.stack_refusal("t", directory) is None
    result = run_program(harness.stack_config("t", directory))
    assert result.error is not None
    assert result.resources == []
    assert (
        f"{PROJECT}:kataNodeVMSize = 'Standard_D4s_v5': is not a configuration key of "
        f"{PROJECT}; did you mean kataNodeVmSize?"
    ) in result.error


def test_plan_refuses_like_the_cli_then_lists_the_programs_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = write_stack(
        tmp_path,
        f"{PROJECT}:kataNodeCount: two",
        f"{PROJECT}:kataOsSku: Ubuntu",
        f"{PROJECT}:kataNodeVMSize: Standard_D4s_v5",
    )
    monkeypatch.setattr(
        tools.plan.cli, "read_stack", functools.partial(harness.read_stack, stack_dir=directory)
    )
    assert tools.plan.cli.main(["--stack", "t", "--format", "json"]) == 1
    plan = json.loads(capsys.readouterr().out)
    assert plan["resources"] == [] and plan["estimate"] is None
    assert plan["error"][0] == {
        "key": f"{PROJECT}:kataNodeCount",
        "value": "two",
        "message": "Stack 't' with configuration key 'kataNodeCount' must be of type 'integer' "
        '(it is "two"; write a whole number without quotes, e.g. `kataNodeCount: 2`)',
    }
    assert [entry["key"] for entry in plan["error"][1:]] == [
        f"{PROJECT}:kataNodeVMSize",
        f"{PROJECT}:kataOsSku",
    ]
    first, *rest = plan["errorSummary"].splitlines()
    assert first == must_be("kataNodeCount", "integer").replace("'dev'", "'t'")
    program = "\n".join(rest)
    assert f"{PROJECT}:kataOsSku = 'Ubuntu'" in program
    assert "did you mean kataNodeVmSize?" in program
    assert "kataNodeCount =" not in program  # the CLI's key is not reported twice
