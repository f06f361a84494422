"""The comparison the e2e workflow runs between `pulumi config --json` and the offline model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools.harness import stack_config
from tools.harness.compare_cli_config import differences, main


def cli_json(config: dict[str, str]) -> dict[str, dict[str, object]]:
    """`pulumi config --json` for these values: lists and maps also as objectValue."""
    out: dict[str, dict[str, object]] = {}
    for key, text in config.items():
        entry: dict[str, object] = {"value": text, "secret": False}
        if text.startswith(("[", "{")):
            entry["objectValue"] = json.loads(text)
        out[key] = entry
    return out


def test_the_same_config_has_no_difference() -> None:
    model = {"p:count": "2", "p:list": '["a", "b"]', "p:flag": "false"}
    assert differences(cli_json(model), model) == []
    # JSON spacing is not a difference: the values are compared parsed.
    assert differences(cli_json({"p:list": '["a","b"]'}), {"p:list": '["a", "b"]'}) == []


def test_every_kind_of_difference_is_named() -> None:
    model = {"p:count": "2", "p:list": '["a"]', "p:only-model": "x"}
    cli = cli_json({"p:count": "3", "p:list": '["b"]', "p:only-cli": "y"})
    assert differences(cli, model) == [
        "p:count: the CLI reads '3', the offline model '2'",
        'p:list: the CLI reads ["b"], the offline model \'["a"]\'',
        "p:only-cli: the CLI has it, the offline model does not",
        "p:only-model: the offline model has 'x', the CLI does not",
    ]


def test_a_hidden_secret_is_compared_by_presence_only() -> None:
    cli = {"p:token": {"secret": True}}
    assert differences(cli, {"p:token": "anything"}) == []
    assert differences(cli, {}) == ["p:token: the CLI has it, the offline model does not"]


def test_exit_codes_on_a_real_stack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    same = tmp_path / "same.json"
    same.write_text(json.dumps(cli_json(stack_config("dev"))))
    assert main(["--stack", "dev", str(same)]) == 0
    changed = cli_json(stack_config("dev"))
    changed["aks-pod-sandboxing:kataNodeCount"]["value"] = "7"
    other = tmp_path / "other.json"
    other.write_text(json.dumps(changed))
    assert main(["--stack", "dev", str(other)]) == 1
    assert "aks-pod-sandboxing:kataNodeCount: the CLI reads '7'" in capsys.readouterr().out
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert main(["--stack", "dev", str(broken)]) == 2
