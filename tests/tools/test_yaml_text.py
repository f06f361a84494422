"""`tools.yaml_text.safe_dump` writes the text `yaml.safe_dump` (PyYAML's Python emitter) writes."""

from __future__ import annotations

from typing import Any

import yaml

from sandboxing.agent_sandbox.release import release_objects
from sandboxing.agent_sandbox.vendored import versions
from tools.schema import project_file
from tools.yaml_text import safe_dump


def test_libyaml_is_there_so_the_comparisons_below_compare_two_emitters() -> None:
    assert hasattr(yaml, "CSafeDumper")


def test_pulumi_yaml_is_the_same_text() -> None:
    project, options = project_file(), {"sort_keys": False, "width": 100}
    assert safe_dump(project, **options) == yaml.safe_dump(project, **options)


def test_a_releases_objects_are_the_same_text_as_the_plan_writes_them() -> None:
    # CRDs with long descriptions, quoted patterns and nested schemas, the RBAC and the
    # Deployment. Left out: the two CRDs that embed a whole PodSpec's schema (~400 kB of YAML
    # each), on which the Python emitter takes ~0.2 s.
    options: dict[str, Any] = {"sort_keys": False, "default_flow_style": False}
    embeds_a_pod_spec = {"Sandbox", "SandboxTemplate"}
    sample = [
        obj
        for obj in release_objects(versions()[-1])  # the newest
        if obj["kind"] != "CustomResourceDefinition"
        or obj["spec"]["names"]["kind"] not in embeds_a_pod_spec
    ]
    assert {obj["kind"] for obj in sample} >= {"CustomResourceDefinition", "Deployment", "Role"}
    for obj in sample:
        assert safe_dump(obj, **options) == yaml.safe_dump(obj, **options), obj["metadata"]
