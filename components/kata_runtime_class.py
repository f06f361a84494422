"""Wait until the cluster serves the Kata RuntimeClass, so the untrusted pod is not rejected.

AKS installs the class (handler `kata`) when a Kata pool is provisioned; a pod naming it before
then is refused with `RuntimeClass ... not found`. A dynamic resource polls the API server with
backoff (cloud.runtime_class_wait) after the resources in `after` (the Kata pool, the
reconcile) and is replaced with them; the untrusted pod takes its runtimeClassName from this
resource's output, so the engine sends it only once the class was found. On timeout the run
stops before the untrusted pod is sent, with a message that says what to do (the user's side
of this: docs/reconcile.md).

The kubeconfig is a secret input. The dynamic provider does not accept secrets (pulumi 3.272.0
pulumi/dynamic/__main__.py `Configure`: acceptSecrets False), so the engine hands it over
plainly and re-marks same-named outputs secret (pulumi/pulumi v3.259.0
sdk/go/common/resource/plugin/provider_plugin.go `annotateSecrets`); `create` returns no
kubeconfig at all, and the input stays a secret in state. components/provider_loading.py says
how the provider process finds this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
from pulumi import dynamic

from components.cluster_reconcile import MODULE
from components.former_components import former_component
from components.provider_loading import ProjectProvider
from sandboxing.catalog import KATA_HANDLER

WAIT_TYPE = f"pulumi-python:dynamic/{MODULE}:RuntimeClassWait"
# The component it sat in until December 2026 (components.former_components).
FORMER_COMPONENT = "aks-pod-sandboxing:kubernetes:KataRuntimeClass"
# Changing any of these waits again (a new resource); the kubeconfig or the timeout do not.
IDENTITY = ("class_name", "handler", "cluster_name", "resource_group_name")


class RuntimeClassWaitProvider(ProjectProvider):
    def create(self, props: dict[str, Any]) -> dynamic.CreateResult:
        from cloud.runtime_class_wait import WaitFor, wait_for_runtime_class

        target = WaitFor(
            class_name=props["class_name"],
            cluster_name=props["cluster_name"],
            resource_group=props["resource_group_name"],
            handler=props["handler"],
            timeout_seconds=float(props["timeout_seconds"]),
        )
        found = wait_for_runtime_class(props["kubeconfig"], target)
        outs = {key: props[key] for key in IDENTITY} | found
        return dynamic.CreateResult(id_=f"runtimeclass/{found['class_name']}", outs=outs)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.DiffResult:
        replaces = [key for key in IDENTITY if olds.get(key) != news.get(key)]
        return dynamic.DiffResult(changes=bool(replaces), replaces=replaces)


class RuntimeClassWait(dynamic.Resource, module=MODULE, name="RuntimeClassWait"):
    class_name: pulumi.Output[str]
    handler: pulumi.Output[str]

    def __init__(self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions) -> None:
        super().__init__(RuntimeClassWaitProvider(), name, props, opts)


def runtime_class_wait(
    name: str,
    class_name: str,
    kubeconfig: pulumi.Input[str],
    cluster_name: pulumi.Input[str],
    resource_group_name: pulumi.Input[str],
    timeout_seconds: int,
    after: Sequence[pulumi.Resource],
) -> RuntimeClassWait:
    """The wait (`<name>-wait`), after and replaced with the resources in `after`; the untrusted
    pod takes the class name from it and is replaced with it."""
    return RuntimeClassWait(
        f"{name}-wait",
        {
            "class_name": class_name,
            "handler": KATA_HANDLER,
            "cluster_name": cluster_name,
            "resource_group_name": resource_group_name,
            "timeout_seconds": timeout_seconds,
            "kubeconfig": pulumi.Output.secret(kubeconfig),
        },
        pulumi.ResourceOptions(
            depends_on=list(after),
            replace_with=list(after),
            aliases=[former_component(FORMER_COMPONENT, name)],
        ),
    )
