"""The stack configuration as the program uses it: `Settings`, `Problem` and the parser.

Parsing follows `config_keys.CONFIG_KEYS` (the one table of keys, types, defaults and
constraints) and is pure: raw strings in (as the Pulumi engine hands them over), a typed
`Settings` plus a list of problems out. Nothing here imports Pulumi.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

from sandboxing.catalog import KATA_GA, SANDBOX_RUNTIMES, SandboxRuntime
from sandboxing.config.key import CONFIG_KEYS, Condition, ConfigKey
from sandboxing.config.kinds import refusal

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
    """The parsed stack configuration (wire names in snake_case)."""

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
    tenants: tuple[Any, ...]  # raw tenant objects; sandboxing.tenants.config parses and checks them
    # azure-native:environment (public, usgovernment, china; empty: public), like `location`
    # a provider setting rather than a key of this project.
    azure_environment: str = ""

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


def _snake(name: str) -> str:
    """`kataNodeVmSize` -> `kata_node_vm_size`; a run of capitals is one word (`osDiskSizeGB`)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def camel(name: str) -> str:
    """`max_pods` -> `maxPods`: a snake_case field as the config and the outputs spell it."""
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


_FIELD_NAMES = {field.name for field in fields(Settings)}
assert all(_snake(key.name) in _FIELD_NAMES for key in CONFIG_KEYS), "contract and Settings differ"


def _convert(key: ConfigKey, raw: Any) -> tuple[Any, Problem | None]:
    """Turn one raw config value (string from the engine, or already typed) into its type."""
    if key.type == "string":
        if isinstance(raw, str):
            return raw.strip(), None
        return None, Problem(key.name, raw, "must be a string")
    if key.type == "integer":
        if isinstance(raw, bool):
            return None, Problem(key.name, raw, f"must be a whole number ({key.allowed})")
        if isinstance(raw, int):
            return raw, None
        text = str(raw).strip()
        try:
            return int(text), None
        except ValueError:
            return None, Problem(key.name, raw, f"must be a whole number ({key.allowed})")
    if key.type == "boolean":
        if isinstance(raw, bool):
            return raw, None
        text = str(raw).strip().lower()
        if text in ("true", "false"):
            return text == "true", None
        return None, Problem(key.name, raw, "must be true or false")
    # array of strings: the engine hands arrays over as JSON text
    value = raw
    if isinstance(raw, str):
        try:
            value = json.loads(raw) if raw.strip() else []
        except json.JSONDecodeError:
            return None, Problem(key.name, raw, f"must be a JSON list of strings ({key.allowed})")
    if key.items == "object" and isinstance(value, list):
        return tuple(
            value
        ), None  # each item is checked by its own module (sandboxing.tenants.config)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return None, Problem(key.name, raw, f"must be a list of strings ({key.allowed})")
    return tuple(item.strip() for item in value), None


def parse_settings(
    raw: dict[str, Any], location: str = "", azure_environment: str = ""
) -> tuple[Settings, list[Problem]]:
    """Parse raw config values (missing or None: the default) into Settings.

    A value of the wrong type is reported and replaced by the default, so the remaining rules
    can still run and every problem is reported in one go.
    """
    values: dict[str, Any] = {"location": location, "azure_environment": azure_environment}
    problems: list[Problem] = []
    for key in CONFIG_KEYS:
        raw_value = raw.get(key.name)
        value = key.default
        if raw_value is not None:
            converted, problem = _convert(key, raw_value)
            if problem:
                problems.append(problem)
            else:
                value = converted
        if isinstance(value, list):
            value = tuple(value)
        values[_snake(key.name)] = value
    return Settings(**values), problems


def value_of(settings: Settings, key: str) -> Any:
    """The setting of a config key, by the key's name ("kataNodeCount")."""
    return getattr(settings, _snake(key))


def _holds(settings: Settings, condition: Condition) -> bool:
    key, value = condition
    return bool(value_of(settings, key) == value)


def check_keys(settings: Settings) -> list[Problem]:
    """Every key against its own constraint: required, allowed values, shape, range."""
    problems: list[Problem] = []
    for key in CONFIG_KEYS:
        if key.unused_when and _holds(settings, key.unused_when):
            continue  # not used; `placement` warns about a value set anyway
        value = value_of(settings, key.name)
        if key.required_when and _holds(settings, key.required_when) and not value:
            problems.append(Problem(key.name, value, "is required when {} is {}".format(
                *key.required_when)))  # fmt: skip
        elif key.constraint and (refused := refusal(key.constraint, value)):
            problems.append(Problem(key.name, *refused))
    return problems


def default_settings(**overrides: Any) -> Settings:
    """Settings with every key at its default, then the given fields replaced."""
    settings, _ = parse_settings({})
    return replace(settings, **overrides)
