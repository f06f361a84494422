"""Where Kata runs: a dedicated User pool (the default) or the new cluster's one System pool.

`system` is the docs' new-cluster command (`az aks create --os-sku AzureLinux --workload-runtime
KataVmIsolation ...`): the cluster's first pool runs Kata, with no second pool and no taint. The
rules that check a Kata pool (OS SKU, VM size, count, Kubernetes version) then apply to the
System pool through the same kata* keys; this module checks the placement itself and names every
key the placement does not use. Pure, like `rules`, which runs it with the others.
"""

from __future__ import annotations

from sandboxing import catalog
from sandboxing.contract import KATA_POOL_PLACEMENTS, KEYS_BY_NAME, Problem, Settings


def kata_pool_placement(s: Settings) -> list[Problem]:
    """`system` (the docs' one-pool cluster) is for a new cluster; keys of the pools it does
    without are then not used, and a value set for them gets a warning, never silence."""
    problems: list[Problem] = []
    if s.kata_pool_placement not in KATA_POOL_PLACEMENTS:
        allowed = ", ".join(KATA_POOL_PLACEMENTS)
        problems.append(Problem("kataPoolPlacement", s.kata_pool_placement,
                                f"must be one of {allowed}"))  # fmt: skip
    if not s.kata_on_system_pool:
        return problems
    if s.existing_cluster:
        # An inline pool's workloadRuntime is fixed when the pool is created.
        problems.append(
            Problem(
                "kataPoolPlacement",
                s.kata_pool_placement,
                "needs clusterMode new: with clusterMode existing the cluster's System pool "
                "already exists and cannot be turned into a Kata pool; use kataPoolPlacement "
                "dedicated to add a Kata pool to it",
            )
        )
        return problems
    unused = (
        ("systemNodeVmSize", s.system_node_vm_size, "the one System pool uses kataNodeVmSize"),
        ("systemNodeCount", s.system_node_count, "the one System pool has kataNodeCount nodes"),
        ("kataNodePoolName", s.kata_node_pool_name,
         f"no separate Kata pool is made; the System pool is named {catalog.SYSTEM_POOL_NAME}"),
    )  # fmt: skip
    for key, value, why in unused:
        if value != KEYS_BY_NAME[key].default:
            problems.append(Problem(key, value, _unused_with_system(why), "warning"))
    if s.kata_node_taint and s.kata_node_taint != KEYS_BY_NAME["kataNodeTaint"].default:
        why = (
            "the Kata nodes are the System pool, which the system pods and the trusted pod run "
            "on: no taint is set and the untrusted pod gets no toleration"
        )
        problems.append(Problem("kataNodeTaint", s.kata_node_taint, _unused_with_system(why),
                                "warning"))  # fmt: skip
    return problems


def _unused_with_system(why: str) -> str:
    return f"is not used with kataPoolPlacement system ({why})"
