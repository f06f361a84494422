"""Where Kata runs: a dedicated User pool (the default) or the new cluster's one System pool.

`system` is the docs' new-cluster command (`az aks create --os-sku AzureLinux --workload-runtime
KataVmIsolation ...`): the cluster's first pool runs Kata, with no second pool and no taint. The
rules that check a Kata pool (OS SKU, VM size, count, Kubernetes version) then apply to the
System pool through the same kata* keys; the keys of the pools it does without declare so
(`ONE_POOL` in `sandboxing.keys.pools`), and a value set for them gets a warning, never silence.
"""

from __future__ import annotations

from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings


def check_kata_pool_placement(settings: Settings) -> list[Problem]:
    """`system` (the docs' one-pool cluster) is for a new cluster only."""
    if not (settings.kata_on_system_pool and settings.existing_cluster):
        return []
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


ONE_POOL_NEEDS_NEW_CLUSTER = Rule("one-pool-needs-new-cluster", check_kata_pool_placement)
