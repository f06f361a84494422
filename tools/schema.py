"""Keep Pulumi.yaml's config schema and the README's config table in step with the contract.

python -m tools.schema      # rewrite both from sandboxing.contract.CONFIG_KEYS
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from sandboxing.contract import CONFIG_KEYS, PROJECT
from tools.harness import REPO

HEADER = {
    "name": PROJECT,
    "description": "AKS Pod Sandboxing as code: untrusted pods in Kata VMs (own guest kernel) next "
    "to trusted pods on the shared kernel, in one Azure Linux cluster.",
    "runtime": {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}},
}
TABLE_START = "<!-- config-table:start (python -m tools.schema) -->"
TABLE_END = "<!-- config-table:end -->"


def config_schema() -> dict[str, Any]:
    schema: dict[str, Any] = {}
    for key in CONFIG_KEYS:
        entry: dict[str, Any] = {"type": key.type, "description": key.description}
        if key.type == "array":
            entry["items"] = {"type": "string"}
        entry["default"] = list(key.default) if key.type == "array" else key.default
        schema[key.name] = entry
    return schema


def project_file() -> dict[str, Any]:
    return {**HEADER, "config": config_schema()}


def _default_text(default: Any) -> str:
    if default == "":
        return "(empty)"
    if isinstance(default, bool | list):
        return json.dumps(default)
    return str(default)


def readme_table() -> str:
    rows = ["| key | type | default | meaning | allowed |", "|---|---|---|---|---|"]
    for key in CONFIG_KEYS:
        rows.append(f"| `{key.name}` | {key.type} | `{_default_text(key.default)}` | "
                    f"{key.description} | {key.allowed} |")  # fmt: skip
    return "\n".join([TABLE_START, *rows, TABLE_END])


def main() -> None:
    (REPO / "Pulumi.yaml").write_text(yaml.safe_dump(project_file(), sort_keys=False, width=100))
    readme = REPO / "README.md"
    text = readme.read_text()
    pattern = re.compile(re.escape(TABLE_START) + ".*?" + re.escape(TABLE_END), re.S)
    readme.write_text(pattern.sub(lambda _: readme_table(), text))
    print("wrote Pulumi.yaml and the README config table")


if __name__ == "__main__":
    main()
