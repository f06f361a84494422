"""Pulumi.yaml and the generated parts of docs/ follow the code that is their one home."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import load_yaml

from sandboxing.config.contract import parse_settings
from sandboxing.keys import CONFIG_KEYS
from tools.repo import REPO, tracked_stacks
from tools.schema import config_table, project_file
from tools.schema import main as schema_main


def test_pulumi_yaml_matches_the_contract() -> None:
    on_disk = load_yaml((REPO / "Pulumi.yaml").read_text())
    assert on_disk == project_file(), "run: python -m tools.schema"
    assert on_disk["name"] == "aks-pod-sandboxing"
    assert on_disk["runtime"] == {
        "name": "python",
        "options": {"toolchain": "pip", "virtualenv": "venv"},
    }


def test_every_key_has_type_description_and_default() -> None:
    schema = load_yaml((REPO / "Pulumi.yaml").read_text())["config"]
    assert set(schema) == {k.name for k in CONFIG_KEYS}
    for name, entry in schema.items():
        assert entry["type"] in ("string", "integer", "boolean", "array"), name
        assert entry["description"], name
        # Pulumi treats a typed key without default as required; every key here is optional.
        assert "default" in entry, name


def test_schema_defaults_parse_to_the_program_defaults() -> None:
    schema = load_yaml((REPO / "Pulumi.yaml").read_text())["config"]
    from_yaml, problems = parse_settings({k: v["default"] for k, v in schema.items()})
    from_code, _ = parse_settings({})
    assert problems == []
    assert from_yaml == from_code


def test_the_config_table_matches_the_contract() -> None:
    assert config_table() in (REPO / "docs" / "configuration.md").read_text(), (
        "run: python -m tools.schema"
    )


@pytest.mark.parametrize("stack", tracked_stacks())
def test_every_stack_file_only_sets_known_keys(stack: str) -> None:
    config = load_yaml((REPO / f"Pulumi.{stack}.yaml").read_text())["config"]
    names = {k.name for k in CONFIG_KEYS}
    for key in config:
        namespace, _, name = key.partition(":")
        assert namespace in ("aks-pod-sandboxing", "azure-native"), key
        if namespace == "aks-pod-sandboxing":
            assert name in names, key


GENERATED = (
    "Pulumi.yaml", "docs/configuration.md", "docs/offline-plan.md", "docs/capacity.md",
    "docs/stacks.md",
)  # fmt: skip


def copy_of_the_generated_files(tmp_path: Path) -> Path:
    for name in GENERATED:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text((REPO / name).read_text())
    return tmp_path


def test_help_shows_help_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = copy_of_the_generated_files(tmp_path)
    (repo / "Pulumi.yaml").write_text("stale")
    with pytest.raises(SystemExit) as exit_:
        schema_main(["--help"], repo=repo)
    assert exit_.value.code == 0
    assert "--check" in capsys.readouterr().out
    assert (repo / "Pulumi.yaml").read_text() == "stale"


def test_check_exits_1_on_stale_files_without_writing_and_0_when_current(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = copy_of_the_generated_files(tmp_path)
    assert schema_main(["--check"], repo=repo) == 0
    page = repo / "docs" / "configuration.md"
    table = page.read_text()
    row = "| `kataNodeCount` | integer | `1` |"
    stale = table.replace(row, row.replace("`1`", "`2`"))
    assert stale != table
    page.write_text(stale)
    assert schema_main(["--check"], repo=repo) == 1
    assert "configuration.md is out of date" in capsys.readouterr().err
    assert page.read_text() == stale
    assert schema_main([], repo=repo) == 0  # the plain run repairs it
    assert page.read_text() == table
    assert schema_main(["--check"], repo=repo) == 0


def test_create_times_in_the_docs_are_the_estimates_own(tmp_path: Path) -> None:
    from tools.plan.step_times import CREATE_SECONDS

    seconds = CREATE_SECONDS["azure-native:containerservice:AgentPool"]
    row = f"| Kata AgentPool | {seconds} s |"
    repo = copy_of_the_generated_files(tmp_path)
    doc = repo / "docs" / "offline-plan.md"
    assert row in doc.read_text()
    doc.write_text(doc.read_text().replace(row, f"| Kata AgentPool | {seconds + 60} s |"))
    assert schema_main(["--check"], repo=repo) == 1
    assert schema_main([], repo=repo) == 0
    assert row in doc.read_text()


def test_a_stale_stack_table_is_caught_and_rewritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = copy_of_the_generated_files(tmp_path)
    doc = repo / "docs" / "stacks.md"
    current = doc.read_text()
    from tools.stacks_doc import stack_shape

    vcpus = stack_shape("dev").vcpus()
    row = f"| `dev` | {vcpus} |"
    assert row in current
    doc.write_text(current.replace(row, f"| `dev` | {vcpus - 1} |"))
    assert schema_main(["--check"], repo=repo) == 1
    assert "stacks.md is out of date" in capsys.readouterr().err
    assert schema_main([], repo=repo) == 0
    assert doc.read_text() == current


def test_a_page_without_its_markers_is_an_error_not_a_silent_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = copy_of_the_generated_files(tmp_path)
    doc = repo / "docs" / "stacks.md"
    doc.write_text(doc.read_text().replace("<!-- stacks:end -->", ""))
    assert schema_main(["--check"], repo=repo) == 2
    assert "stacks.md needs exactly one" in capsys.readouterr().err


def test_the_pod_cost_follows_the_defaults_and_the_sizing() -> None:
    from sandboxing.keys import KEYS_BY_NAME
    from sandboxing.sizing import sandbox_sizing
    from tools.schema import pod_sizing_table

    table = pod_sizing_table()
    assert table in (REPO / "docs" / "capacity.md").read_text(), "run: python -m tools.schema"
    default = sandbox_sizing(*(KEYS_BY_NAME[k].default for k in (
        "podCpuLimit", "podMemoryLimit", "kataNodeVmSize")))  # fmt: skip
    assert f"| untrusted pods per node | {default.pods_per_node} (" in table
    host = default.host_memory_per_pod_mib
    assert f"| host memory per pod (limit + overhead) | {host} MiB |" in table
