"""images-pinned-by-digest: an advisory policy (mandatory in prod) against tag-only images."""

from __future__ import annotations

from policy_requests import POD, args_of, engine_args, pod_inputs, violations
from pulumi_policy import EnforcementLevel

from policy import sandbox_policies as sp
from tools.harness import RunResult


def test_dev_images_are_tag_pinned_so_the_advisory_policy_reports_both_pods(
    dev_run: RunResult,
) -> None:
    assert sp.IMAGES_PINNED_BY_DIGEST.enforcement_level == EnforcementLevel.ADVISORY
    image = "mcr.microsoft.com/aks/fundamental/base-ubuntu:v0.0.11"
    for name in ("trusted", "untrusted"):
        found = violations(sp.IMAGES_PINNED_BY_DIGEST, args_of(dev_run.one(POD, name), dev_run))
        assert found == [
            f"Pod {name!r}: container {name!r} image {image!r} is not pinned by digest; a tag "
            "can be moved to other content (use <image>@sha256:<digest>)"
        ]


def test_digest_pinned_images_pass(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["spec"]["containers"][0]["image"] = "mcr.microsoft.com/x/y:1.0@sha256:" + "a" * 64
    inputs["spec"]["initContainers"] = [{"name": "init", "image": "busybox"}]
    found = violations(sp.IMAGES_PINNED_BY_DIGEST, engine_args(POD, inputs, "untrusted"))
    assert len(found) == 1 and "container 'init' image 'busybox'" in found[0]
