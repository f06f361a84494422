"""Check the dependency locks against the declared ranges, offline.

The ranges live in `*.in` files, the locks (exact versions with hashes, made by tools/lock.sh) in
the `*.txt` files pip and uv install from. A lock disagrees with its ranges when a declared
package is missing, a locked version falls outside its range (pre-releases count as outside
unless the range names one), or an entry is not an exact pin with hashes. The locks must also
agree with each other on every package they share. `python -m tools.locks` prints every
disagreement and exits 1.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tools.repo import REPO

# (ranges, lock) pairs; the dev lock is the superset the others take their versions from.
DEV = ("requirements-dev.in", "requirements-dev.txt")
RUNTIME = ("requirements.in", "requirements.txt")
POLICY = ("policy/requirements.in", "policy/requirements.txt")
BOOTSTRAP = ("requirements-bootstrap.in", "requirements-bootstrap.txt")  # uv, for installs
PAIRS = (DEV, RUNTIME, POLICY, BOOTSTRAP)

_HASH = re.compile(r"--hash=(?P<algorithm>[a-z0-9]+):(?P<digest>[0-9a-f]+)")


@dataclass(frozen=True)
class Locked:
    name: str  # canonical
    version: Version
    hashes: tuple[str, ...]


def _logical_lines(text: str) -> list[str]:
    """Lines with backslash continuations joined and comments dropped, as pip reads them."""
    joined = re.sub(r"\\\n", " ", text)
    lines = (re.sub(r"(^|\s)#.*$", "", line).strip() for line in joined.splitlines())
    return [line for line in lines if line]


def read_ranges(path: Path) -> dict[str, Requirement]:
    """The requirements of a `.in` file by canonical name, following `-r other.in`."""
    found: dict[str, Requirement] = {}
    for line in _logical_lines(path.read_text()):
        if line.startswith(("-r ", "--requirement ")):
            found.update(read_ranges(path.parent / line.split(maxsplit=1)[1]))
            continue
        requirement = Requirement(line)
        found[canonicalize_name(requirement.name)] = requirement
    return found


def read_lock(path: Path) -> tuple[dict[str, Locked], list[str]]:
    """The entries of a lock by canonical name, and the entries that are no exact hashed pin."""
    entries: dict[str, Locked] = {}
    problems: list[str] = []
    for line in _logical_lines(path.read_text()):
        hashes = tuple(m["digest"] for m in _HASH.finditer(line) if m["algorithm"] == "sha256")
        requirement = Requirement(_HASH.sub("", line).strip())
        specifiers = list(requirement.specifier)
        name = canonicalize_name(requirement.name)
        if len(specifiers) != 1 or specifiers[0].operator != "==" or "*" in specifiers[0].version:
            problems.append(f"{path.name}: {requirement.name} is not pinned with == ({line})")
            continue
        if not hashes:
            problems.append(f"{path.name}: {requirement.name} has no sha256 hash")
        entries[name] = Locked(name, Version(specifiers[0].version), hashes)
    return entries, problems


def range_disagreements(
    ranges: dict[str, Requirement], lock: dict[str, Locked], where: str
) -> list[str]:
    problems = []
    for name, requirement in sorted(ranges.items()):
        locked = lock.get(name)
        if locked is None:
            problems.append(f"{where}: {requirement} is declared but not locked")
        # Explicit: pre-releases are outside a range unless it names one (packaging's own
        # default for this changed between releases).
        elif not requirement.specifier.contains(
            locked.version, prereleases=requirement.specifier.prereleases is True
        ):
            problems.append(
                f"{where}: {requirement.name}=={locked.version} is outside the declared "
                f"range {requirement.specifier}"
            )
    return problems


def version_disagreements(
    superset: dict[str, Locked], subset: dict[str, Locked], where: str
) -> list[str]:
    """Every package of `subset` must be in `superset` at the same version."""
    problems = []
    for name, locked in sorted(subset.items()):
        other = superset.get(name)
        if other is None:
            problems.append(f"{where}: {name}=={locked.version} is missing from the dev lock")
        elif other.version != locked.version:
            problems.append(
                f"{where}: {name}=={locked.version}, but the dev lock has {other.version}"
            )
    return problems


def check(repo: Path = REPO) -> list[str]:
    """Every disagreement between the ranges and the locks, and between the locks."""
    problems: list[str] = []
    locks: dict[str, dict[str, Locked]] = {}
    for ranges_file, lock_file in PAIRS:
        lock, lock_problems = read_lock(repo / lock_file)
        locks[lock_file] = lock
        problems += lock_problems
        problems += range_disagreements(read_ranges(repo / ranges_file), lock, lock_file)
    dev = locks[DEV[1]]
    for _, lock_file in (RUNTIME, POLICY, BOOTSTRAP):
        problems += version_disagreements(dev, locks[lock_file], lock_file)
    return problems


def main(repo: Path = REPO) -> int:
    problems = check(repo)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("re-make the locks with tools/lock.sh", file=sys.stderr)
        return 1
    print("locks agree with the declared ranges and with each other")
    return 0


if __name__ == "__main__":
    sys.exit(main())
