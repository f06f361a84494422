"""The stack's policy-pack config, checked offline: what a mandatory policy of the pack would
refuse at `pulumi up` is a warning in the plan."""

from __future__ import annotations

from pathlib import Path

from support import run_dev

from policy import sandbox_policies as sp
from tools.harness import RunResult
from tools.plan.policy_config import IMAGES_PINNED, policy_config_warnings

DIGEST = "@sha256:" + "a" * 64


def write_config(repo: Path, stack: str, text: str) -> None:
    (repo / "policy").mkdir(exist_ok=True)
    (repo / "policy" / f"config.{stack}.json").write_text(text)


def test_the_policy_name_is_the_packs() -> None:
    assert sp.IMAGES_PINNED_BY_DIGEST.name == IMAGES_PINNED
    assert sp.IMAGE_DIGEST.pattern.endswith("{64}$")


def test_a_mandatory_digest_policy_warns_about_each_tag_only_image(
    dev_run: RunResult, tmp_path: Path
) -> None:
    assert policy_config_warnings(dev_run, "dev", tmp_path) == (None, [])  # no config file
    write_config(tmp_path, "dev", '{"images-pinned-by-digest": {"enforcementLevel": "mandatory"}}')
    shown, (warning,) = policy_config_warnings(dev_run, "dev", tmp_path)
    assert shown == "policy/config.dev.json"
    assert "pod(s) trusted, untrusted run mcr.microsoft.com/" in warning
    assert "Set podImage to the image with its digest" in warning
    pinned = run_dev(podImage=f"mcr.microsoft.com/azurelinux/base/core:3.0{DIGEST}")
    assert policy_config_warnings(pinned, "dev", tmp_path) == (shown, [])


def test_an_advisory_level_or_a_broken_file(dev_run: RunResult, tmp_path: Path) -> None:
    write_config(tmp_path, "dev", '{"images-pinned-by-digest": {"enforcementLevel": "advisory"}}')
    assert policy_config_warnings(dev_run, "dev", tmp_path)[1] == []
    write_config(tmp_path, "dev", "{not json")
    (warning,) = policy_config_warnings(dev_run, "dev", tmp_path)[1]
    assert "is not a readable JSON policy config" in warning
