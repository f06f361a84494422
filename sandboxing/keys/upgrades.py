"""How the Kata pool is upgraded (AgentPool `upgradeSettings`), so that a node image or
Kubernetes upgrade does not stop every sandbox at once (docs/capacity.md).

A Kata pod is a VM on its node: it cannot be live-migrated, so draining a node stops its sandboxes
and their controllers start new ones elsewhere. The defaults drain one node at a time onto a
surge node (so the evicted pods have room at once), and leave a node whose pods refuse eviction
cordoned rather than deleted.
"""

from __future__ import annotations

from sandboxing import catalog
from sandboxing.config.key import ConfigKey
from sandboxing.config.kinds import Between, CountOrPercent, OneOf
from sandboxing.rules.upgrades import KATA_UPGRADE

MAX = catalog.MAX_NODES_PER_POOL
# ARM aks/stable/2025-09-01 AgentPoolUpgradeSettings: drainTimeoutInMinutes 1-1440 (default 30),
# nodeSoakDurationInMinutes 0-30 (default 0). AKS's docs put the drain timeout's minimum at 5
# minutes (upgrade-aks-node-pools-rolling.md, ms.date 05/29/2026): 5-1440 satisfies both.
DRAIN_TIMEOUT_MINUTES = (5, 1440)
SOAK_MINUTES = (0, 30)
UNDRAINABLE = ("Cordon", "Schedule")

# Laid out by hand (fmt: skip): each key's name, type and default on one line reads as a table;
# the formatter would split them one per line.
KEYS: tuple[ConfigKey, ...] = (
    ConfigKey(
        "kataMaxSurge", "string", "1",
        "Extra Kata nodes an upgrade adds before it drains as many old ones at once (a number "
        "or a % of the pool); each drained node restarts its sandboxes.",
        CountOrPercent(MAX),
        rules=(KATA_UPGRADE.allows("above 0 when kataMaxUnavailable is 0; with the pool's "
                                   f"largest size at most {MAX} nodes"),),
    ),
    ConfigKey(
        "kataMaxUnavailable", "string", "0",
        "Kata nodes an upgrade may drain with no surge node for them (a number or a % of the "
        "pool; in-place upgrades when surge quota is short).",
        CountOrPercent(MAX),
        rules=(KATA_UPGRADE.allows("0 with kataPoolPlacement system"),),
    ),
    ConfigKey(
        "kataDrainTimeoutMinutes", "integer", 30,
        "How long an upgrade waits for one Kata node's pods to be evicted (pod disruption "
        "budgets included) before the upgrade stops (AKS default 30).",
        Between(*DRAIN_TIMEOUT_MINUTES, unit="minutes"),
    ),
    ConfigKey(
        "kataNodeSoakMinutes", "integer", 0,
        "Wait after draining each Kata node before reimaging it and moving on (AKS default 0).",
        Between(*SOAK_MINUTES, unit="minutes"),
    ),
    ConfigKey(
        "kataUndrainableNodeBehavior", "string", "Cordon",
        "What an upgrade does with a Kata node whose pods cannot be evicted in time: Cordon "
        "(keep it and its sandboxes, quarantined, un-upgraded) or Schedule.",
        OneOf(UNDRAINABLE),
    ),
)  # fmt: skip
