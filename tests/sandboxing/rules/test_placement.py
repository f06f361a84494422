"""kataPoolPlacement on plain data: the placement itself, and the keys it does not use."""

from __future__ import annotations

from typing import Any

import pytest

from sandboxing.config import validate as rules
from sandboxing.config.contract import check_keys, default_settings
from sandboxing.config.settings import Problem
from sandboxing.keys import KEYS_BY_NAME


def system(**overrides: Any) -> list[Problem]:
    """Every problem of the whole rule set for a new one-pool cluster."""
    settings = default_settings(location="westeurope", kata_pool_placement="system", **overrides)
    return rules.check_settings(settings)


def test_both_placements_with_defaults_have_no_problem() -> None:
    assert rules.check_settings(default_settings(location="westeurope")) == []
    assert system() == []


def test_unknown_placement_names_what_is_allowed() -> None:
    (problem,) = check_keys(default_settings(kata_pool_placement="onepool"))
    assert (problem.key, problem.value, problem.severity) == (
        "kataPoolPlacement",
        "onepool",
        "error",
    )
    assert "dedicated" in problem.message and "system" in problem.message


def test_system_on_an_existing_cluster_is_refused_naming_both_keys() -> None:
    settings = default_settings(
        cluster_mode="existing",
        resource_group_name="rg",
        cluster_name="aks",
        kata_pool_placement="system",
        system_node_count=3,
    )
    (problem,) = rules.check_settings(settings)
    assert (problem.key, problem.severity) == ("kataPoolPlacement", "error")
    assert "clusterMode new" in problem.message and "clusterMode existing" in problem.message
    assert "kataPoolPlacement dedicated" in problem.message
    # The existing cluster keeps its own dedicated placement: fine.
    assert (
        rules.check_settings(
            default_settings(cluster_mode="existing", resource_group_name="rg", cluster_name="aks")
        )
        == []
    )


@pytest.mark.parametrize(
    ("field", "key", "value"),
    [
        ("system_node_vm_size", "systemNodeVmSize", "Standard_D8s_v5"),
        ("system_node_count", "systemNodeCount", 3),
        ("kata_node_pool_name", "kataNodePoolName", "sandbox1"),
        ("kata_node_taint", "kataNodeTaint", "example.com/kata=yes:NoExecute"),
    ],
)
def test_a_key_the_one_pool_cluster_does_not_use_is_a_warning(
    field: str, key: str, value: object
) -> None:
    (problem,) = system(**{field: value})
    assert (problem.key, problem.value, problem.severity) == (key, value, "warning")
    assert "is not used with kataPoolPlacement system" in str(problem)
    # The same value in the dedicated placement is used, so nothing to say.
    assert rules.check_settings(default_settings(location="westeurope", **{field: value})) == []


def test_the_default_taint_and_no_taint_are_not_worth_a_warning() -> None:
    assert KEYS_BY_NAME["kataNodeTaint"].default  # the default is a real taint
    assert system(kata_node_taint="") == []


def test_values_of_unused_keys_are_not_errors_even_when_malformed() -> None:
    problems = system(
        system_node_vm_size="big",
        system_node_count=0,
        kata_node_pool_name="Kata",
        kata_node_taint="kata",
    )
    assert rules.errors(problems) == []
    assert sorted(p.key for p in problems) == [
        "kataNodePoolName",
        "kataNodeTaint",
        "systemNodeCount",
        "systemNodeVmSize",
    ]


def test_the_kata_pool_rules_apply_to_the_system_pool() -> None:
    problems = system(
        kata_os_sku="Ubuntu",
        kata_node_vm_size="Standard_D2_v3",
        kata_node_count=0,
        kubernetes_version="1.26",
    )
    assert sorted(p.key for p in rules.errors(problems)) == [
        "kataNodeCount",
        "kataNodeVmSize",
        "kataOsSku",
        "kubernetesVersion",
    ]


def test_the_system_pool_minimum_applies_to_the_kata_size() -> None:
    # A 1-vCPU size the Kata list does not know, let through by the escape hatch: fine for a
    # dedicated Kata User pool, too small for a System pool.
    small = {"kata_node_vm_size": "Standard_D1s_v6", "allow_unlisted_vm_size": True}
    dedicated = rules.check_settings(default_settings(location="westeurope", **small))
    assert rules.errors(dedicated) == []
    (error,) = rules.errors(system(**small))
    assert (error.key, error.value) == ("kataNodeVmSize", "Standard_D1s_v6")
    assert "System pools need at least 2 vCPUs" in error.message
    # ...and the System pool's own key is not checked, as it is not used.
    unused_small = default_settings(
        kata_pool_placement="system", system_node_vm_size="Standard_B1s"
    )
    assert rules.errors(rules.problems_of(unused_small, "systemNodeVmSize")) == []
