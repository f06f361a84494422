"""`--format markdown`: the PR comment (graph, warnings, sizing, outputs, estimate)."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from support import run_dev

from tools.harness import RunResult
from tools.plan.build import build_plan
from tools.plan.markdown import SIZING_LABELS, mermaid, render_markdown, sizing_lines


@pytest.fixture(scope="module")
def plan(dev_run: RunResult) -> dict[str, Any]:
    return build_plan(dev_run, "dev")


@pytest.fixture(scope="module")
def markdown(plan: dict[str, Any]) -> str:
    return render_markdown(plan)


def section(markdown: str, title: str) -> str:
    """The text under `### title`, up to the next heading."""
    return markdown.split(f"### {title}\n", 1)[1].split("\n### ", 1)[0]


def test_headline_has_the_estimate_and_the_path(markdown: str) -> None:
    assert markdown.startswith("## Offline plan: stack `dev`\n")
    assert "**Estimated `pulumi up` from empty: ~17 min**" in markdown
    assert "`SubscriptionPreflight preflight-run (5s) -> ResourceGroup cluster-rg (10s) ->" in (
        markdown
    )
    assert "12 to create, 0 to read, in 2 components." in markdown


def test_mermaid_has_a_node_per_resource_and_an_edge_per_wait(plan: dict[str, Any]) -> None:
    lines = mermaid(plan)
    assert lines[:2] == ["```mermaid", "flowchart LR"] and lines[-1] == "```"
    ids = {}
    for line in lines:
        if found := re.match(r'\s+(r\d+)(?:\["|\(\[")([^<"]+)<br/>([^<"]+)', line):
            ids[found.group(1)] = found.group(3)  # node id -> resource name
    custom = [r for r in plan["resources"] if r["custom"]]
    assert sorted(ids.values()) == sorted(r["name"] for r in custom)
    edges = {tuple(re.findall(r"r\d+", line)) for line in lines if "-->" in line}
    name_of = {r["urn"]: r["name"] for r in plan["resources"]}
    expected = {(name_of[dep], r["name"]) for r in custom for dep in r["dependsOn"]}
    assert {(ids[a], ids[b]) for a, b in edges} == expected
    # The trusted pod waits for the namespace, not for anything of the Kata pool.
    assert ("sandbox-namespace", "trusted") in expected
    assert ("kata-pool", "trusted") not in expected


def test_mermaid_groups_components_and_marks_reads_and_the_critical_path(
    plan: dict[str, Any],
) -> None:
    text = "\n".join(mermaid(plan))
    assert text.count("subgraph ") == 2 and text.count("\n  end") == 2
    assert '["AzureLinuxCluster cluster"]' in text and '["SandboxPods sandbox"]' in text
    # A resource at the top of the stack is a node of its own, in no subgraph.
    assert re.search(r'\n  r\d+\["ClusterReconcile<br/>kata-reconcile-run<br/>180s"\]', text)
    assert '["RuntimeClassWait<br/>kata-runtime-class-wait<br/>5s"]' in text
    critical = re.search(r"class (\S+) critical", text)
    assert critical is not None
    assert len(critical.group(1).split(",")) == len(plan["estimate"]["criticalPath"]) == 7
    styled = re.search(r"linkStyle (\S+) stroke", text)
    assert styled is not None and len(styled.group(1).split(",")) == 6
    # A lookup (`.get`) is drawn as a stadium; the dev stack has none any more.
    with_read = copy.deepcopy(plan)
    wait = next(r for r in with_read["resources"] if r["name"] == "kata-runtime-class-wait")
    wait["operation"] = "read"
    assert '(["RuntimeClassWait<br/>kata-runtime-class-wait<br/>5s"])' in render_markdown(with_read)


def test_mermaid_labels_cannot_break_the_syntax(plan: dict[str, Any]) -> None:
    odd = dict(plan, resources=[dict(r, name='a "b" <c>') for r in plan["resources"]])
    text = "\n".join(mermaid(odd))
    assert '"b"' not in text and "<c>" not in text
    assert "a #quot;b#quot; #lt;c#gt;" in text


def test_warnings_are_listed(dev_run: RunResult) -> None:
    assert "None." in section(render_markdown(build_plan(dev_run, "dev")), "Validation warnings")
    warned = run_dev(kataOsSku="AzureLinux3")
    assert warned.error is None and warned.warnings
    listed = section(render_markdown(build_plan(warned, "dev")), "Validation warnings")
    for warning in warned.warnings:
        assert f"- {warning}" in listed


def test_sandbox_sizing_comes_from_the_stack_output(markdown: str) -> None:
    sizing = section(markdown, "Sandbox sizing")
    assert f"| {SIZING_LABELS['podsPerNode']} | `3` |" in sizing
    assert f"| {SIZING_LABELS['node.vmSize']} | `Standard_D4s_v3` |" in sizing
    assert f"| {SIZING_LABELS['hostMemoryPerPodMib']} | `1624` |" in sizing
    assert "Not available" in sizing_lines(None)[0]
    assert "| extra | `1` |" in sizing_lines({"extra": 1})  # a new field still shows


def test_outputs_are_masked_and_the_timeline_marks_the_critical_path(markdown: str) -> None:
    outputs = section(markdown, "Stack outputs")
    assert "| `kubeconfig` | `[secret]` |" in outputs
    assert "| `runtimeClassName` | `kata-vm-isolation` |" in outputs
    assert "mock-secret-token" not in markdown
    timeline = section(markdown, "Timeline")
    assert "| **critical** | SubscriptionPreflight preflight-run | 0:00 | 0:05 |" in timeline
    assert "| **critical** | ClusterReconcile kata-reconcile-run | 13:15 | 16:15 |" in timeline
    assert "| **critical** | Pod untrusted | 16:20 | 17:05 |" in timeline
    assert "|  | Pod trusted | 7:19 | 8:04 |" in timeline


def test_resource_tree_is_folded_with_every_resource(plan: dict[str, Any], markdown: str) -> None:
    tree = section(markdown, "Resources")
    # The same counts as the headline, and they add up to every resource.
    assert "<summary>12 to create, 0 to read, in 2 components" in tree
    assert "12 to create, 0 to read, in 2 components." in markdown.split("###")[0]
    assert len(plan["resources"]) == 12 + 0 + 2
    for r in plan["resources"]:
        assert f"{r['type']}  {r['name']}" in tree


def test_error_comment_has_the_problems_and_nothing_else() -> None:
    failed = run_dev(kataNodeVmSize="Standard_B2s")
    assert failed.error
    assert [p.key for p in failed.problems] == ["kataNodeVmSize"]
    text = render_markdown(build_plan(failed, "dev"))
    assert "**1 configuration problem(s): the program stopped" in text
    assert "| `aks-pod-sandboxing:kataNodeVmSize` | `Standard_B2s` | B-series" in text
    assert "```mermaid" not in text and "Estimated" not in text
