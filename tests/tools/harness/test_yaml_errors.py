"""A stack file the Pulumi CLI refuses is reported with file, line, column and the fix, in every
output format of the plan; one it reads but likely not as meant gets a note."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from support import run_plan

import tools.plan.cli
from tools import harness
from tools.harness.stack_file import load_go_yaml, read_stack_values, stack_file_notes
from tools.harness.yaml_errors import YamlFileError

PROJECT = "aks-pod-sandboxing"


def refusal(text: str) -> YamlFileError:
    with pytest.raises(YamlFileError) as raised:
        read_stack_values(text, PROJECT, "Pulumi.x.yaml")
    return raised.value


# Laid out by hand (fmt: skip): one case per line reads as a table; the formatter would spread
# most cases over several lines.
@pytest.mark.parametrize(
    ("text", "line", "column", "problem", "cli"),
    [
        # a plain value with ': ' in it (yaml.v3 v3.0.1 decode_test.go has the same libyaml
        # messages)
        ("config:\n  a: 1\n  x: a: b\n", 3, 7, "mapping values are not allowed in this context",
         "invalid YAML file: yaml: line 3: mapping values are not allowed in this context"),
        # a key without its colon: the CLI names the line the key starts on
        ("config:\n  a: 1\n  b\n  c: 2\n", 4, 3, "could not find expected ':'",
         "invalid YAML file: yaml: line 3: could not find expected ':'"),
        ("config:\n\ta: 1\n", 2, 1, "found character that cannot start any token",
         "invalid YAML file: yaml: line 2: found character that cannot start any token"),
        ('config:\n  a: "abc\n  b: 2\n', 4, 1, "found unexpected end of stream",
         "invalid YAML file: yaml: line 2: found unexpected end of stream"),
    ],
)  # fmt: skip
def test_syntax_errors_name_file_line_column_and_the_fix(
    text: str, line: int, column: int, problem: str, cli: str
) -> None:
    error = refusal(text)
    (found,) = error.problems
    assert (found.line, found.column) == (line, column)
    assert found.problem.startswith(problem)
    assert found.cli_error == cli
    assert found.fix and found.fix != problem
    assert str(error).startswith(f"Pulumi.x.yaml, line {line}, column {column}: {problem}")
    assert f"The Pulumi CLI stops with: error: getting stack configuration: {cli}" in str(error)


def test_duplicate_keys_are_refused_as_yaml_v3_refuses_them() -> None:
    # go-yaml v3.0.1 decode_test.go: "a: 1\nb: 2\na: 3\n" -> the message below.
    with pytest.raises(YamlFileError) as raised:
        load_go_yaml("a: 1\nb: 2\na: 3\n")
    (found,) = raised.value.problems
    assert (
        found.cli_error
        == 'yaml: unmarshal errors:\n  line 3: mapping key "a" already defined at line 1'
    )
    error = refusal(
        "config:\n  aks-pod-sandboxing:kataNodeCount: 1\n  aks-pod-sandboxing:clusterName: a\n"
        "  aks-pod-sandboxing:kataNodeCount: 2\n"
    )
    (found,) = error.problems
    assert (found.line, found.column) == (4, 3)
    assert (
        found.problem == 'mapping key "aks-pod-sandboxing:kataNodeCount" already defined at line 2'
    )
    assert "keep one `aks-pod-sandboxing:kataNodeCount:` (line 2 or line 4)" in found.fix


def test_keys_compare_as_written_and_a_refused_mapping_is_not_descended() -> None:
    # Namespaced and bare spellings are different keys to yaml.v3 (the CLI merges them later).
    assert load_go_yaml("config:\n  x: 1\n  aks-pod-sandboxing:x: 2\n")
    with pytest.raises(YamlFileError) as raised:
        load_go_yaml("a:\n  b: 1\n  b: 2\na: 3\n")
    assert [p.line for p in raised.value.problems] == [4]  # the inner duplicate goes unseen


def test_a_file_that_is_not_a_mapping() -> None:
    error = refusal("- config\n")
    assert "not a mapping with `config:`" in error.problems[0].problem
    assert error.problems[0].cli_error == "expected project to be an object, was '[]interface {}'"


def test_no_config_section_is_accepted_and_named() -> None:
    assert read_stack_values("encryptionsalt: v1:abc\n", PROJECT) == {}
    (note,) = stack_file_notes("encryptionsalt: v1:abc\n", "Pulumi.x.yaml")
    assert note.startswith("Pulumi.x.yaml has no `config:` section. The Pulumi CLI accepts that")
    assert "default for every key" in note
    notes = stack_file_notes("configs:\n  aks-pod-sandboxing:kataNodeCount: 2\n", "Pulumi.x.yaml")
    assert "ignores the top-level key(s) configs" in notes[0]
    assert stack_file_notes("config:\n  a: 1\nencryptionsalt: x\n", "Pulumi.x.yaml") == []


@pytest.fixture
def stack_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(
        tools.plan.cli, "read_stack", functools.partial(harness.read_stack, stack_dir=tmp_path)
    )
    monkeypatch.setattr(
        tools.plan.cli, "stack_notes", functools.partial(harness.stack_notes, stack_dir=tmp_path)
    )
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_the_plan_reports_a_bad_stack_file_in_every_format(
    capsys: pytest.CaptureFixture[str], stack_dir: Path, fmt: str
) -> None:
    (stack_dir / "Pulumi.bad.yaml").write_text(
        "config:\n  azure-native:location: westeurope\n  aks-pod-sandboxing:podImage: a: b\n"
    )
    code, out, err = run_plan(capsys, "--stack", "bad", "--format", fmt)
    assert code == 1 and err == ""
    assert "Traceback" not in out
    if fmt == "json":
        plan = json.loads(out)
        (entry,) = plan["error"]
        assert (entry["file"], entry["line"], entry["column"]) == ("Pulumi.bad.yaml", 3, 33)
        assert entry["message"].startswith("mapping values are not allowed in this context; fix:")
        assert plan["resources"] == [] and plan["estimate"] is None
        return
    assert "Pulumi.bad.yaml, line 3, column 33: mapping values are not allowed" in out
    assert "fix: a plain value cannot contain ': '" in " ".join(out.split())


def test_the_plan_notes_a_missing_config_section_before_the_programs_problems(
    capsys: pytest.CaptureFixture[str], stack_dir: Path
) -> None:
    (stack_dir / "Pulumi.empty.yaml").write_text("encryptionsalt: v1:abc\n")
    code, out, _ = run_plan(capsys, "--stack", "empty")
    assert code == 1  # the program then stops: azure-native:location has no default
    flat = " ".join(out.split())
    assert flat.index("has no `config:` section") < flat.index("azure-native:location")
