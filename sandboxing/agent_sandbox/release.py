"""The vendored kubernetes-sigs/agent-sandbox releases and the objects they declare. Pure.

Each release the program can install (sandboxing.agent_sandbox.vendored) is a directory under
`releases/` holding the upstream release assets verbatim, `sandbox.yaml` (the core controller,
its RBAC, the Sandbox CRD) and `extensions.yaml` (the extension RBAC, the SandboxTemplate/Claim/
WarmPool CRDs and the Deployment again, with `--extensions`), with their source URL and sha256
in `releases/releases.json`. `python -m tools.agent_sandbox_release` adds or refreshes one.

The two assets are made for a sequential `kubectl apply -f sandbox.yaml -f extensions.yaml`:
both declare the controller Deployment and the later one wins
(kubernetes-sigs/agent-sandbox dev/tools/release at v0.5.6). `release_objects` reads them the
same way, so the one Deployment runs both controllers (core and `--extensions`).

Nothing is fetched: the offline plan and `pulumi up` read these files, after checking each
against its recorded sha256.
"""

from __future__ import annotations

import functools
import marshal
from typing import TYPE_CHECKING

from sandboxing.agent_sandbox.vendored import Manifest, asset_text, releases

if TYPE_CHECKING:
    import yaml


def object_id(manifest: Manifest) -> tuple[str, str, str, str]:
    """What `kubectl apply` identifies an object by: API group, kind, namespace, name."""
    group = str(manifest.get("apiVersion", "")).rpartition("/")[0]
    metadata = manifest.get("metadata") or {}
    return group, str(manifest.get("kind")), metadata.get("namespace") or "", metadata["name"]


def _loader() -> type[yaml.SafeLoader]:
    import yaml  # here: the policy pack imports this package and has no PyYAML

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster on the CRDs


@functools.cache
def _objects(version: str) -> bytes:
    """The objects, marshalled: unmarshalling is a deep copy ~15x faster than copy.deepcopy on
    the CRDs' schemas (plain YAML data: dicts, lists, strings, numbers)."""
    import yaml

    release = releases()[version]
    by_id: dict[tuple[str, str, str, str], Manifest] = {}
    for asset in release.assets:
        for document in yaml.load_all(asset_text(release, asset), Loader=_loader()):
            if document:  # the assets separate files with `---`, leaving empty documents
                by_id[object_id(document)] = document  # a later declaration replaces it
    return marshal.dumps(list(by_id.values()))


def release_objects(version: str) -> list[Manifest]:
    """The objects of a release, as a sequential `kubectl apply` of its assets leaves them
    (first declaration's position, last declaration's content). A fresh copy each call."""
    objects: list[Manifest] = marshal.loads(_objects(version))
    return objects
