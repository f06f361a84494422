"""The offline plan and capacity: autoscaler and upgrade changes are updates in place, a zone
change replaces a pool (refused for the System pool), an autoscaled count is ignored, and every
format shows what the Kata pool holds and what a scale-up costs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from support import dev_config, flat

from tools.harness import stack_config
from tools.plan.build import plan_stack
from tools.plan.diff import diff_plans
from tools.plan.diff_render import diff_text_lines
from tools.plan.markdown import render_markdown
from tools.plan.step_times import NODE_ADDED, PENDING_POD_NOTICED, POD_READY, STEP_TIMES
from tools.plan.text import render_text

AUTOSCALED = {"kataEnableAutoScaling": "true", "kataNodeMinCount": "0", "kataNodeMaxCount": "6"}


def plan_with(**overrides: object) -> dict[str, Any]:
    plan = plan_stack(dev_config(**overrides), "dev")[1]
    assert plan["error"] == [], plan["error"]
    return plan


def rows(diff: dict[str, Any], name: str) -> dict[str, tuple[str, Any, Any]]:
    (changed,) = [c for c in diff["changed"] if c["name"] == name]
    return {r["path"]: (r["effect"], r["old"], r["new"]) for r in changed["properties"]}


@pytest.fixture(scope="module")
def fixed() -> dict[str, Any]:
    return plan_with()


@pytest.fixture(scope="module")
def autoscaled() -> dict[str, Any]:
    return plan_with(**AUTOSCALED)


def test_turning_the_autoscaler_on_is_an_update_in_place(
    fixed: dict[str, Any], autoscaled: dict[str, Any]
) -> None:
    diff = diff_plans(fixed, autoscaled)
    assert rows(diff, "kata-pool") == {
        "enableAutoScaling": ("update", None, True),
        "minCount": ("update", None, 0),
        "maxCount": ("update", None, 6),
    }
    profile = rows(diff, "cluster-aks")
    assert profile["autoScalerProfile.expander"] == ("update", None, "random")
    assert {effect for effect, _, _ in profile.values()} == {"update"}
    assert diff["summary"].startswith("0 to add, 2 to update, 0 to replace, 0 to remove")


def test_a_new_count_of_an_autoscaled_pool_is_ignored(autoscaled: dict[str, Any]) -> None:
    diff = diff_plans(autoscaled, plan_with(**AUTOSCALED, kataNodeCount="3"))
    assert rows(diff, "kata-pool") == {"count": ("ignored", 1, 3)}
    assert "1 change(s) Pulumi ignores" in diff["summary"]
    assert "0 to update" in diff["summary"]
    assert any("no change (ignoreChanges)" in line for line in diff_text_lines(diff))
    # A fixed pool's count is the program's: the same change is a plain update.
    resized = diff_plans(plan_with(), plan_with(kataNodeCount="3"))
    assert rows(resized, "kata-pool") == {"count": ("update", 1, 3)}


def test_new_upgrade_settings_are_an_update(fixed: dict[str, Any]) -> None:
    diff = diff_plans(fixed, plan_with(kataMaxSurge="33%", kataDrainTimeoutMinutes="90"))
    assert rows(diff, "kata-pool") == {
        "upgradeSettings.maxSurge": ("update", "1", "33%"),
        "upgradeSettings.drainTimeoutInMinutes": ("update", 30, 90),
    }


def test_new_zones_replace_the_kata_pool_and_are_refused_for_the_system_pool(
    fixed: dict[str, Any],
) -> None:
    diff = diff_plans(
        fixed,
        plan_with(availabilityZones='["1", "2", "3"]', kataNodeCount="3", systemNodeCount="3"),
    )
    pool = rows(diff, "kata-pool")
    assert pool["availabilityZones[0]"][0] == "replace"
    cluster = rows(diff, "cluster-aks")
    assert cluster["agentPoolProfiles[0].availabilityZones[0]"][0] == "refused"
    effects = {c["name"]: c["effect"] for c in diff["changed"]}
    assert (effects["kata-pool"], effects["cluster-aks"]) == ("replace", "refused")
    reasons = {r["reason"] for c in diff["changed"] for r in c["properties"] if r["reason"]}
    assert any("replace_on_changes" in reason for reason in reasons)
    assert any("takes a new cluster" in reason for reason in reasons)


def test_the_scale_up_rows_are_in_the_one_table_of_step_times() -> None:
    assert {PENDING_POD_NOTICED, NODE_ADDED, POD_READY} <= set(STEP_TIMES)
    assert "2-5 min" in NODE_ADDED.note and "concepts-scale.md" in NODE_ADDED.note
    assert NODE_ADDED.types == ()  # not a resource of `pulumi up`: its estimate is unchanged


def test_every_format_shows_the_pool_at_its_bounds_and_the_cold_start() -> None:
    _, plan = plan_stack(stack_config("burst"), "burst")
    scale_up = plan["estimate"]["scaleUp"]
    cold = PENDING_POD_NOTICED.seconds + NODE_ADDED.seconds + POD_READY.seconds
    assert (scale_up["warmSeconds"], scale_up["coldSeconds"]) == (POD_READY.seconds, cold)
    pool = json.loads(json.dumps(plan))["sandboxSizing"]["kataPool"]
    # Standard_D8s_v5: 7 pods of 1 CPU / 1Gi per node (CPU decides), less the demo pod.
    assert (pool["sandboxPodsAtMin"], pool["sandboxPodsAtInitial"], pool["sandboxPodsAtMax"]) == (
        0,
        6,
        7 * 12 - 1,
    )
    text = render_text(plan)
    assert "    at its minimum, 0 node(s): 0 sandboxed pods" in text
    assert "    at its maximum, 12 node(s): 83 sandboxed pods" in text
    assert "the pool at 12 node(s) gives tenants 92840m CPU and 329792Mi: they fit" in flat(text)
    assert f"on a node the autoscaler adds: ~{round(cold / 60)} min" in flat(text)
    markdown = render_markdown(plan)
    assert "| at its maximum | 12 | 83 | fit |" in markdown
    assert "| at its start | 1 | 6 | do not fit |" in markdown
    assert "Scale-up: a sandboxed pod on a Kata node with room: ~45 s" in markdown


def test_a_fixed_pool_says_no_node_is_added(fixed: dict[str, Any]) -> None:
    text = render_text(fixed)
    assert "    fixed size, 1 node(s): 2 sandboxed pods" in text
    assert "scale-up: none, the pool has a fixed size" in flat(text)


def test_a_maximum_that_cannot_hold_the_quotas_is_a_warning_with_the_numbers() -> None:
    # Two tenants of 16 CPUs each; 4 Standard_D8s_v5 nodes give tenants 4 x 7820m - 1000m.
    tenants = [{"name": name, "cpuQuota": "16", "memoryQuota": "16Gi"} for name in ("a", "b")]
    config = {
        **stack_config("burst"),
        "aks-pod-sandboxing:kataNodeMaxCount": "4",
        "aks-pod-sandboxing:tenants": json.dumps(tenants),
    }
    _, plan = plan_stack(config, "burst")
    assert plan["error"] == []
    (warning,) = plan["warnings"]
    assert "add up to 32000m CPU and 32768Mi" in warning
    assert "30280m CPU and 108848Mi at its maximum of 4 node(s) (kataNodeMaxCount)" in warning
    assert "they do NOT fit (see the warnings)" in render_text(plan)
