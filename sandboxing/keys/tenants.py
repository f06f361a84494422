"""The `tenants` key: tenant sandboxes; each field's contract is in sandboxing.tenants.fields."""

from __future__ import annotations

from sandboxing.agent_sandbox.capacity import SANDBOX_CAPACITY
from sandboxing.agent_sandbox.config import AGENT_SANDBOX
from sandboxing.config.key import ConfigKey
from sandboxing.tenants.capacity_rule import TENANT_CAPACITY
from sandboxing.tenants.config import TENANTS, parse_tenants

KEYS: tuple[ConfigKey, ...] = (
    ConfigKey(
        "tenants",
        "array",
        [],
        "Tenant sandboxes: one namespace each whose pods the API server keeps in Kata VMs, with "
        "quota, default pod size, egress and deployers (see Tenants).",
        rules=(
            TENANTS.allows("a list of objects, each with at least a `name` (fields: see Tenants)"),
            TENANT_CAPACITY.allows(),
            AGENT_SANDBOX.allows("none named agentSandboxNamespace"),
            SANDBOX_CAPACITY.allows(),
        ),
        items="object",
        read=parse_tenants,
    ),
)
