"""The offline plan and the preflight: skipped offline, said in every format; the Kubernetes
versions from `--aks-versions`, said so; the dated list's age on an injected day."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from support import dev_config, flat, run_plan

import tools.plan.cli
from sandboxing import aks_versions

FORMATS = ("text", "markdown", "json")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_says_the_preflight_was_skipped_offline(
    capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, _ = run_plan(capsys, "--format", fmt)
    assert code == 0
    if fmt == "json":
        preflight = json.loads(out)["preflight"]
        assert preflight["status"] == "skipped offline"
        assert any("Standard_D4s_v3 offered in westeurope" in c for c in preflight["checks"])
    else:
        assert "preflight: skipped offline" in out
        assert "Kubernetes 1.36 offered in westeurope" in out


def test_switched_off_the_plan_says_so(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = dev_config(preflight="false")
    monkeypatch.setattr(tools.plan.cli, "read_stack", lambda stack: (config, None))
    code, out, _ = run_plan(capsys, "--format", "json")
    assert code == 0 and json.loads(out)["preflight"] == {
        "status": "off (preflight: false)",
        "checks": [],
    }


def write_versions(tmp_path: Path, *minors: tuple[str, list[str]]) -> Path:
    path = tmp_path / "westeurope.json"
    values = [
        {
            "version": v,
            "capabilities": {"supportPlan": plans},
            "patchVersions": {f"{v}.1": {"upgrades": []}},
        }
        for v, plans in minors
    ]
    path.write_text(json.dumps({"values": values}))
    return path


def test_a_live_list_replaces_the_dated_one_and_the_plan_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_versions(
        tmp_path, ("1.35", ["KubernetesOfficial"]), ("1.36", ["AKSLongTermSupport"])
    )
    code, out, _ = run_plan(capsys, "--aks-versions", str(path), "--format", "json")
    plan = json.loads(out)
    assert code == 1  # dev pins 1.36, LTS-only in this list
    assert plan["kubernetesVersions"]["source"].startswith(f"{path} (az aks get-versions)")
    (error,) = plan["error"]
    assert error["key"] == "aks-pod-sandboxing:kubernetesVersion"
    assert "offered only with long-term support" in error["message"]
    code, text, _ = run_plan(capsys, "--aks-versions", str(path))
    assert f"Kubernetes versions checked against: {path} (az aks get-versions)" in flat(text)
    # The dated list again afterwards.
    assert aks_versions.current_window() is aks_versions.DATED_WINDOW


def test_a_file_that_is_not_the_list_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"value": []}')
    code, _, err = run_plan(capsys, "--aks-versions", str(bad))
    assert code == 2 and f"--aks-versions {bad}" in err and "az aks get-versions" in err


def test_the_dated_list_warns_when_it_is_old(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    later = aks_versions.AS_OF + datetime.timedelta(days=120)
    monkeypatch.setattr(aks_versions, "clock", lambda: later)
    code, out, _ = run_plan(capsys, "--format", "json")
    assert code == 0
    (stale,) = [w for w in json.loads(out)["warnings"] if "may be stale" in w]
    assert "120 days old" in stale and "--aks-versions" in stale
