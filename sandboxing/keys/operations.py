"""The operations keys: Azure Monitor (Container Insights, control-plane logs) and Azure Policy."""

from __future__ import annotations

from sandboxing import catalog, names
from sandboxing.config.key import ConfigKey, Unused
from sandboxing.config.kinds import Between, Matches
from sandboxing.config.settings import Settings
from sandboxing.rules.production import NEW_CLUSTER_OPTIONS


def _no_monitor(settings: Settings) -> bool:
    return not settings.enable_azure_monitor


def _own_workspace(settings: Settings) -> bool:
    return settings.enable_azure_monitor and bool(settings.log_analytics_workspace_id)


NO_MONITOR = Unused(_no_monitor, "without enableAzureMonitor: true")

# Laid out by hand (fmt: skip): each key's name, type and default on one line reads as a table;
# the formatter would split them one per line.
KEYS: tuple[ConfigKey, ...] = (
    ConfigKey(
        "enableAzureMonitor", "boolean", False,
        "Container Insights and control-plane diagnostic settings (kube-audit-admin, "
        "kube-apiserver, guard) to a Log Analytics workspace (new mode).",
        rules=(NEW_CLUSTER_OPTIONS.allows(),),
    ),
    ConfigKey(
        "logAnalyticsWorkspaceId", "string", "",
        "Resource ID of the Log Analytics workspace for enableAzureMonitor (empty: the program "
        "creates one).",
        Matches(names.LOG_ANALYTICS_WORKSPACE_ID,
                "`/subscriptions/<id>/resourceGroups/<rg>/providers/"
                "Microsoft.OperationalInsights/workspaces/<name>`, or empty",
                "a Log Analytics workspace resource ID: /subscriptions/<subscription id>/"
                "resourceGroups/<group>/providers/Microsoft.OperationalInsights/workspaces/<name>, "
                "<name> 4-63 letters, digits and '-', starting and ending with a letter or digit",
                empty_ok=True),
        unused=(NO_MONITOR,),
    ),
    ConfigKey(
        "logAnalyticsRetentionDays", "integer", 30,
        "Retention of the workspace the program creates (enableAzureMonitor without "
        "logAnalyticsWorkspaceId).",
        Between(*catalog.LOG_ANALYTICS_RETENTION_DAYS, unit="days"),
        unused=(NO_MONITOR, Unused(_own_workspace, "with logAnalyticsWorkspaceId: the program "
                                   "creates no workspace; set the retention on your own "
                                   "workspace")),
    ),
    ConfigKey(
        "enableAzurePolicy", "boolean", False,
        "The Azure Policy add-on (azurepolicy), which enforces Azure Policy assignments in the "
        "cluster (new mode).",
        rules=(NEW_CLUSTER_OPTIONS.allows(),),
    ),
)  # fmt: skip
