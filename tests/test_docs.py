"""README and docs/: links that resolve, the newcomer's order, commands with the venv's Python."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from support import load_yaml

from tools.repo import REPO

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def prose(page: Path) -> str:
    return FENCE.sub("", page.read_text())


def anchors(page: Path) -> set[str]:
    """GitHub's heading ids: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#{1,6} (.+)$", prose(page), re.M)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


def test_anchors_follow_githubs_rules() -> None:
    # Backticks, colons, apostrophes and parentheses drop out; spaces become hyphens.
    ids = anchors(REPO / "docs" / "reconcile.md")
    assert "one-pulumi-up-from-empty-the-reconcile-and-the-runtime-class-wait" in ids
    assert "why-azures-sdk-and-not-az-aks-update" in ids
    assert "try-it-offline-no-cloud-no-pulumi-cli" in anchors(REPO / "README.md")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_relative_links_resolve(page: Path) -> None:
    targets = [t for t in LINK.findall(prose(page)) if not re.match(r"https?://", t)]
    assert targets, f"{page.name} links nowhere"
    broken = []
    for target in targets:
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.is_file():
            broken.append(f"{target}: no such file")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{target}: no such heading")
    assert not broken, f"{page.name}: {broken}"


def test_docs_are_linked_from_the_readme() -> None:
    readme = prose(REPO / "README.md")
    for page in PAGES[1:]:
        assert f"(docs/{page.name}" in readme, f"the README does not link docs/{page.name}"


def test_the_readme_reads_in_a_newcomers_order() -> None:
    sections = re.findall(r"^## (.+)$", prose(REPO / "README.md"), re.M)
    wanted = [
        "Try it offline",
        "Review a change",
        "Deploy it for real",
        "Verify the isolation",
        "Clean up",
        "More documentation",
    ]
    found = [next(i for i, s in enumerate(sections) if s.startswith(w)) for w in wanted]
    assert found == sorted(found) and found[0] == 0, sections


def test_the_readme_reads_in_ten_minutes() -> None:
    lines = (REPO / "README.md").read_text().splitlines()
    assert len(lines) <= 300, f"the README has {len(lines)} lines: move detail to docs/"


# A time, a size or a count of vCPUs or nodes, a range of them whole ("22.6-32.1 s").
FIGURE = re.compile(
    r"~\s?\d|\b(?:\d+(?:[.,]\d+)?-)?\d+(?:[.,]\d+)?\s?(?:ms|s|sec|seconds?|min|minutes?|h|hours?"
    r"|KiB|MiB|GiB|KB|MB|GB|vCPUs?|nodes?)\b"
)
# The benchmark that measured a paragraph's figures, and the day it did.
MEASURED_BY = re.compile(r"`venv/bin/python -m benchmarks\.(\w+)`.*?(\d{4}-\d\d-\d\d)", re.S)


def test_the_readmes_figures_are_the_benchmarks_with_their_machine_and_day() -> None:
    """A figure in the README is one the project's benchmark measured: its paragraph names the
    benchmark, the day and the machine, and docs/benchmarks.md records the same figure. A stack's
    cost, quota or time is never restated (docs/stacks.md, generated, is linked instead)."""
    record = " ".join((REPO / "docs" / "benchmarks.md").read_text().split())
    stated = []
    for paragraph in prose(REPO / "README.md").split("\n\n"):
        figures = FIGURE.findall(paragraph)
        if not figures:
            continue
        measured = MEASURED_BY.search(paragraph)
        assert measured, f"name the benchmark and the day that measured {figures}"
        assert (REPO / "benchmarks" / f"{measured[1]}.py").is_file(), measured[1]
        assert "vCPU" in paragraph, f"name the machine that measured {figures}"
        unrecorded = [f for f in figures if " ".join(f.split()) not in record]
        assert not unrecorded, f"docs/benchmarks.md does not record {unrecorded}"
        assert measured[2] in record, f"docs/benchmarks.md has no measurement of {measured[2]}"
        stated += figures
    assert "the first command" in record and any(f.endswith(" s") for f in stated)
    assert FIGURE.findall("about 11 to 17 s measured") == ["17 s"]
    assert FIGURE.findall("took 22.6-32.1 s, an estimated ~17") == ["22.6-32.1 s", "~1"]


