"""Keep the generated parts of the docs in step with the code that is their one home.

- Pulumi.yaml's config schema and docs/configuration.md's key table: sandboxing.keys.CONFIG_KEYS;
- docs/offline-plan.md's table of typical create times: tools.plan.step_times.STEP_TIMES;
- docs/capacity.md's cost of one sandboxed pod with the default keys: sandboxing.sizing;
- docs/stacks.md's tables (shape, vCPUs, quota, `pulumi up` estimate of every tracked stack
  file): each stack's offline plan (tools.stacks_doc).

python -m tools.schema            # rewrite what is out of date
python -m tools.schema --check    # change nothing; exit 1 when anything is out of date
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from sandboxing.config.settings import PROJECT
from sandboxing.keys import CONFIG_KEYS
from tools.repo import REPO
from tools.venv_check import require
from tools.yaml_text import safe_dump

HEADER = {
    "name": PROJECT,
    "description": "AKS Pod Sandboxing as code: untrusted pods in Kata VMs (own guest kernel) next "
    "to trusted pods on the shared kernel, in one Azure Linux cluster.",
    "runtime": {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}},
}
TABLE_START = "<!-- config-table:start (python -m tools.schema) -->"
TABLE_END = "<!-- config-table:end -->"
TIMES_START = "<!-- step-times:start (python -m tools.schema) -->"
TIMES_END = "<!-- step-times:end -->"
POD_START = "<!-- pod-sizing:start (python -m tools.schema) -->"
POD_END = "<!-- pod-sizing:end -->"
STACKS_START = "<!-- stacks:start (python -m tools.schema) -->"
STACKS_END = "<!-- stacks:end -->"


def config_schema() -> dict[str, Any]:
    schema: dict[str, Any] = {}
    for key in CONFIG_KEYS:
        # The project schema has no enum or pattern (pulumi/pulumi sdk/go/common/workspace/
        # project.json `configTypeDeclaration`): what is allowed goes into the description.
        description = f"{key.description} Allowed: {key.allowed}."
        entry: dict[str, Any] = {"type": key.type, "description": description}
        if key.type == "array":
            entry["items"] = {"type": key.items}
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


def config_table() -> str:
    rows = ["| key | type | default | meaning | allowed |", "|---|---|---|---|---|"]
    for key in CONFIG_KEYS:
        rows.append(f"| `{key.name}` | {key.type} | `{_default_text(key.default)}` | "
                    f"{key.description} | {key.allowed} |")  # fmt: skip
    return "\n".join(rows)


def pod_sizing_table() -> str:
    """What one sandboxed pod of the default size costs on a node of the default Kata size."""
    from sandboxing.keys import KEYS_BY_NAME
    from sandboxing.sizing import sandbox_sizing

    cpu, memory, vm_size = (
        KEYS_BY_NAME[key].default for key in ("podCpuLimit", "podMemoryLimit", "kataNodeVmSize")
    )
    sizing = sandbox_sizing(cpu, memory, vm_size)
    node = sizing.node
    assert node is not None and sizing.cpu_request_millicores, vm_size
    by_cpu = node.allocatable_millicpu // sizing.cpu_request_millicores
    by_memory = node.allocatable_memory_mib // sizing.host_memory_per_pod_mib
    bound = (
        f"CPU-bound; memory alone would allow {by_memory}" if by_cpu < by_memory
        else f"memory-bound; CPU alone would allow {by_cpu}" if by_memory < by_cpu
        else "CPU and memory alike"
    )  # fmt: skip
    return "\n".join([
        f"For the defaults (`{cpu}` CPU, `{memory}`) on `{vm_size}`:",
        "",
        "| | |",
        "|---|---|",
        f"| sandbox VM | {sizing.pod_vm_vcpus} vCPU, {sizing.pod_vm_memory_mib} MiB |",
        f"| host memory per pod (limit + overhead) | {sizing.host_memory_per_pod_mib} MiB |",
        "| node allocatable (AKS reservations, Kubernetes 1.29+) | "
        f"{node.allocatable_millicpu}m CPU, {node.allocatable_memory_mib} MiB |",
        f"| untrusted pods per node | {sizing.pods_per_node} ({bound}) |",
    ])  # fmt: skip


class GenerationError(ValueError):
    """A generated part that cannot be written: its markers are missing, or its source fails."""


def _filled(path: Path, start: str, end: str, body: str) -> str:
    """`path`'s text with the one part between `start` and `end` (markers included) rewritten
    as the markers around `body`."""
    current = path.read_text()
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    if len(pattern.findall(current)) != 1:
        raise GenerationError(f"{path.name} needs exactly one `{start}` ... `{end}` block")
    return pattern.sub(lambda _: "\n".join([start, body, end]), current)


def generated_files(repo: Path = REPO) -> dict[Path, str]:
    """What each generated file should contain, by path."""
    # Imported here: it loads the Pulumi SDK, which `--help` should not wait for.
    from tools.plan.step_times import step_times_table
    from tools.stacks_doc import StackTableError, stacks_tables

    docs = repo / "docs"
    config_doc, plan_doc, stacks_doc = (
        docs / "configuration.md", docs / "offline-plan.md", docs / "stacks.md"
    )  # fmt: skip
    try:
        stacks = stacks_tables()
    except StackTableError as exc:
        raise GenerationError(f"{stacks_doc.name}: {exc}") from exc
    return {
        repo / "Pulumi.yaml": safe_dump(project_file(), sort_keys=False, width=100),
        config_doc: _filled(config_doc, TABLE_START, TABLE_END, config_table()),
        plan_doc: _filled(plan_doc, TIMES_START, TIMES_END, step_times_table()),
        docs / "capacity.md": _filled(docs / "capacity.md", POD_START, POD_END, pod_sizing_table()),
        stacks_doc: _filled(stacks_doc, STACKS_START, STACKS_END, stacks),
    }


def main(argv: list[str] | None = None, repo: Path = REPO) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.schema",
        description="Write Pulumi.yaml's config schema and docs/configuration.md's key table "
        "from sandboxing/keys/ CONFIG_KEYS, docs/offline-plan.md's step times from "
        "tools/plan/step_times.py STEP_TIMES, docs/capacity.md's pod cost from "
        "sandboxing/sizing.py, and docs/stacks.md's tables from the offline plan of every "
        "tracked stack file.",
        epilog="Exit codes: 0 up to date (or written), 1 with --check: a file is out of date, "
        "2 nothing could be generated: the venv is missing (the message says what to install), "
        "a file lacks its markers, or a stack file's offline plan fails.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list the files that are out of date and exit 1 if any is",
    )
    args = parser.parse_args(argv)
    require("python -m tools.schema", "yaml", "pulumi")
    try:
        wanted = generated_files(repo)
    except GenerationError as exc:
        print(f"python -m tools.schema: {exc}", file=sys.stderr)
        return 2
    stale = [path for path, text in wanted.items() if path.read_text() != text]
    if args.check:
        for path in stale:
            print(f"{path.name} is out of date: run python -m tools.schema", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path])
    print(f"wrote {', '.join(p.name for p in stale)}" if stale else "already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
