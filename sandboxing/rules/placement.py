"""Where Kata runs: a dedicated User pool (the default) or the new cluster's one System pool.

`system` is the docs' new-cluster command (`az aks create --os-sku AzureLinux --workload-runtime
KataVmIsolation ...`): the cluster's first pool runs Kata, with no second pool and no taint. The
rules that check a Kata pool (OS SKU, VM size, count, Kubernetes version) then apply to the
System pool through the same kata* keys; this module checks the placement against the cluster
mode and names every key the placement does not use. Pure, like `rules`, which runs it.
"""

from __future__ import annotations

from sandboxing import catalog
from sandboxing.config.contract import Problem, Settings, value_of
from sandboxing.config.key import CONFIG_KEYS, ONE_POOL

# Why each key of the dedicated placement is not used by the one-pool cluster.
WHY_UNUSED = {
    "systemNodeVmSize": "the one System pool uses kataNodeVmSize",
    "systemNodeCount": "the one System pool has kataNodeCount nodes",
    "kataNodePoolName": "no separate Kata pool is made; the System pool is named "
    f"{catalog.SYSTEM_POOL_NAME}",
    "kataNodeTaint": "the Kata nodes are the System pool, which the system pods and the trusted "
    "pod run on: no taint is set and the untrusted pod gets no toleration",
}


def check_kata_pool_placement(settings: Settings) -> list[Problem]:
    """`system` (the docs' one-pool cluster) is for a new cluster; keys of the pools it does
    without are then not used, and a value set for them gets a warning, never silence."""
    if not settings.kata_on_system_pool:
        return []
    if settings.existing_cluster:
        # An inline pool's workloadRuntime is fixed when the pool is created.
        return [
            Problem(
                "kataPoolPlacement",
                settings.kata_pool_placement,
                "needs clusterMode new: with clusterMode existing the cluster's System pool "
                "already exists and cannot be turned into a Kata pool; use kataPoolPlacement "
                "dedicated to add a Kata pool to it",
            )
        ]
    problems = []
    for key in CONFIG_KEYS:
        value = value_of(settings, key.name)
        if key.unused_when != ONE_POOL or value in (key.default, ""):
            continue  # used, or left alone ("" is no taint, what this placement does anyway)
        why = f"is not used with kataPoolPlacement system ({WHY_UNUSED[key.name]})"
        problems.append(Problem(key.name, value, why, "warning"))
    return problems
