"""Read the stack's configuration once, validate it, and stop before any resource on errors."""

from __future__ import annotations

import pulumi

from sandboxing.contract import CONFIG_KEYS, PROJECT, Problem, Settings, parse_settings
from sandboxing.rules import check_settings, errors, format_errors, warnings


def read_settings() -> tuple[Settings, list[Problem]]:
    """Parse and check the stack config; returns settings and every problem found."""
    config = pulumi.Config(PROJECT)
    raw = {key.name: config.get(key.name) for key in CONFIG_KEYS}
    provider = pulumi.Config("azure-native")
    settings, problems = parse_settings(
        raw, provider.get("location") or "", provider.get("environment") or ""
    )
    return settings, problems + check_settings(settings)


def load_settings() -> Settings:
    """Settings for the program: warnings are logged, errors end the run with one message."""
    settings, problems = read_settings()
    for problem in warnings(problems):
        pulumi.log.warn(str(problem))
    if errs := errors(problems):
        raise pulumi.RunError(format_errors(errs))
    return settings
