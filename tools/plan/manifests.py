"""The Kubernetes objects the program applies, as YAML files (`tools.plan --manifests DIR`).

Each object is taken from the recorded inputs of a `kubernetes:*` resource the program creates:
what pulumi-kubernetes would send to the API server. Read-only lookups (`.get`, such as the
RuntimeClass readiness read) are not ours to apply and are left out. Values are cleaned the way
the API server needs them (tools.plan.recorded_values): whole floats back to ints, secrets unwrapped
(under the mock engine they hold mock values only), unknowns dropped.

Files are numbered in a dependency order (`01-namespace-pod-sandboxing.yaml`, ...), so
`kubectl apply -f DIR` (which goes alphabetically) creates the namespace before what lives in it.
Files an earlier run wrote (numbered, and starting with this command's header line) are removed
first, so the plan's files in DIR are exactly one plan's; no other file is ever touched, and
`foreign_files` names them, since `kubectl apply -f DIR` would apply them too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tools.harness import Registered, RunResult
from tools.plan.critical_path import schedule
from tools.plan.recorded_values import plain, sorted_keys
from tools.yaml_text import safe_dump

Manifest = dict[str, Any]
HEAD_KEYS = ("apiVersion", "kind", "metadata")
_NUMBERED = re.compile(r"^\d{2,}-.+\.yaml$")
HEADER_MARK = "from the offline plan (python -m tools.plan --manifests)"


class ManifestsError(Exception):
    """DIR cannot take the manifests: it is a file, or cannot be created or written."""


def check_directory(directory: Path) -> None:
    """Before planning: DIR must be a directory or not exist yet."""
    if directory.exists() and not directory.is_dir():
        raise ManifestsError(
            f"--manifests {directory}: is a file, not a directory; give a directory (it is "
            "created if missing), e.g. --manifests plan-out"
        )


def _ours(path: Path) -> bool:
    """A file an earlier run wrote: numbered, and its first line is our header."""
    if not (path.is_file() and _NUMBERED.match(path.name)):
        return False
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            return file.readline().rstrip("\n").endswith(HEADER_MARK)
    except OSError:
        return False


def foreign_files(directory: Path) -> list[Path]:
    """Files in DIR this command did not write (kept, but `kubectl apply -f DIR` applies them)."""
    return sorted(p for p in directory.iterdir() if p.is_file() and not _ours(p))


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
        "apiVersion": body.get("apiVersion"),
        "kind": body.get("kind"),
        "metadata": metadata,
    }
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
    """Write one YAML file per applied object into `directory`; returns the files in order.

    Only files an earlier run wrote are replaced; ManifestsError when DIR cannot be written.
    """
    check_directory(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.iterdir():
            if _ours(stale):
                stale.unlink()
        written = []
        for index, (resource, obj) in enumerate(apply_order(result), start=1):
            path = directory / file_name(index, obj)
            if path.exists() and not _ours(path):
                raise ManifestsError(
                    f"--manifests {directory}: {path.name} is there and was not written by this "
                    "command; move it, or choose another directory"
                )
            header = f"# {resource.type} '{resource.name}' of stack '{stack}', {HEADER_MARK}\n"
            body = safe_dump(obj, sort_keys=False, default_flow_style=False)
            path.write_text(header + body)
            written.append(path)
    except OSError as exc:
        raise ManifestsError(f"--manifests {directory}: {exc.strerror} ({exc.filename})") from exc
    return written
