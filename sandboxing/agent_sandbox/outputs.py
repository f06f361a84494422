"""The stack output `agentSandbox`: what a claimant (and tools.verify --claim) needs to know."""

from __future__ import annotations

from typing import Any

from sandboxing.agent_sandbox.capacity import sandboxes_that_fit
from sandboxing.agent_sandbox.sandboxes import COLD_POOL, TEMPLATE, WARM_POOL
from sandboxing.agent_sandbox.vendored import releases
from sandboxing.config.settings import Settings

OUTPUT = "agentSandbox"


def agent_sandbox_output(settings: Settings) -> dict[str, Any]:
    fit = sandboxes_that_fit(settings)
    return {
        "version": settings.agent_sandbox_version,
        "controllerImage": releases()[settings.agent_sandbox_version].image,
        "namespace": settings.agent_sandbox_namespace,
        "template": TEMPLATE,
        "warmPool": WARM_POOL,
        "warmPoolSize": settings.agent_sandbox_warm_pool_size,
        "coldPool": COLD_POOL,
        "maxLifetimeSeconds": settings.agent_sandbox_max_lifetime_seconds,
        # How many sandboxes (warm and claimed) can run at once; None: the size is not known.
        "sandboxesThatFit": fit.free if fit else None,
    }
