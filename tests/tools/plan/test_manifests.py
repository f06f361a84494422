"""`--manifests DIR`: every applied Kubernetes object, valid against the OpenAPI schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from kubernetes_validate.utils import all_versions
from strict_schema import ValidationError, validate_strict
from support import load_yaml, run_dev, run_plan

from sandboxing import workload
from sandboxing.config.contract import parse_settings
from sandboxing.config.settings import PROJECT
from tools.harness import RunResult, stack_config
from tools.plan.manifests import (
    ManifestsError,
    applied_resources,
    foreign_files,
    write_manifests,
)
from tools.plan.recorded_values import SECRET_MASK, UNKNOWN, plain

CLUSTER = "azure-native:containerservice:ManagedCluster"
EXPECTED_FILES = [
    "01-namespace-pod-sandboxing.yaml",
    "02-networkpolicy-default-deny-all.yaml",
    "03-serviceaccount-sandbox.yaml",
    "04-pod-trusted.yaml",
    "05-pod-untrusted.yaml",
]


def _minor(version: str) -> tuple[int, int]:
    major, minor = version.lstrip("v").split(".")[:2]
    return int(major), int(minor)


def schema_version(cluster_version: str, shipped: list[str]) -> str:
    """The shipped schema version of the cluster's minor, else the newest one below it."""
    usable = [v for v in shipped if _minor(v) <= _minor(cluster_version)]
    if not usable:
        raise LookupError(f"kubernetes-validate ships no schema for {cluster_version} or older")
    return max(usable, key=_minor)


def cluster_version(run: RunResult) -> str:
    cluster = run.one(CLUSTER)
    return str(cluster.state.get("currentKubernetesVersion") or cluster.inputs["kubernetesVersion"])


def load(directory: Path) -> dict[str, dict[str, Any]]:
    return {p.name: load_yaml(p.read_text()) for p in sorted(directory.glob("*.yaml"))}


def floats_in(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [f for v in value.values() for f in floats_in(v)]
    if isinstance(value, list):
        return [f for v in value for f in floats_in(v)]
    return [value] if isinstance(value, float) else []


@pytest.fixture(scope="module")
def written(dev_run: RunResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("manifests")
    write_manifests(dev_run, directory, "dev")
    return directory


def test_schema_version_follows_the_cluster_minor_with_a_fallback() -> None:
    shipped = ["1.9.0", "1.10.0", "1.32.0", "1.33.0", "1.34.0"]
    assert schema_version("1.33", shipped) == "1.33.0"
    assert schema_version("1.33.3", shipped) == "1.33.0"
    assert schema_version("1.40", shipped) == "1.34.0"  # newer cluster: newest shipped
    assert schema_version("1.11", shipped) == "1.10.0"  # numeric, not string, order
    with pytest.raises(LookupError):
        schema_version("1.8", shipped)


def test_every_manifest_is_valid_in_strict_mode(dev_run: RunResult, written: Path) -> None:
    assert cluster_version(dev_run) == "1.36"  # the dev stack's kubernetesVersion
    version = schema_version(cluster_version(dev_run), all_versions())
    manifests = load(written)
    assert list(manifests) == EXPECTED_FILES
    for name, obj in manifests.items():
        validated = validate_strict(obj, version)
        assert validated == version.rsplit(".", 1)[0], name


def test_strict_validation_rejects_an_unknown_field(written: Path) -> None:
    # The check above could only pass vacuously if strict mode were not strict.
    pod = load(written)["04-pod-trusted.yaml"]
    pod["spec"]["runtimeClass"] = "kata-vm-isolation"  # a typo of runtimeClassName
    with pytest.raises(ValidationError):
        validate_strict(pod, "1.36.0")


def test_only_the_untrusted_pod_names_the_kata_runtime_class(
    dev_run: RunResult, written: Path
) -> None:
    manifests = load(written)
    kata_class = dev_run.outputs["runtimeClassName"].value
    assert kata_class == "kata-vm-isolation"
    assert manifests["05-pod-untrusted.yaml"]["spec"]["runtimeClassName"] == kata_class
    assert "runtimeClassName" not in manifests["04-pod-trusted.yaml"]["spec"]


def test_manifests_are_the_workload_objects_with_ints_not_floats(written: Path) -> None:
    manifests = load(written)
    for obj in manifests.values():
        assert floats_in(obj) == []
    assert "runAsUser: 65532\n" in (written / "04-pod-trusted.yaml").read_text()
    raw = {k.split(":", 1)[1]: v for k, v in stack_config("dev").items() if k.startswith(PROJECT)}
    settings, problems = parse_settings(raw, "westeurope")
    assert problems == []

    def by_kind_and_name(objs: Any) -> dict[tuple[str, str], Any]:
        return {(o["kind"], o["metadata"]["name"]): o for o in objs}

    assert by_kind_and_name(manifests.values()) == by_kind_and_name(workload.manifests(settings))


def test_read_only_lookups_and_providers_are_not_written(dev_run: RunResult) -> None:
    applied = {r.type for r in applied_resources(dev_run)}
    assert "kubernetes:node.k8s.io/v1:RuntimeClass" not in applied
    assert "pulumi:providers:kubernetes" not in applied
    assert len(applied_resources(dev_run)) == len(EXPECTED_FILES)


def test_a_second_run_replaces_only_what_an_earlier_run_wrote(
    dev_run: RunResult, tmp_path: Path
) -> None:
    write_manifests(dev_run, tmp_path, "dev")
    earlier = tmp_path / "01-namespace-pod-sandboxing.yaml"
    stale = tmp_path / "07-pod-gone.yaml"  # an object an earlier plan had and this one has not
    stale.write_text(earlier.read_text().replace("namespace", "pod"))
    (tmp_path / "08-deployment-mine.yaml").write_text("kind: Deployment\n")  # numbered, not ours
    (tmp_path / "notes.yaml").write_text("mine: true\n")
    written = write_manifests(dev_run, tmp_path, "dev")
    assert [p.name for p in written] == EXPECTED_FILES
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*EXPECTED_FILES, "08-deployment-mine.yaml", "notes.yaml"]
    )
    assert (tmp_path / "08-deployment-mine.yaml").read_text() == "kind: Deployment\n"
    assert [p.name for p in foreign_files(tmp_path)] == ["08-deployment-mine.yaml", "notes.yaml"]


