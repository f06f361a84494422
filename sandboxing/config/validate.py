"""Validation: every problem with the settings, as pure functions from Settings to Problems.

Each key's own check is `contract.check_keys`; the rules that read several keys are declared
beside their concern and named from each key they read (`sandboxing.keys`). `check_settings`
runs all of them, in the order below, so a user sees every problem at once, before any resource
is registered.
"""

from __future__ import annotations

from collections.abc import Iterable

from sandboxing.agent_sandbox.capacity import SANDBOX_CAPACITY
from sandboxing.agent_sandbox.config import AGENT_SANDBOX
from sandboxing.config.contract import check_keys
from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings
from sandboxing.rules import (
    cloud,
    cluster,
    placement,
    pods,
    pools,
    production,
    scaling,
    upgrades,
    versions,
    zones,
)
from sandboxing.tenants.capacity_rule import TENANT_CAPACITY
from sandboxing.tenants.config import TENANTS

# The order problems are reported in: where Kata runs, the cloud and the cluster, the pools, the
# support window, the pods, the production options, the tenants, the sandboxes on demand.
RULES: tuple[Rule, ...] = (
    placement.ONE_POOL_NEEDS_NEW_CLUSTER,
    cloud.AZURE_CLOUD,
    cluster.LOCATION,
    pools.KATA_VM_SIZE,
    pools.KATA_SYSTEM_POOL_SIZE,
    pools.KUBERNETES_VERSION,
    # --- the support window (sandboxing/rules/versions.py) ---
    versions.KUBERNETES_SUPPORT,
    versions.SUPPORT_PLAN,
    versions.KATA_OS_SKU_VERSION,
    versions.OS_SKU_UPGRADE_CEILING,
    versions.VERSIONS_FRESH,
    # ---
    cluster.UPGRADE_DRIFT,
    pods.RUNTIME_CLASS_OVERRIDE,
    pools.KATA_POOL_NAME,
    pods.POD_FITS_KATA_NODE,
    cluster.ENTRA_OPTIONS,
    # --- placeholder identities (a cluster nobody can get into) ---
    cluster.ADMIN_GROUPS,
    # ---
    production.EPHEMERAL_OS_DISK,
    production.NEW_CLUSTER_OPTIONS,
    production.USER_POOL,
    # capacity that follows demand: autoscaler bounds, node limits, zones, upgrades
    scaling.POOL_SCALING,
    scaling.CLUSTER_NODES,
    zones.AVAILABILITY_ZONES,
    upgrades.KATA_UPGRADE,
    TENANTS,
    TENANT_CAPACITY,
    # Sandboxes on demand (agentSandbox)
    AGENT_SANDBOX,
    SANDBOX_CAPACITY,
)


def check_settings(settings: Settings) -> list[Problem]:
    """Every problem: each key's own check, then every rule; errors and warnings."""
    return check_keys(settings) + [problem for rule in RULES for problem in rule.check(settings)]


def problems_of(settings: Settings, *keys: str) -> list[Problem]:
    """The problems that name these keys: their own checks and every rule that reads them."""
    return [problem for problem in check_settings(settings) if problem.key in keys]


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity == "error"]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity == "warning"]


def format_errors(problems: list[Problem]) -> str:
    lines = [f"{len(problems)} configuration problem(s); nothing was deployed:"]
    lines += [f"  - {problem}" for problem in problems]
    return "\n".join(lines)
