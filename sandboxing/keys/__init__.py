"""Every config key of the stack, by concern: each key's whole contract is its declaration.

`Pulumi.yaml`'s config schema and docs/configuration.md's key table are generated from
`CONFIG_KEYS` (python -m tools.schema); `sandboxing.config.contract` reads and checks the values
by it. How to add a key: docs/architecture.md, "A config key's contract".
"""

from __future__ import annotations

from sandboxing.config.key import ConfigKey
from sandboxing.keys import (
    agent_sandbox,
    cluster,
    operations,
    pods,
    pools,
    scaling,
    tenants,
    upgrades,
)

CONFIG_KEYS: tuple[ConfigKey, ...] = (
    *cluster.KEYS,
    *pools.KEYS,
    *scaling.KEYS,
    *upgrades.KEYS,
    *pods.KEYS,
    *operations.KEYS,
    *tenants.KEYS,
    *agent_sandbox.KEYS,
)
KEYS_BY_NAME = {key.name: key for key in CONFIG_KEYS}