def test_the_readmes_rerun_of_failures_has_the_cache_it_reads() -> None:
    """`--lf` reruns what pytest's cache provider saved as failed; with the provider turned off in
    the addopts, pytest refuses the option ("unrecognized arguments")."""
    pytest_ini = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["pytest"]
    assert "`--lf`" in prose(REPO / "README.md")
    assert "no:cacheprovider" not in pytest_ini["ini_options"]["addopts"]


def test_readme_commands_use_the_venvs_python() -> None:
    text = (REPO / "README.md").read_text()
    text = re.sub(r"<!-- config-table:start \(python -m tools.schema\) -->", "", text)
    bare = re.findall(r"(?<!venv/bin/)\bpython3?(?:\.\d+)? -m (?!venv\b)\S+", text)
    assert not bare, f"use venv/bin/python: {bare}"


def test_stack_rm_keeps_the_tracked_stack_file() -> None:
    text = (REPO / "README.md").read_text()
    assert (REPO / "Pulumi.dev.yaml").is_file()
    for command in re.findall(r"pulumi stack rm [^`\n#]*", text):
        assert "--preserve-config" in command, command


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_readme_names_the_pulumi_cli_that_reads_pulumi_yaml_and_ci_uses_one() -> None:
    # `items: {type: object}` (the tenants key) is a config type since Pulumi CLI v3.186.0
    # (pulumi/pulumi#20129; sdk/go/common/workspace/project.json at v3.259.0); older CLIs refuse
    # Pulumi.yaml.
    project = load_yaml((REPO / "Pulumi.yaml").read_text())
    object_items = [
        k for k, v in project["config"].items() if v.get("items", {}).get("type") == "object"
    ]
    assert object_items, "no config key needs the object item type any more: relax the README"
    found = re.search(
        r"\[Pulumi CLI\]\([^)]*\) v(\d+\.\d+\.\d+) or later", prose(REPO / "README.md")
    )
    assert found, "README 'What you need' states no minimum Pulumi CLI version"
    assert _version(found[1]) >= (3, 186, 0)
    # The SDK's own minimum (replace_with needs an engine of the same release) is no newer.
    sdk = re.search(r"^pulumi>=(\d+\.\d+\.\d+)", (REPO / "requirements.in").read_text(), re.M)
    assert sdk and _version(found[1]) >= _version(sdk[1])
    pinned = (REPO / ".pulumi-version").read_text().strip()
    assert _version(pinned) >= _version(found[1]), "CI's .pulumi-version is older than the README's"


def test_the_architecture_pages_key_example_is_real_code() -> None:
    page = (REPO / "docs" / "architecture.md").read_text()
    (example,) = re.findall(r"```text\n(.*?)```", page, re.S)
    assert "ConfigKey(" in example and "rules=" in example
    assert example in (REPO / "sandboxing" / "keys" / "pools.py").read_text()


LONG_PAGE_LINES = 100


@pytest.mark.parametrize("page", PAGES[1:], ids=lambda p: p.name)
def test_a_long_page_opens_with_an_index_of_its_sections(page: Path) -> None:
    text = prose(page)
    sections = re.findall(r"^## (.+)$", text, re.M)
    if len(page.read_text().splitlines()) <= LONG_PAGE_LINES or len(sections) < 2:
        return
    head = text.split("\n## ", 1)[0]
    assert "On this page:" in head, (
        f"{page.name}: add an 'On this page:' index before its first section"
    )
    index = head.split("On this page:", 1)[1]
    listed = {target.lstrip("#") for target in LINK.findall(index) if target.startswith("#")}
    wanted = {re.sub(r"[^\w\- ]", "", s.lower()).replace(" ", "-") for s in sections}
    assert wanted <= listed, f"{page.name}: the index leaves out {sorted(wanted - listed)}"
