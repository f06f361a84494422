"""The numbers the docs repeat in prose are the catalog's, so changing one fact changes them all.

The config table is generated from the catalog (tests/tools/test_schema.py keeps it current);
this catches the same numbers typed into the prose of any Markdown page of the repository.
"""

from __future__ import annotations

import re

import pytest

from sandboxing import catalog
from tools.repo import repo_files

# (fact, pattern whose groups catch the number as the prose writes it, the catalog's value).
# Laid out by hand (fmt: skip): one case per line reads as a table; the formatter would spread
# most cases over several lines.
FACTS: list[tuple[str, str, str]] = [
    ("RuntimeClass overhead", r"(\d+)Mi (?:of )?(?:RuntimeClass )?overhead",
     str(catalog.RUNTIME_CLASS_OVERHEAD_MIB)),
    ("Kata's minimum pod memory", r"(?:>=|at least|minimum of) (\d+)Mi",
     str(catalog.MIN_POD_VM_MEMORY_MIB)),
    # Not "AKS reservations, Kubernetes 1.29+": that is the reservation table's version.
    ("minimum Kubernetes", r"(?<!reservations, )(?<!need )(?:Kubernetes |`, |at least )"
     r"(\d+\.\d+)(?:\+| or later| for)", catalog.version_text(catalog.KATA_GA.min_kubernetes)),
    # Tenants need more: their admission policy (ValidatingAdmissionPolicy v1).
    ("tenants' minimum Kubernetes", r"[Tt]enants need Kubernetes (\d+\.\d+)",
     catalog.version_text(catalog.ADMISSION_POLICY_MIN_KUBERNETES)),
    # So do the sandboxes on demand (agentSandbox): theirs too.
    ("sandboxes' minimum Kubernetes", r"[Ss]andboxes on demand need Kubernetes (\d+\.\d+)",
     catalog.version_text(catalog.ADMISSION_POLICY_MIN_KUBERNETES)),
    ("System pool minimum vCPUs", r"(?:System[- ]pool minimum of|at least) (\d+) vCPUs",
     str(catalog.SYSTEM_POOL_MIN_VCPUS)),
]  # fmt: skip


def markdown_text() -> str:
    pages = repo_files("*.md")
    # One line per page, so a phrase broken over two lines still matches.
    return "\n".join(" ".join(page.read_text().split()) for page in pages)


@pytest.mark.parametrize(("fact", "pattern", "value"), FACTS, ids=[fact for fact, _, _ in FACTS])
def test_the_prose_repeats_the_catalog_value(fact: str, pattern: str, value: str) -> None:
    found = [match.group(1) for match in re.finditer(pattern, markdown_text())]
    assert found, f"no page mentions the {fact} any more: drop it from FACTS"
    assert set(found) == {value}, f"the {fact} is {value} in the catalog, the docs say {found}"