def test_a_file_of_the_users_where_a_manifest_goes_is_left_alone(
    dev_run: RunResult, tmp_path: Path
) -> None:
    mine = tmp_path / EXPECTED_FILES[0]
    mine.write_text("kind: Namespace\n# my own\n")
    with pytest.raises(ManifestsError, match="was not written by this command"):
        write_manifests(dev_run, tmp_path, "dev")
    assert mine.read_text() == "kind: Namespace\n# my own\n"


def test_manifests_into_a_file_is_refused_before_planning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "plan.json"
    target.write_text("{}")
    code, out, err = run_plan(capsys, "--manifests", str(target))
    assert (code, out) == (2, "")
    assert f"--manifests {target}: is a file, not a directory" in err
    assert "Traceback" not in err and target.read_text() == "{}"


def test_the_plan_names_files_in_the_directory_it_did_not_write(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "extra.yaml").write_text("kind: ConfigMap\n")
    code, _, err = run_plan(capsys, "--manifests", str(tmp_path))
    assert code == 0
    assert f"wrote {len(EXPECTED_FILES)} manifests to {tmp_path}" in err
    assert "1 file(s) this command did not write (extra.yaml)" in err


def test_preview_writes_the_same_objects(dev_run: RunResult, tmp_path: Path) -> None:
    # Registration order differs between preview and up; file names do not. The untrusted pod's
    # class comes from the wait's own input, which a preview echoes.
    write_manifests(run_dev(preview=True), tmp_path / "preview", "dev")
    write_manifests(dev_run, tmp_path / "up", "dev")
    preview, up = load(tmp_path / "preview"), load(tmp_path / "up")
    assert up["05-pod-untrusted.yaml"]["spec"]["runtimeClassName"] == "kata-vm-isolation"
    assert preview == up


def test_recorded_values_are_made_plain() -> None:
    secret = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": 2.0}
    recorded = {
        "count": 3.0,
        "ratio": 0.5,
        "on": True,
        "gone": None,
        "key": secret,
        "items": [1.0, None, "04da6b54-80e4-46f7-96ec-b56ff0331ba9"],
    }
    assert plain(recorded, reveal_secrets=True) == {
        "count": 3,
        "ratio": 0.5,
        "on": True,
        "key": 2,
        "items": [1, UNKNOWN, UNKNOWN],
    }
    assert plain(recorded)["key"] == SECRET_MASK
    assert type(plain(recorded)["count"]) is int
