"""Rules for the Kata pool's upgrade settings (AgentPool `upgradeSettings`): what AKS accepts.

- "When `maxUnavailable` is `0`, AKS requires `maxSurge` to be greater than `0`", and "You can't
  set max unavailable on system node pools"; "If a node pool's current size plus the calculated
  surge count would exceed 1,000 instances, AKS rejects the upgrade before it starts"
  (MicrosoftDocs/azure-aks-docs articles/aks/upgrade-aks-node-pools-rolling.md, ms.date
  05/29/2026). Each value's own shape is its key's check.
"""

from __future__ import annotations

from sandboxing import pool_scaling
from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings
from sandboxing.pool_scaling import count_or_percent, kata_scale, kata_surge_nodes


def _is_zero(setting: str) -> bool:
    parsed = count_or_percent(setting)
    return parsed is not None and parsed[0] == 0


def check_kata_upgrade(settings: Settings) -> list[Problem]:
    surge, unavailable = settings.kata_max_surge, settings.kata_max_unavailable
    if count_or_percent(surge) is None or count_or_percent(unavailable) is None:
        return []  # malformed: the keys' own checks say so
    problems: list[Problem] = []
    pool = kata_scale(settings)
    if pool.system_mode and not _is_zero(unavailable):
        message = (
            "cannot be set with kataPoolPlacement system: the Kata pool is then the System pool, "
            "and AKS does not allow max unavailable on System pools; leave it 0"
        )
        problems.append(Problem("kataMaxUnavailable", unavailable, message))
    elif _is_zero(surge) and _is_zero(unavailable):
        message = (
            "is 0 with kataMaxUnavailable 0: AKS needs a surge node (maxSurge above 0) when no "
            "node may be unavailable; keep 1, or set kataMaxUnavailable for in-place upgrades"
        )
        problems.append(Problem("kataMaxSurge", surge, message))
    extra = kata_surge_nodes(settings)
    if pool.in_range and pool.largest + extra > pool_scaling.MAX_NODES_PER_POOL:
        # Fixed: every upgrade is refused. Autoscaled: those that start at the maximum.
        when = "at its maximum " if pool.autoscaling else ""
        message = (
            f"adds {extra} node(s) to the Kata pool's {pool.largest} ({pool.sizing_key}) during "
            f"an upgrade, more than the {pool_scaling.MAX_NODES_PER_POOL} nodes a pool may have: "
            f"AKS rejects an upgrade of the pool {when}before it starts; lower one of them"
        )
        if pool.autoscaling:
            problems.append(Problem("kataMaxSurge", surge, message, "warning"))
        else:
            problems.append(Problem("kataMaxSurge", surge, message))
    return problems


KATA_UPGRADE = Rule("kata-upgrade", check_kata_upgrade)
