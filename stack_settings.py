"""Read the stack's configuration once, validate it, and stop before any resource on errors.

The program's first step, beside `__main__.py`: it needs the Pulumi SDK (the engine's config,
its log and RunError), so it is not part of the pure `sandboxing` package, and it registers
nothing, so it is not a component.
"""

from __future__ import annotations

import pulumi
import pulumi.runtime

from sandboxing.config.settings import Settings
from sandboxing.config.stack_config import check_stack_config
from sandboxing.config.validate import errors, format_errors, warnings


def received_config() -> dict[str, str]:
    """Every config value the engine handed the program, by "namespace:key".

    `pulumi.Config` only looks keys up by name: the SDK has no public call that lists them. Both
    the CLI's Python language host (pulumi/pulumi sdk/python/cmd/pulumi-language-python-exec)
    and the mock engine store them with `pulumi.runtime.set_all_config`, in the SDK-internal
    context variable `pulumi.runtime.config.CONFIG`; this is the one place that reads it. The
    public `get_config_env()` (the engine's PULUMI_CONFIG) stands in if that ever changes.
    """
    from pulumi.runtime import config as runtime_config

    stored = getattr(runtime_config, "CONFIG", None)
    values = dict(stored.get()) if stored is not None else {}
    return values or dict(pulumi.runtime.get_config_env())


def load_settings() -> Settings:
    """Settings for the program: warnings are logged, errors end the run with one message."""
    settings, problems = check_stack_config(received_config())
    for problem in warnings(problems):
        pulumi.log.warn(str(problem))
    if errs := errors(problems):
        raise pulumi.RunError(format_errors(errs))
    return settings
