"""What every cluster component hands on: names, the secret kubeconfig and a Kubernetes provider."""

from __future__ import annotations

import base64

import pulumi
import pulumi_kubernetes as k8s
from pulumi_azure_native import containerservice

from sandboxing.kubeconfig import use_azure_cli_login


def user_kubeconfig(
    resource_group_name: pulumi.Input[str],
    cluster_name: pulumi.Input[str],
    parent: pulumi.Resource,
    entra: bool = False,
) -> pulumi.Output[str]:
    """The clusterUser kubeconfig, decoded; secret before it is ever decoded.

    With Microsoft Entra integration, ask for the exec (kubelogin) format and switch it to the
    Azure CLI login, so the Kubernetes provider can use it without an interactive sign-in.
    """
    credentials = containerservice.list_managed_cluster_user_credentials_output(
        resource_group_name=resource_group_name,
        resource_name=cluster_name,
        format="exec" if entra else None,
        opts=pulumi.InvokeOutputOptions(parent=parent),
    )
    # Secret before anything reads it; apply keeps the secret flag through the decoding.
    secret_credentials: pulumi.Output[containerservice.ListManagedClusterUserCredentialsResult] = (
        pulumi.Output.secret(credentials)
    )
    kubeconfig = secret_credentials.apply(_first_kubeconfig)
    return kubeconfig.apply(use_azure_cli_login) if entra else kubeconfig


def _first_kubeconfig(
    credentials: containerservice.ListManagedClusterUserCredentialsResult,
) -> str:
    # ARM returns the kubeconfig base64-encoded.
    return base64.b64decode(credentials.kubeconfigs[0].value).decode("utf-8")


class ClusterAccess(pulumi.ComponentResource):
    """Base of the cluster components: the same outputs whether the cluster is new or not."""

    def _connect(
        self,
        name: str,
        resource_group_name: pulumi.Input[str],
        cluster_name: pulumi.Input[str],
        cluster_id: pulumi.Input[str],
        entra: bool = False,
    ) -> None:
        """Read the kubeconfig, build the provider, register the outputs (call last)."""
        self.resource_group_name: pulumi.Output[str] = pulumi.Output.from_input(resource_group_name)
        self.cluster_name: pulumi.Output[str] = pulumi.Output.from_input(cluster_name)
        self.cluster_id: pulumi.Output[str] = pulumi.Output.from_input(cluster_id)
        self.kubeconfig: pulumi.Output[str] = user_kubeconfig(
            resource_group_name, cluster_name, self, entra
        )
        # cluster_identifier: a new kubeconfig (rotated credentials) updates the provider instead
        # of replacing it, which would replace every Kubernetes object too.
        self.provider: pulumi.ProviderResource = k8s.Provider(
            f"{name}-k8s",
            kubeconfig=self.kubeconfig,
            cluster_identifier=self.cluster_id,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs(
            {
                "resourceGroupName": self.resource_group_name,
                "clusterName": self.cluster_name,
                "kubeconfig": self.kubeconfig,
            }
        )
