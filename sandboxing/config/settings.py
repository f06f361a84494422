"""The parsed stack configuration (`Settings`) and what is wrong with it (`Problem`). Pure data.

Every rule reads a `Settings` and returns `Problem`s; nothing here knows the keys' table
(`sandboxing.keys`), so the rules can be named from the keys they read without an import cycle.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Literal

from sandboxing import aks_versions
from sandboxing.aks_versions import SupportWindow, current_window
from sandboxing.azure_clouds import CloudChoice, choose_cloud
from sandboxing.catalog import KATA_GA, SANDBOX_RUNTIMES, SandboxRuntime
from sandboxing.names import snake
from sandboxing.tenants.fields import Tenant

PROJECT = "aks-pod-sandboxing"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) with the configuration."""

    key: str
    value: Any
    message: str  # what is allowed / what to do
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        key = self.key if ":" in self.key else f"{PROJECT}:{self.key}"
        # Booleans as the stack file spells them: `True` is what the CLI refuses.
        value = str(self.value).lower() if isinstance(self.value, bool) else repr(self.value)
        return f"{key} = {value}: {self.message}"


@dataclass(frozen=True)
class Settings:
    """The parsed stack configuration: one field per config key, in snake_case."""

    location: str
    cluster_mode: str
    kata_pool_placement: str
    resource_group_name: str
    cluster_name: str
    kubernetes_version: str
    system_node_vm_size: str
    system_node_count: int
    kata_node_pool_name: str
    kata_node_vm_size: str
    kata_node_count: int
    allow_unlisted_vm_size: bool
    kata_os_sku: str
    workload_runtime: str
    runtime_class_name: str
    reconcile_after_kata_pool: bool
    runtime_class_wait_seconds: int
    kata_node_taint: str
    pod_namespace: str
    pod_image: str
    pod_cpu_limit: str
    pod_memory_limit: str
    network_policy_engine: str
    auto_upgrade_channel: str
    node_os_upgrade_channel: str
    sku_tier: str
    entra_admin_group_object_ids: tuple[str, ...]
    enable_azure_rbac: bool
    disable_local_accounts: bool
    api_server_authorized_ip_ranges: tuple[str, ...]
    enable_encryption_at_host: bool
    os_disk_type: str
    os_disk_size_gb: int
    enable_azure_monitor: bool
    log_analytics_workspace_id: str
    log_analytics_retention_days: int
    enable_azure_policy: bool
    system_pool_critical_addons_only: bool
    user_node_vm_size: str
    user_node_count: int
    tenants: tuple[Tenant, ...]
    # --- Capacity that follows demand (sandboxing/keys/scaling.py, upgrades.py) ---------------
    kata_enable_auto_scaling: bool
    kata_node_min_count: int
    kata_node_max_count: int
    user_enable_auto_scaling: bool
    user_node_min_count: int
    user_node_max_count: int
    autoscaler_scale_down_delay_after_add: str
    autoscaler_scale_down_unneeded_time: str
    autoscaler_expander: str
    autoscaler_max_node_provision_time: str
    availability_zones: tuple[str, ...]
    kata_max_surge: str
    kata_max_unavailable: str
    kata_drain_timeout_minutes: int
    kata_node_soak_minutes: int
    kata_undrainable_node_behavior: str
    # --- end of the capacity block ----------------------------------------------------------
    # --- Keys of the support window and the subscription preflight ---------------------------
    support_plan: str
    preflight: bool
    # --- Sandboxes on demand (sandboxing.keys.agent_sandbox) ---
    agent_sandbox: bool
    agent_sandbox_version: str
    agent_sandbox_namespace: str
    agent_sandbox_warm_pool_size: int
    agent_sandbox_max_sandboxes: int
    agent_sandbox_cpu: str
    agent_sandbox_memory: str
    agent_sandbox_max_lifetime_seconds: int
    agent_sandbox_claim_groups: tuple[str, ...]
    agent_sandbox_claimant_exec: bool
    agent_sandbox_egress_cidrs: tuple[str, ...]
    agent_sandbox_egress_ports: tuple[str, ...]
    agent_sandbox_allow_dns: bool
    # --- Not keys: what the configuration is checked against ---------------------------------
    # azure-native:environment (public, usgovernment, china; empty: public), like `location`
    # a provider setting rather than a key of this project; azure-native:metadataHost likewise.
    azure_environment: str = ""
    azure_metadata_host: str = ""
    # The cloud variables of the environment (ARM_METADATA_HOSTNAME, ARM_ENVIRONMENT,
    # AZURE_ENVIRONMENT) that are set, as (name, value): azure-native reads them when the config
    # leaves the cloud unset (sandboxing.azure_clouds).
    cloud_variables: tuple[tuple[str, str], ...] = ()
    # The Kubernetes minors AKS offers (the dated list, or one read from Azure), and the day the
    # check runs (the dated list says when it may be stale).
    kubernetes_versions: SupportWindow = field(default_factory=current_window)
    today: datetime.date = field(default_factory=lambda: aks_versions.clock())

    @property
    def cloud(self) -> CloudChoice:
        """The cloud azure-native deploys to, from the config and the environment."""
        return choose_cloud(
            self.azure_environment, self.azure_metadata_host, dict(self.cloud_variables)
        )

    @property
    def existing_cluster(self) -> bool:
        return self.cluster_mode == "existing"

    @property
    def kata_on_system_pool(self) -> bool:
        """The docs' one-pool cluster: the inline System pool runs Kata, no separate pool."""
        return self.kata_pool_placement == "system"

    @property
    def kata_taint(self) -> str:
        """The taint on the Kata nodes; none when they are the System pool, which every pod
        (the system pods, the trusted pod) must be able to use."""
        return "" if self.kata_on_system_pool else self.kata_node_taint

    @property
    def sandbox_runtime(self) -> SandboxRuntime:
        """The configured Kata runtime; GA Kata when the name is not one (rules report it)."""
        return SANDBOX_RUNTIMES.get(self.workload_runtime, KATA_GA)

    @property
    def effective_runtime_class(self) -> str:
        """The class the untrusted pod names: the override, else the runtime's own class."""
        return self.runtime_class_name or self.sandbox_runtime.runtime_class

    @property
    def entra_enabled(self) -> bool:
        return bool(self.entra_admin_group_object_ids)

    @property
    def user_pool(self) -> bool:
        """A User pool beside a System pool reserved for system pods (new mode)."""
        return self.system_pool_critical_addons_only and not self.existing_cluster


def value_of(settings: Settings, key: str) -> Any:
    """The setting of a config key, by the key's name ("kataNodeCount")."""
    return getattr(settings, snake(key))
