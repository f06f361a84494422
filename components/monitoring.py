"""Azure Monitor for a new cluster: a Log Analytics workspace, Container Insights and the
control plane's resource logs.

Container Insights is the `omsagent` add-on with managed-identity auth (`useAADAuth`) plus the
data collection rule and its association with the cluster, the three things Microsoft's
managed-identity onboarding template sets (microsoft/Docker-Provider @ 1fd55ee scripts/onboarding/
aks/onboarding-using-msi-auth/existingClusterOnboarding.json). The ARM API the SDK uses for the
cluster (2025-09-01) has no Container Insights field in `azureMonitorProfile` (only Managed
Prometheus `metrics`), so the add-on is the way. The workspace has to exist before the cluster
(the add-on names it); the rule, its association and the diagnostic setting need the cluster.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import containerservice, monitor, operationalinsights

from sandboxing import catalog

OMS_AGENT = "omsagent"
DCR_ASSOCIATION = "ContainerInsightsExtension"  # the name the onboarding template gives it
WORKSPACE_DESTINATION = "ciworkspace"


@dataclass(frozen=True)
class WorkspaceArgs:
    """Where Azure Monitor writes: an existing workspace, or one created with this retention."""

    workspace_id: str = ""  # empty: create one
    retention_days: int = 30


class LogAnalyticsWorkspace(pulumi.ComponentResource):
    """The workspace Azure Monitor writes to: `logAnalyticsWorkspaceId`, or one created here."""

    def __init__(
        self,
        name: str,
        args: WorkspaceArgs,
        resource_group_name: pulumi.Input[str],
        location: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("aks-pod-sandboxing:azure:LogAnalyticsWorkspace", name, None, opts)
        if args.workspace_id:
            self.workspace_id: pulumi.Output[str] = pulumi.Output.from_input(args.workspace_id)
        else:
            workspace = operationalinsights.Workspace(
                f"{name}-workspace",
                resource_group_name=resource_group_name,
                location=location,
                sku=operationalinsights.WorkspaceSkuArgs(name=catalog.LOG_ANALYTICS_SKU),
                retention_in_days=args.retention_days,
                opts=pulumi.ResourceOptions(parent=self),
            )
            self.workspace_id = workspace.id
        self.register_outputs({"workspaceId": self.workspace_id})


def oms_agent_addon(
    workspace_id: pulumi.Input[str],
) -> containerservice.ManagedClusterAddonProfileArgs:
    """Container Insights' add-on, authenticating with the add-on's managed identity."""
    return containerservice.ManagedClusterAddonProfileArgs(
        enabled=True,
        config={"logAnalyticsWorkspaceResourceID": workspace_id, "useAADAuth": "true"},
    )


class ClusterMonitoring(pulumi.ComponentResource):
    """Container Insights' data collection rule and association, and the diagnostic setting
    that sends the control plane's audit, API server and guard logs to the workspace."""

    def __init__(
        self,
        name: str,
        cluster_id: pulumi.Input[str],
        cluster_name: pulumi.Input[str],
        resource_group_name: pulumi.Input[str],
        location: pulumi.Input[str],
        workspace_id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("aks-pod-sandboxing:azure:ClusterMonitoring", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        streams = list(catalog.CONTAINER_INSIGHTS_STREAMS)
        rule = monitor.DataCollectionRule(
            f"{name}-dcr",
            resource_group_name=resource_group_name,
            location=location,
            kind="Linux",
            description="Container Insights for the Pod Sandboxing cluster",
            data_sources=monitor.DataCollectionRuleDataSourcesArgs(
                extensions=[
                    monitor.ExtensionDataSourceArgs(
                        name=DCR_ASSOCIATION,
                        extension_name="ContainerInsights",
                        streams=streams,
                        extension_settings={
                            "dataCollectionSettings": {
                                "interval": catalog.CONTAINER_INSIGHTS_INTERVAL,
                                "namespaceFilteringMode": "Off",
                                "enableContainerLogV2": True,
                            }
                        },
                    )
                ]
            ),
            destinations=monitor.DataCollectionRuleDestinationsArgs(
                log_analytics=[
                    monitor.LogAnalyticsDestinationArgs(
                        name=WORKSPACE_DESTINATION, workspace_resource_id=workspace_id
                    )
                ]
            ),
            data_flows=[
                monitor.DataFlowArgs(streams=streams, destinations=[WORKSPACE_DESTINATION])
            ],
            opts=child,
        )
        monitor.DataCollectionRuleAssociation(
            f"{name}-dcra",
            association_name=DCR_ASSOCIATION,
            resource_uri=cluster_id,
            data_collection_rule_id=rule.id,
            description="Container Insights: deleting this association stops data collection "
            "for the cluster.",
            opts=child,
        )
        monitor.DiagnosticSetting(
            f"{name}-control-plane",
            name=pulumi.Output.concat(cluster_name, "-control-plane"),
            resource_uri=cluster_id,
            workspace_id=workspace_id,
            # Resource-specific tables (AKSAudit, AKSAuditAdmin, AKSControlPlane) rather than
            # the shared AzureDiagnostics table, as the AKS docs recommend.
            log_analytics_destination_type="Dedicated",
            logs=[
                monitor.DiagnosticsLogSettingsArgs(category=category, enabled=True)
                for category in catalog.CONTROL_PLANE_LOG_CATEGORIES
            ],
            opts=child,
        )
        self.register_outputs({"dataCollectionRuleId": rule.id})
