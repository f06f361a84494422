"""docs/stacks.md's figures are the offline plan's, and agree with what the program itself sizes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from sandboxing.config.stack_config import check_stack_config
from sandboxing.sizing import pool_sizes
from tools.harness import stack_config
from tools.repo import REPO, tracked_stacks
from tools.stacks_doc import (
    HOURS_PER_MONTH,
    REGIONAL_QUOTA,
    StackTableError,
    quota_name,
    stack_shape,
    stacks_tables,
)


@pytest.mark.parametrize("stack", tracked_stacks())
def test_the_quota_is_what_the_preflight_asks_for(stack: str) -> None:
    # The preflight checks sandboxing.sizing.pool_sizes against the live quota; the table reads
    # the pools from the resources the program registers. Two routes, one answer.
    settings, _ = check_stack_config(stack_config(stack))
    preflight = Counter([(p.vm_size, p.most_nodes) for p in pool_sizes(settings)])
    shape = stack_shape(stack)
    assert Counter([(p.vm_size, p.largest) for p in shape.pools]) == preflight
    need: Counter[str] = Counter()
    for pool in pool_sizes(settings):
        size_vcpus = next(p.vcpus_per_node for p in shape.pools if p.vm_size == pool.vm_size)
        need[quota_name(pool.vm_size)] += pool.most_nodes * size_vcpus
    need[REGIONAL_QUOTA] = sum(need.values())
    assert shape.quota_at_max() == dict(need)


@pytest.mark.parametrize("stack", tracked_stacks())
def test_the_vcpus_at_start_are_the_sizing_outputs(stack: str) -> None:
    from tools.harness import read_stack
    from tools.plan.build import plan_stack

    config, refusal = read_stack(stack)
    _, plan = plan_stack(config, stack, refusal=refusal)
    assert stack_shape(stack).vcpus() == plan["sandboxSizing"]["stackNodes"]["vcpus"]


def test_a_changed_stack_file_changes_its_row(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.sized.yaml").write_text(
        "config:\n"
        "  azure-native:location: westeurope\n"
        "  aks-pod-sandboxing:kataNodeVmSize: Standard_D8s_v5\n"
        "  aks-pod-sandboxing:kataEnableAutoScaling: true\n"
        "  aks-pod-sandboxing:kataNodeCount: 2\n"
        "  aks-pod-sandboxing:kataNodeMinCount: 1\n"
        "  aks-pod-sandboxing:kataNodeMaxCount: 5\n"
    )
    shape = stack_shape("sized", tmp_path)
    assert [pool.text() for pool in shape.pools] == [
        "System `Standard_D2s_v5` × 1",
        "Kata `Standard_D8s_v5` × 2 (autoscaler 1-5)",
    ]
    assert (shape.vcpus(), shape.vcpus(at_max=True)) == (2 + 2 * 8, 2 + 5 * 8)
    assert shape.quota_at_max() == {
        "Standard DSv5 Family vCPUs": 42, REGIONAL_QUOTA: 42,
    }  # fmt: skip


def test_every_tracked_stack_has_its_rows_and_month() -> None:
    tables = stacks_tables()
    for stack in tracked_stacks():
        assert f"[`{stack}`](../Pulumi.{stack}.yaml)" in tables
        vcpus = stack_shape(stack).vcpus()
        assert f"| `{stack}` | {vcpus} |" in tables
        assert f"{vcpus * HOURS_PER_MONTH:,}" in tables
    assert tables in (REPO / "docs" / "stacks.md").read_text(), "run: python -m tools.schema"


def test_a_family_without_a_known_quota_name_is_refused_by_name() -> None:
    assert quota_name("Standard_D16s_v5") == "Standard DSv5 Family vCPUs"
    with pytest.raises(StackTableError, match=r"Standard_D4s_v6.*QUOTA_NAMES"):
        quota_name("Standard_D4s_v6")
