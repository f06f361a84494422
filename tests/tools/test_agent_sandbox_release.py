"""`python -m tools.agent_sandbox_release`: rebuild from a tag, download, record, check."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tools.agent_sandbox_release import main, rebuild_from_git, sha256, vendor

PLACEHOLDER = "ko://sigs.k8s.io/agent-sandbox/cmd/agent-sandbox-controller # placeholder\n"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def upstream(tmp_path: Path) -> Path:
    """A clone with the k8s/ layout of kubernetes-sigs/agent-sandbox, tagged v9.9.9."""
    repo = tmp_path / "agent-sandbox"
    files = {
        "k8s/controller.yaml": f"kind: Deployment\nimage: {PLACEHOLDER}",
        "k8s/rbac.generated.yaml": "kind: ClusterRole\n",
        "k8s/crds/agents.x-k8s.io_sandboxes.yaml": "kind: CustomResourceDefinition\n",
        "k8s/crds/extensions.agents.x-k8s.io_sandboxclaims.yaml": "kind: CRD-claims\n",
        "k8s/extensions.yaml": "kind: ClusterRoleBinding\n",
        "k8s/extensions-rbac.generated.yaml": "kind: ClusterRole-ext\n",
        "k8s/extensions.controller.yaml": f"kind: Deployment-ext\nimage: {PLACEHOLDER}",
        "k8s/kustomization.yaml": "resources: []\n",
    }
    for path, text in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
    git(repo.parent, "init", "-q", str(repo))
    git(repo, "add", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "release")
    git(repo, "tag", "v9.9.9")
    return repo / ".git"


def test_rebuild_follows_the_upstream_release_recipe(upstream: Path) -> None:
    assets, origin = rebuild_from_git(upstream, "v9.9.9")
    image = "registry.k8s.io/agent-sandbox/agent-sandbox-controller:v9.9.9"
    # Sorted paths, each file followed by `---`; kustomization.yaml left out; the placeholder
    # (and the rest of its line) replaced by the published image.
    assert assets["sandbox.yaml"].decode() == (
        f"kind: Deployment\nimage: {image}\n---\n"
        "kind: CustomResourceDefinition\n---\n"
        "kind: ClusterRole\n---\n"
    )
    assert assets["extensions.yaml"].decode() == (
        "kind: CRD-claims\n---\n"
        "kind: ClusterRole-ext\n---\n"
        f"kind: Deployment-ext\nimage: {image}\n---\n"
        "kind: ClusterRoleBinding\n---\n"
    )
    assert len(origin["commit"]) == 40 and origin["obtained"].startswith("rebuilt from the tag")


def test_download_is_recorded_with_url_checksum_and_a_changed_checksum_is_named(
    tmp_path: Path,
) -> None:
    def get(url: str) -> bytes:
        if url.startswith("https://api.github.com/"):
            assert url.endswith("/commits/v9.9.9")
            return json.dumps(
                {"sha": "c" * 40, "commit": {"committer": {"date": "2027-01-02T03:04:05Z"}}}
            ).encode()
        assert url.startswith("https://github.com/kubernetes-sigs/agent-sandbox/releases/")
        return url.rsplit("/", 1)[-1].encode()

    from tools.agent_sandbox_release import download

    assets, origin = download("v9.9.9", get)
    vendor("v9.9.9", assets, origin, tmp_path)
    table = json.loads((tmp_path / "releases.json").read_text())
    entry = table["v9.9.9"]
    assert (entry["commit"], entry["released"]) == ("c" * 40, "2027-01-02")
    assert entry["assets"][0] == {
        "name": "sandbox.yaml",
        "url": "https://github.com/kubernetes-sigs/agent-sandbox/releases/download/v9.9.9/"
        "sandbox.yaml",
        "sha256": sha256(b"sandbox.yaml"),
    }
    assert (tmp_path / "v9.9.9" / "extensions.yaml").read_bytes() == b"extensions.yaml"
    notes = vendor("v9.9.9", {**assets, "sandbox.yaml": b"other"}, origin, tmp_path)
    assert notes == [f"v9.9.9/sandbox.yaml: sha256 {sha256(b'sandbox.yaml')} -> {sha256(b'other')}"]


def test_check_passes_on_the_vendored_releases(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check"]) == 0
    assert "vendored releases intact: v0.5.5, v0.5.6" in capsys.readouterr().out


def test_a_download_failure_exits_2_naming_it(capsys: pytest.CaptureFixture[str]) -> None:
    def offline(url: str) -> bytes:
        raise OSError("Could not resolve host: github.com")

    assert main(["v9.9.9"], get=offline) == 2
    assert "cannot vendor v9.9.9: Could not resolve host" in capsys.readouterr().err
