"""policy/config.prod.json, the prod stack's `--policy-pack-config`: it names only policies of the
pack and makes the image-digest policy mandatory, which stops a tag-only podImage."""

from __future__ import annotations

import json
from pathlib import Path

from pulumi_policy import EnforcementLevel

from policy import sandbox_policies as sp
from sandboxing.config.contract import default_settings
from sandboxing.workload import UNTRUSTED_POD, pod

CONFIG = Path(__file__).resolve().parents[2] / "policy" / "config.prod.json"


def test_it_only_names_policies_of_the_pack() -> None:
    config = json.loads(CONFIG.read_text())
    assert set(config) <= {p.name for p in sp.POLICIES}


def test_image_pinning_is_mandatory_in_prod_and_advisory_by_default() -> None:
    config = json.loads(CONFIG.read_text())
    assert config["images-pinned-by-digest"]["enforcementLevel"] == EnforcementLevel.MANDATORY.value
    (policy,) = [p for p in sp.POLICIES if p.name == "images-pinned-by-digest"]
    assert policy.enforcement_level == EnforcementLevel.ADVISORY


def test_the_default_pod_image_is_not_pinned_and_a_digest_is() -> None:
    tag_only = pod(default_settings(), UNTRUSTED_POD, "kata-vm-isolation")
    image = tag_only["spec"]["containers"][0]["image"]
    assert not sp.IMAGE_DIGEST.search(image)
    assert sp.IMAGE_DIGEST.search(image + "@sha256:" + "0" * 64)
