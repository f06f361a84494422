"""Reconcile the cluster once after the Kata pool is created or replaced (the docs' `az aks
update`). What it is for, when to switch it off and why Azure's SDK does it and not az:
docs/reconcile.md.

A Pulumi dynamic resource whose `create` runs cloud.cluster_reconcile (GET the managed cluster,
PUT it back, follow the operation). It is created with the pool and, through `replace_with`,
replaced (so `create` runs again) exactly when the pool is replaced; any other `pulumi up`
leaves it alone. Deleting it undoes nothing: a reconcile leaves no object behind.

Where the provider runs: the engine starts the dynamic provider as `python -u -m pulumi.dynamic`
in the project directory (pulumi/pulumi v3.259.0 sdk/python/dist/pulumi-resource-pulumi-python;
plugins are spawned in the project root: pkg/engine/deployment.go `ProjectInfoContext`,
sdk/go/common/resource/plugin/plugin.go `ExecPlugin` sets `cmd.Dir`), so `-m` puts that
directory on sys.path and the provider, unpickled there, imports this module
(components.provider_loading, which also says what is wrong when it cannot). At the top it
imports only pulumi, the standard library, components.provider_loading,
components.former_components and pure sandboxing code;
cloud.* and the Azure SDK are imported inside `create`. The provider object holds no data: the
login comes from the provider process's environment (cloud.arm_credentials), never from state,
and the cloud (its name, an input) from the program, which chose it as azure-native does.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from typing import Any

import pulumi
from pulumi import dynamic

from components.former_components import former_component
from components.provider_loading import ProjectProvider
from sandboxing.azure_clouds import PUBLIC
from sandboxing.config.settings import PROJECT

# The dynamic resources' type tokens: pulumi-python:dynamic/<project>:<Name>.
MODULE = PROJECT
RECONCILE_TYPE = f"pulumi-python:dynamic/{MODULE}:ClusterReconcile"
# The component it sat in until December 2026 (components.former_components).
FORMER_COMPONENT = "aks-pod-sandboxing:azure:ClusterReconcile"


class ClusterReconcileProvider(ProjectProvider):
    def create(self, props: dict[str, Any]) -> dynamic.CreateResult:
        from cloud.arm_credentials import build_credential, choose_credential, cloud_named
        from cloud.cluster_reconcile import reconcile_cluster

        env = dict(os.environ)
        choice = choose_credential(env)
        cloud = cloud_named(props.get("cloud") or PUBLIC.name)
        state = reconcile_cluster(
            props["cluster_id"],
            build_credential(choice, env, cloud),
            login=choice.description,
            cloud=cloud,
        )
        outs = {
            "cluster_id": props["cluster_id"],
            "provisioning_state": state,
            "login": choice.description,
        }
        return dynamic.CreateResult(id_=f"reconcile-{uuid.uuid4().hex}", outs=outs)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.DiffResult:
        # Another cluster: reconcile that one. Anything else (a new provider build) is no change.
        replaces = ["cluster_id"] if olds.get("cluster_id") != news.get("cluster_id") else []
        return dynamic.DiffResult(changes=bool(replaces), replaces=replaces)


class ClusterReconcileResource(dynamic.Resource, module=MODULE, name="ClusterReconcile"):
    cluster_id: pulumi.Output[str]
    provisioning_state: pulumi.Output[str]
    login: pulumi.Output[str]

    def __init__(
        self, name: str, cluster_id: pulumi.Input[str], cloud: str, opts: pulumi.ResourceOptions
    ) -> None:
        props = {
            "cluster_id": cluster_id,
            "cloud": cloud,
            "provisioning_state": None,
            "login": None,
        }
        super().__init__(ClusterReconcileProvider(), name, props, opts)


def cluster_reconcile(
    name: str,
    cluster_id: pulumi.Input[str],
    after: Sequence[pulumi.Resource],
    cloud: str = PUBLIC.name,
) -> ClusterReconcileResource:
    """GET + PUT of the managed cluster (`<name>-run`), after (and replaced with) the resources
    in `after`."""
    return ClusterReconcileResource(
        f"{name}-run",
        cluster_id,
        cloud,
        pulumi.ResourceOptions(
            depends_on=list(after),
            replace_with=list(after),
            aliases=[former_component(FORMER_COMPONENT, name)],
        ),
    )
