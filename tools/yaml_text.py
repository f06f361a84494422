"""YAML text as `yaml.safe_dump` writes it, through libyaml's emitter where PyYAML has it
(`yaml.CSafeDumper`; else PyYAML's own Python emitter): ~6x faster on Pulumi.yaml's schema and
the plan's manifests, with the same text on them (tests/tools/test_yaml_text.py compares both)."""

from __future__ import annotations

from typing import Any


def safe_dump(data: Any, **options: Any) -> str:
    import yaml  # here: `--help` of the tools that write YAML does not wait for it

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(data, Dumper=dumper, **options)
    return text
