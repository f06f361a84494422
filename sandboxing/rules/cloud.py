"""The cloud rule: the steps that call Azure Resource Manager themselves reach azure-native's cloud.

The reconcile after the Kata pool and the subscription preflight run in the dynamic provider
during `pulumi up`/`preview` and call Resource Manager with their own login; they support the
clouds of sandboxing.azure_clouds (public, usgovernment, china). The cloud is read as
azure-native reads it, from the config and from the environment (Settings.cloud), so a setting
either of them makes is refused here, before the first resource is registered.
"""

from __future__ import annotations

from sandboxing import azure_clouds
from sandboxing.config.key import Rule
from sandboxing.config.settings import Problem, Settings


def _calls_arm(settings: Settings) -> list[tuple[str, str]]:
    """(key, what) of each step that will call Resource Manager itself."""
    steps = []
    if settings.preflight:
        steps.append(("preflight", "the subscription preflight"))
    if settings.reconcile_after_kata_pool and not settings.kata_on_system_pool:
        steps.append(("reconcileAfterKataPool", "the reconcile after the Kata pool"))
    return steps


def check_azure_cloud(settings: Settings) -> list[Problem]:
    """A cloud azure-native knows; a custom one only without the steps that cannot follow it."""
    choice = settings.cloud
    if choice.custom:
        clouds = ", ".join(azure_clouds.CLOUDS)
        return [
            Problem(
                key,
                True,
                f"{what} calls Azure Resource Manager itself and supports the clouds {clouds} "
                f"only, and azure-native is set to a custom cloud ({choice.said()}): set {key}: "
                "false (the docs' steps instead: see docs/preflight.md)",
            )
            for key, what in _calls_arm(settings)
        ]
    if choice.cloud is None:
        message = (
            f"names no cloud azure-native knows ({choice.said()}); it accepts "
            f"{azure_clouds.accepted_names()} (any case), or a custom cloud through "
            f"{azure_clouds.METADATA_HOST_CONFIG} or {azure_clouds.METADATA_HOST_VARIABLE}"
        )
        return [Problem(azure_clouds.ENVIRONMENT_CONFIG, choice.given, message)]
    return []


AZURE_CLOUD = Rule("azure-cloud", check_azure_cloud)
