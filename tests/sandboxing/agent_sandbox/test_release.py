"""The vendored agent-sandbox releases: intact, and read as a sequential `kubectl apply`."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sandboxing.agent_sandbox.release import object_id, release_objects
from sandboxing.agent_sandbox.vendored import (
    ReleaseIntegrityError,
    asset_text,
    releases,
    version_key,
    versions,
)

CRDS = {
    "sandboxes.agents.x-k8s.io",
    "sandboxclaims.extensions.agents.x-k8s.io",
    "sandboxtemplates.extensions.agents.x-k8s.io",
    "sandboxwarmpools.extensions.agents.x-k8s.io",
}


def test_versions_sort_by_number_not_text() -> None:
    assert sorted(["v0.5.10", "v0.5.9", "v1.0.0"], key=version_key) == [
        "v0.5.9",
        "v0.5.10",
        "v1.0.0",
    ]
    assert list(versions()) == sorted(versions(), key=version_key)
    assert "v0.5.6" in versions()


@pytest.mark.parametrize("version", versions())
def test_every_vendored_asset_matches_its_recorded_checksum(version: str) -> None:
    release = releases()[version]
    assert [a.name for a in release.assets] == ["sandbox.yaml", "extensions.yaml"]
    for asset in release.assets:
        assert asset.url == (
            f"https://github.com/kubernetes-sigs/agent-sandbox/releases/download/{version}/"
            f"{asset.name}"
        )
        assert asset_text(release, asset).rstrip().endswith("---")  # the recipe's separator


def test_a_changed_file_is_refused_with_the_way_back() -> None:
    release = releases()["v0.5.6"]
    tampered = replace(release.assets[0], sha256="0" * 64)
    with pytest.raises(ReleaseIntegrityError) as error:
        asset_text(release, tampered)
    assert "v0.5.6/sandbox.yaml has sha256" in str(error.value)
    assert "python -m tools.agent_sandbox_release v0.5.6" in str(error.value)


@pytest.mark.parametrize("version", versions())
def test_one_deployment_runs_both_controllers_of_the_release(version: str) -> None:
    objects = release_objects(version)
    ids = [object_id(o) for o in objects]
    assert len(ids) == len(set(ids))  # the second Deployment replaced the first
    (deployment,) = [o for o in objects if o["kind"] == "Deployment"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["args"] == ["--leader-elect=true", "--extensions"]
    assert container["image"] == f"registry.k8s.io/agent-sandbox/agent-sandbox-controller:{version}"
    # kubectl keeps the first declaration's place: the namespace still comes first.
    assert objects[0]["kind"] == "Namespace"
    crds = {o["metadata"]["name"] for o in objects if o["kind"] == "CustomResourceDefinition"}
    assert crds == CRDS


def test_each_call_returns_its_own_copy() -> None:
    first = release_objects("v0.5.6")
    first[0]["metadata"]["name"] = "changed"
    assert release_objects("v0.5.6")[0]["metadata"]["name"] == "agent-sandbox-system"
