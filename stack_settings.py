"""Read the stack's configuration once, validate it, and stop before any resource on errors.

The program's first step, beside `__main__.py`: it needs the Pulumi SDK (the engine's config,
its log and the error that ends a run), so it is not part of the pure `sandboxing` package, and
it registers nothing, so it is not a component.
"""

from __future__ import annotations

import os

import pulumi
import pulumi.runtime

from components.config_error import ConfigError
from sandboxing.azure_clouds import ENVIRONMENT_CONFIG, METADATA_HOST_CONFIG
from sandboxing.config.settings import PROJECT, Settings
from sandboxing.config.stack_config import check_stack_config
from sandboxing.config.validate import errors, warnings
from sandboxing.keys import CONFIG_KEYS

PROVIDER_KEYS = ("azure-native:location", ENVIRONMENT_CONFIG, METADATA_HOST_CONFIG)


def received_config() -> dict[str, str]:
    """Every config value the engine handed the program, by "namespace:key", through the SDK's
    public API.

    `pulumi.Config` looks keys up by name; the whole bag, which the unknown-key check needs, is
    `pulumi.runtime.get_config_env()`: the Python language host passes the stack's config to the
    program as PULUMI_CONFIG (pulumi/pulumi v3.259.0 sdk/python/cmd/pulumi-language-python/
    main.go, and pulumi-language-python-exec, which reads it back with get_config_env). The
    declared keys are then read with `pulumi.Config`, which also sees values set in-process.
    """
    values = {key: str(value) for key, value in pulumi.runtime.get_config_env().items()}
    project = pulumi.Config(PROJECT)
    for key in CONFIG_KEYS:
        if (value := project.get(key.name)) is not None:
            values[f"{PROJECT}:{key.name}"] = value
    for full in PROVIDER_KEYS:
        namespace, _, name = full.partition(":")
        if (value := pulumi.Config(namespace).get(name)) is not None:
            values[full] = value
    return values


def load_settings() -> Settings:
    """Settings for the program: warnings are logged, errors end the run with one message."""
    # The environment azure-native runs in is this one: the CLI starts the program and the
    # provider plugins with its own environment.
    settings, problems = check_stack_config(received_config(), os.environ)
    for problem in warnings(problems):
        pulumi.log.warn(str(problem))
    if errs := errors(problems):
        raise ConfigError(errs)
    return settings
