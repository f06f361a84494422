"""The e2e job summary and the per-shape comparison, from the files one e2e job writes."""

from __future__ import annotations

import json
from pathlib import Path

from tools.e2e_report import duration, load_run, main, render_comparison, render_summary, verdict


def write_run(
    directory: Path,
    shape: str,
    timings: list[tuple[str, int, int]],
    verify: dict[str, object] | None = None,
    estimate: int | None = 836,
) -> Path:
    directory.mkdir(parents=True)
    meta = {"shape": shape, "stack": f"e2e-1-1-{shape}", "location": "westeurope"}
    (directory / "meta.json").write_text(json.dumps(meta))
    lines = [json.dumps({"phase": p, "seconds": s, "exitCode": c}) for p, s, c in timings]
    (directory / "timings.jsonl").write_text("\n".join(lines) + "\n")
    if verify is not None:
        (directory / "verify.json").write_text(json.dumps(verify))
    if estimate is not None:
        (directory / "plan.json").write_text(json.dumps({"estimate": {"totalSeconds": estimate}}))
    return directory


ISOLATED = {
    "isolated": True,
    "exitCode": 0,
    "checks": [{"title": "kernels differ", "status": "PASS", "detail": "own kernel"}],
}


def test_summary_shows_verdict_phases_checks_and_estimate(tmp_path: Path) -> None:
    run = load_run(
        write_run(tmp_path / "a", "dedicated", [("pulumi up", 905, 0), ("verify", 42, 0)], ISOLATED)
    )
    text = render_summary(run)
    assert "Verdict: **ISOLATED**" in text
    assert "| pulumi up | 15m 05s | 0 |" in text
    assert "| verify | 42s | 0 |" in text
    assert "| kernels differ | PASS | own kernel |" in text
    assert "Offline estimate of `pulumi up` from empty: 13m 56s." in text


def test_a_failed_up_is_reported_without_a_verify_report(tmp_path: Path) -> None:
    run = load_run(write_run(tmp_path / "a", "system", [("pulumi up", 300, 255)]))
    assert verdict(run) == "not checked: `pulumi up` did not succeed"


def test_cannot_check_report_carries_its_error(tmp_path: Path) -> None:
    report = {"isolated": False, "exitCode": 2, "error": "pods not Running"}
    run = load_run(write_run(tmp_path / "a", "system", [("pulumi up", 1, 0)], report))
    assert verdict(run) == "CANNOT CHECK (pods not Running)"


def test_unreadable_files_are_named_not_fatal(tmp_path: Path) -> None:
    directory = write_run(tmp_path / "a", "system", [("pulumi up", 1, 0)], estimate=None)
    (directory / "verify.json").write_text("{not json")
    (directory / "timings.jsonl").write_text("garbage\n")
    run = load_run(directory)
    assert run.phases == [] and run.verify is None
    text = render_summary(run)
    assert "verify.json is not JSON" in text and "timings.jsonl line 1" in text


def test_comparison_lists_each_shape_with_measured_over_estimate(tmp_path: Path) -> None:
    runs = [
        load_run(write_run(tmp_path / "s", "system", [("pulumi up", 1254, 0)], ISOLATED, 836)),
        load_run(write_run(tmp_path / "d", "dedicated", [("pulumi up", 600, 1)], None, 836)),
    ]
    rows = [line for line in render_comparison(runs).splitlines() if line.startswith("| ")][1:]
    assert rows[0].startswith("| dedicated | westeurope | 10m 00s (failed) | 13m 56s | - |")
    assert rows[1].startswith("| system | westeurope | 20m 54s | 13m 56s | 1.50x | ISOLATED")


def test_cli_prints_the_summary(tmp_path: Path, capsys: object) -> None:
    directory = write_run(tmp_path / "a", "dedicated", [("pulumi up", 61, 0)], ISOLATED)
    assert main(["summary", str(directory)]) == 0
    assert "| pulumi up | 1m 01s | 0 |" in capsys.readouterr().out  # type: ignore[attr-defined]
    assert duration(None) == "-"


CLAIMS = {
    "isolated": True,
    "exitCode": 0,
    "claimToReadySeconds": {"cold": 9.514, "warm": 0.387},
    "facts": {
        "claims": [{"kind": "cold", "launch_type": "cold"}, {"kind": "warm", "launch_type": "warm"}]
    },
}


def test_claim_to_ready_of_both_pools_sits_beside_the_estimate(tmp_path: Path) -> None:
    directory = write_run(tmp_path / "d", "dedicated", [("pulumi up", 905, 0)], ISOLATED)
    (directory / "claims.json").write_text(json.dumps(CLAIMS))
    run = load_run(directory)
    assert "Sandboxes on demand: **ISOLATED**; claim to ready: warm 0.39 s, cold 9.51 s." in (
        render_summary(run)
    )
    (row,) = [line for line in render_comparison([run]).splitlines() if line.startswith("| d")]
    assert row == (
        "| dedicated | westeurope | 15m 05s | 13m 56s | 1.08x | ISOLATED | 0.39 s | 9.51 s |"
    )


def test_a_warm_claim_that_started_cold_says_so_and_no_report_is_a_dash(tmp_path: Path) -> None:
    late = json.loads(json.dumps(CLAIMS))
    late["facts"]["claims"][1]["launch_type"] = "cold"  # the pool was not warm yet
    directory = write_run(tmp_path / "s", "system", [("pulumi up", 905, 0)], ISOLATED)
    (directory / "claims.json").write_text(json.dumps(late))
    assert load_run(directory).claim_seconds("warm") == "0.39 s (cold start)"
    bare = load_run(write_run(tmp_path / "b", "system", [("pulumi up", 905, 0)], ISOLATED))
    assert (bare.claim_seconds("warm"), bare.claim_seconds("cold")) == ("-", "-")
    assert "Sandboxes on demand" not in render_summary(bare)
