"""The vendored kubernetes-sigs/agent-sandbox releases and the objects they declare. Pure.

Each release the program can install is a directory under `releases/` holding the upstream
release assets verbatim, `sandbox.yaml` (the core controller, its RBAC, the Sandbox CRD) and
`extensions.yaml` (the extension RBAC, the SandboxTemplate/Claim/WarmPool CRDs and the
Deployment again, with `--extensions`), with their source URL and sha256 in
`releases/releases.json`. `python -m tools.agent_sandbox_release` adds or refreshes one.

The two assets are made for a sequential `kubectl apply -f sandbox.yaml -f extensions.yaml`:
both declare the controller Deployment and the later one wins
(kubernetes-sigs/agent-sandbox dev/tools/release at v0.5.6). `release_objects` reads them the
same way, so the one Deployment runs both controllers (core and `--extensions`).

Nothing is fetched: the offline plan and `pulumi up` read these files, after checking each
against its recorded sha256.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

RELEASES_DIR = Path(__file__).resolve().parent / "releases"
RELEASES_FILE = RELEASES_DIR / "releases.json"
REPOSITORY = "kubernetes-sigs/agent-sandbox"
DOWNLOAD_URL = f"https://github.com/{REPOSITORY}/releases/download/{{version}}/{{asset}}"
# The assets in the order `kubectl apply` takes them (the later declaration of an object wins).
ASSETS = ("sandbox.yaml", "extensions.yaml")
IMAGE_REPOSITORY = "registry.k8s.io/agent-sandbox/agent-sandbox-controller"
VERSION = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")

Manifest = dict[str, Any]


class ReleaseIntegrityError(Exception):
    """A vendored asset is missing or differs from its recorded checksum."""


@dataclass(frozen=True)
class Asset:
    name: str
    url: str
    sha256: str


@dataclass(frozen=True)
class Release:
    version: str
    released: str  # the tag's date, YYYY-MM-DD
    commit: str  # the tagged commit of kubernetes-sigs/agent-sandbox
    obtained: str  # how the vendored files were made: downloaded, or rebuilt from the tag
    assets: tuple[Asset, ...]

    @property
    def image(self) -> str:
        return f"{IMAGE_REPOSITORY}:{self.version}"

    def path(self, asset: Asset) -> Path:
        return RELEASES_DIR / self.version / asset.name


def version_key(version: str) -> tuple[int, ...]:
    """`v0.5.10` sorts after `v0.5.9`."""
    match = VERSION.match(version)
    return tuple(int(part) for part in match.groups()) if match else (-1,)


@functools.cache
def releases() -> dict[str, Release]:
    """Every vendored release, oldest first."""
    table = json.loads(RELEASES_FILE.read_text())
    found = {
        version: Release(
            version=version,
            released=entry["released"],
            commit=entry["commit"],
            obtained=entry["obtained"],
            assets=tuple(Asset(a["name"], a["url"], a["sha256"]) for a in entry["assets"]),
        )
        for version, entry in table.items()
    }
    return {version: found[version] for version in sorted(found, key=version_key)}


def versions() -> tuple[str, ...]:
    return tuple(releases())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def asset_text(release: Release, asset: Asset) -> str:
    """The vendored asset, after checking it against the recorded sha256."""
    path = release.path(asset)
    try:
        data = path.read_bytes()
    except OSError as error:
        missing = f"{release.version}/{asset.name} is missing ({error})"
        raise ReleaseIntegrityError(missing) from None
    if (found := sha256(data)) != asset.sha256:
        raise ReleaseIntegrityError(
            f"{release.version}/{asset.name} has sha256 {found}, not the recorded "
            f"{asset.sha256} ({asset.url}): restore it with git, or re-vendor it with "
            f"python -m tools.agent_sandbox_release {release.version}"
        )
    return data.decode()


def object_id(manifest: Manifest) -> tuple[str, str, str, str]:
    """What `kubectl apply` identifies an object by: API group, kind, namespace, name."""
    group = str(manifest.get("apiVersion", "")).rpartition("/")[0]
    metadata = manifest.get("metadata") or {}
    return group, str(manifest.get("kind")), metadata.get("namespace") or "", metadata["name"]


def _loader() -> type[yaml.SafeLoader]:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster on the CRDs


@functools.cache
def _objects(version: str) -> tuple[Manifest, ...]:
    release = releases()[version]
    by_id: dict[tuple[str, str, str, str], Manifest] = {}
    for asset in release.assets:
        for document in yaml.load_all(asset_text(release, asset), Loader=_loader()):
            if document:  # the assets separate files with `---`, leaving empty documents
                by_id[object_id(document)] = document  # a later declaration replaces it
    return tuple(by_id.values())


def release_objects(version: str) -> list[Manifest]:
    """The objects of a release, as a sequential `kubectl apply` of its assets leaves them
    (first declaration's position, last declaration's content). A fresh copy each call."""
    return copy.deepcopy(list(_objects(version)))
