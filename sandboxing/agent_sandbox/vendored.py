"""Which agent-sandbox releases are vendored: releases/releases.json as data. Pure, stdlib only.

Kept apart from sandboxing.agent_sandbox.release (which parses the YAML assets) because the
config keys and rules read the versions and check the files' sha256 from here, and the policy
pack imports them without PyYAML.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RELEASES_DIR = Path(__file__).resolve().parent / "releases"
RELEASES_FILE = RELEASES_DIR / "releases.json"
REPOSITORY = "kubernetes-sigs/agent-sandbox"
DOWNLOAD_URL = f"https://github.com/{REPOSITORY}/releases/download/{{version}}/{{asset}}"
# The assets in the order `kubectl apply` takes them (the later declaration of an object wins).
ASSETS = ("sandbox.yaml", "extensions.yaml")
IMAGE_REPOSITORY = "registry.k8s.io/agent-sandbox/agent-sandbox-controller"
VERSION = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")

Manifest = dict[str, Any]


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


class ReleaseIntegrityError(Exception):
    """A vendored asset is missing or differs from its recorded checksum."""


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


def integrity_problems(version: str) -> list[str]:
    """What is wrong with the vendored files of `version` (empty: intact)."""
    release = releases()[version]
    problems = []
    for asset in release.assets:
        try:
            asset_text(release, asset)
        except ReleaseIntegrityError as error:
            problems.append(str(error))
    return problems
