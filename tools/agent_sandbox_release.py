"""Vendor a kubernetes-sigs/agent-sandbox release for agentSandbox, or check the vendored ones.

    python -m tools.agent_sandbox_release v0.5.7                    # download its assets
    python -m tools.agent_sandbox_release v0.5.7 --from-git GITDIR  # rebuild them from the tag
    python -m tools.agent_sandbox_release --check                   # every file matches its sha256

Downloading takes `sandbox.yaml` and `extensions.yaml` from the GitHub release and the tag's
commit and date from the GitHub API. `--from-git` rebuilds the same two files offline from a
clone's tag with the upstream release tool's own recipe (dev/tools/release at v0.5.6: every
`k8s/**/*.yaml` but kustomization files, sorted, core files and "extensions" files apart, each
followed by `---`, the `ko://` image placeholder replaced by the registry.k8s.io image).

Either way the files go to sandboxing/agent_sandbox/releases/<version>/ and their URL, sha256
and origin into releases.json. Then run `python -m tools.schema` (the agentSandboxVersion key's
allowed values) and the tests; `agentSandboxVersion: <version>` in a stack installs it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sandboxing.agent_sandbox.vendored import (
    ASSETS,
    DOWNLOAD_URL,
    IMAGE_REPOSITORY,
    RELEASES_DIR,
    REPOSITORY,
    VERSION,
    integrity_problems,
    releases,
    sha256,
    version_key,
)

COMMIT_API = f"https://api.github.com/repos/{REPOSITORY}/commits/{{version}}"
PLACEHOLDER = re.compile(r"ko://sigs.k8s.io/agent-sandbox/cmd/agent-sandbox-controller.*")
Fetch = Callable[[str], bytes]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        data: bytes = response.read()
        return data


def _git(git_dir: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise ValueError(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def rebuild_from_git(git_dir: Path, version: str) -> tuple[dict[str, bytes], dict[str, str]]:
    """The release assets as dev/tools/release makes them, and the tag's commit and date."""
    paths = [
        p
        for p in _git(git_dir, "ls-tree", "-r", "--name-only", version, "k8s/").splitlines()
        if p.endswith(".yaml") and Path(p).name not in ("kustomization.yaml",)
    ]
    image = f"{IMAGE_REPOSITORY}:{version}"
    assets = {}
    for asset, wanted in (("sandbox.yaml", False), ("extensions.yaml", True)):
        chosen = sorted(p for p in paths if ("extensions" in Path(p).name) == wanted)
        text = "".join(_git(git_dir, "show", f"{version}:{p}") + "---\n" for p in chosen)
        assets[asset] = PLACEHOLDER.sub(image, text).encode()
    commit, date = _git(git_dir, "log", "-1", "--format=%H %cI", f"{version}^{{commit}}").split()
    origin = {
        "commit": commit,
        "released": date[:10],
        "obtained": f"rebuilt from the tag {version} (commit {commit}) with "
        "dev/tools/release's recipe; not compared with the GitHub release "
        "asset, which the download refreshes",
    }
    return assets, origin


def download(version: str, get: Fetch = fetch) -> tuple[dict[str, bytes], dict[str, str]]:
    assets = {name: get(DOWNLOAD_URL.format(version=version, asset=name)) for name in ASSETS}
    commit: dict[str, Any] = json.loads(get(COMMIT_API.format(version=version)))
    today = datetime.date.today().isoformat()
    origin = {
        "commit": commit["sha"],
        "released": commit["commit"]["committer"]["date"][:10],
        "obtained": f"downloaded from the GitHub release on {today}",
    }
    return assets, origin


def vendor(
    version: str, assets: dict[str, bytes], origin: dict[str, str], directory: Path = RELEASES_DIR
) -> list[str]:
    """Write the assets and their entry in releases.json; returns what changed, in words."""
    table_file = directory / "releases.json"
    table = json.loads(table_file.read_text()) if table_file.exists() else {}
    old = {a["name"]: a["sha256"] for a in table.get(version, {}).get("assets", [])}
    (directory / version).mkdir(parents=True, exist_ok=True)
    notes, entries = [], []
    for name in ASSETS:
        data = assets[name]
        (directory / version / name).write_bytes(data)
        digest = sha256(data)
        if name in old and old[name] != digest:
            notes.append(f"{version}/{name}: sha256 {old[name]} -> {digest}")
        url = DOWNLOAD_URL.format(version=version, asset=name)
        entries.append({"name": name, "url": url, "sha256": digest})
    table[version] = {**origin, "assets": entries}
    ordered = {v: table[v] for v in sorted(table, key=version_key)}
    table_file.write_text(json.dumps(ordered, indent=2) + "\n")
    return notes or [f"{version}: {', '.join(ASSETS)} vendored ({origin['obtained']})"]


def check() -> list[str]:
    """Every vendored asset against its recorded sha256: the problems (empty: all good)."""
    return [problem for version in releases() for problem in integrity_problems(version)]


def main(argv: list[str] | None = None, get: Fetch = fetch) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.agent_sandbox_release", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("version", nargs="?", help="the release tag, e.g. v0.5.7")
    parser.add_argument(
        "--from-git",
        type=Path,
        metavar="GITDIR",
        help="rebuild the assets from this clone's tag instead of downloading",
    )
    parser.add_argument("--check", action="store_true", help="only check the vendored files")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        print("\n".join(problems) or f"vendored releases intact: {', '.join(releases())}")
        return 1 if problems else 0
    if not args.version or not VERSION.match(args.version):
        parser.error("give a release tag such as v0.5.7 (or --check)")
    try:
        if args.from_git:
            assets, origin = rebuild_from_git(args.from_git, args.version)
        else:
            assets, origin = download(args.version, get)
    except (OSError, ValueError, KeyError) as error:
        print(f"cannot vendor {args.version}: {error}", file=sys.stderr)
        return 2
    for line in vendor(args.version, assets, origin):
        print(line)
    print("next: python -m tools.schema, then the tests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
