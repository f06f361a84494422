"""The Kubernetes objects the program applies, as YAML files (`tools.plan --manifests DIR`).

Each object is taken from the recorded inputs of a `kubernetes:*` resource the program creates:
what pulumi-kubernetes would send to the API server. Read-only lookups (`.get`, such as the
RuntimeClass readiness read) are not ours to apply and are left out. Values are cleaned the way
the API server needs them (tools.plan.recorded_values): whole floats back to ints, secrets unwrapped
(under the mock engine they hold mock values only), unknowns dropped.

Files are numbered in a dependency order (`01-namespace-pod-sandboxing.yaml`, ...), so
`kubectl apply -f DIR` (which goes alphabetically) creates the namespace before what lives in it.
Numbered YAML files left in DIR by an earlier run are removed, so DIR holds exactly one plan.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tools.harness import Registered, RunResult
from tools.plan.critical_path import schedule
from tools.plan.recorded_values import plain, sorted_keys

Manifest = dict[str, Any]
HEAD_KEYS = ("apiVersion", "kind", "metadata")
_WRITTEN = re.compile(r"^\d{2,}-.+\.yaml$")


def applied_resources(result: RunResult) -> list[Registered]:
    """The Kubernetes objects the program creates (providers and reads excluded)."""
    return [r for r in result.resources if r.custom and not r.read and _is_kubernetes(r.type)]


def _is_kubernetes(type_token: str) -> bool:
    return type_token.startswith("kubernetes:")  # providers are pulumi:providers:kubernetes


def manifest(resource: Registered) -> Manifest:
    """The object as it would be applied: apiVersion, kind, metadata first, then the rest."""
    body = sorted_keys(plain(resource.inputs, reveal_secrets=True))
    metadata = body.get("metadata") or {}
    if "name" not in metadata:
        # Auto-named by pulumi-kubernetes (`<name>-<random>`); the mock engine's state stands in.
        metadata = dict(metadata, name=resource.state.get("metadata", {}).get("name"))
    ordered: Manifest = {
        "apiVersion": body.get("apiVersion"), "kind": body.get("kind"), "metadata": metadata,
    }  # fmt: skip
    ordered.update({k: v for k, v in body.items() if k not in HEAD_KEYS})
    return ordered


def apply_order(result: RunResult) -> list[tuple[Registered, Manifest]]:
    """Applied objects, each after everything it waits for (directly or through others).

    Ordered by depth in the waits-for graph, then kind, namespace, name: deterministic, unlike
    the engine's registration order, which differs between preview and up.
    """
    depth = schedule(result.resources, seconds=lambda r: 1 if r.custom else 0)
    objects = [(r, manifest(r)) for r in applied_resources(result)]
    objects.sort(
        key=lambda pair: (
            depth[pair[0].urn].start,
            pair[1]["kind"] or "",
            pair[1]["metadata"].get("namespace") or "",
            pair[1]["metadata"].get("name") or "",
        )
    )
    return objects


def file_name(index: int, obj: Manifest) -> str:
    """`01-namespace-pod-sandboxing.yaml`"""
    name = re.sub(r"[^a-z0-9.-]+", "-", str(obj["metadata"].get("name") or "").lower())
    return f"{index:02d}-{str(obj['kind']).lower()}-{name}.yaml"


def write_manifests(result: RunResult, directory: Path, stack: str) -> list[Path]:
    """Write one YAML file per applied object into `directory`; returns the files in order."""
    import yaml  # only this command needs it

    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.iterdir():
        if stale.is_file() and _WRITTEN.match(stale.name):
            stale.unlink()
    written = []
    for index, (resource, obj) in enumerate(apply_order(result), start=1):
        path = directory / file_name(index, obj)
        header = (
            f"# {resource.type} '{resource.name}' of stack '{stack}', "
            "from the offline plan (python -m tools.plan --manifests)\n"
        )
        path.write_text(header + yaml.safe_dump(obj, sort_keys=False, default_flow_style=False))
        written.append(path)
    return written
