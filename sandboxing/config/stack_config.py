"""The whole stack configuration checked at once, as the program reads it: pure data in and out.

`config` is what the engine hands the program ("namespace:key" -> text). The program reads it
from the engine (stack_settings.py), the offline plan from the stack file
(tools.plan.problems); both get the same settings and the same problems, in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping

from sandboxing.azure_clouds import ENVIRONMENT_CONFIG, METADATA_HOST_CONFIG, cloud_variables
from sandboxing.config.contract import parse_settings
from sandboxing.config.settings import PROJECT, Problem, Settings
from sandboxing.config.unknown_keys import unknown_keys
from sandboxing.config.validate import check_settings
from sandboxing.keys import CONFIG_KEYS


def check_stack_config(
    config: Mapping[str, str], environ: Mapping[str, str] | None = None
) -> tuple[Settings, list[Problem]]:
    """Parse and check every key; returns the settings and every problem found.

    `environ` is the environment azure-native will run in (the program passes os.environ); only
    the variables that choose its cloud are read. None: an empty environment.
    """
    raw = {key.name: config.get(f"{PROJECT}:{key.name}") for key in CONFIG_KEYS}
    settings, problems = parse_settings(
        raw,
        config.get("azure-native:location") or "",
        config.get(ENVIRONMENT_CONFIG) or "",
        azure_metadata_host=config.get(METADATA_HOST_CONFIG) or "",
        cloud_variables=cloud_variables(environ or {}),
    )
    return settings, unknown_keys(config) + problems + check_settings(settings)
