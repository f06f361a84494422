"""The kubernetes-sigs/agent-sandbox controller at a pinned release: its CRDs, RBAC and the one
Deployment that runs the core and the extension controllers (sandboxing.agent_sandbox).

Each object of the vendored release is registered as its own pulumi-kubernetes resource, after
the pure package hardened it. Not a `yaml.v2.ConfigGroup` or a Helm `Chart` v4: both build their
children inside the provider, where the offline plan's mock engine cannot see them and where a
per-object option such as `ignore_changes` needs engine transforms, which the mock engine does
not run; and the chart is not published (only in the repository's `helm/` directory).

Why `ignore_changes` on the CRDs: at every start the controller merge-patches the four CRDs'
`spec.conversion.webhook.clientConfig` with the CA of the serving certificate it made itself
(cmd/agent-sandbox-controller/tls.go `patchCRDs` at v0.5.6). That caBundle is the controller's,
not the program's: without ignoring it a `pulumi refresh` would see drift and the next `up` would
try to take it away, breaking the conversion of v1alpha1 objects until the controller restarts.

Nothing here waits for the Kata pool: the controller needs only the API server and runs on the
ordinary nodes. The Deployment comes last, after the CRDs it patches at start-up (a CRD missing
then is skipped until the next restart) and the RBAC it needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.sandbox_pods import wire
from sandboxing.agent_sandbox.vendored import Manifest
from sandboxing.names import snake

# The kinds a release holds, by (apiVersion, kind); a new kind in a future release fails the
# tests of sandboxing.agent_sandbox, not a user's `pulumi up`. Aligned by hand (fmt: skip): one
# kind per line reads better than the formatter's split of the longest key.
KINDS: dict[tuple[str, str], type[pulumi.CustomResource]] = {
    ("v1", "Namespace"): k8s.core.v1.Namespace,
    ("v1", "ServiceAccount"): k8s.core.v1.ServiceAccount,
    ("v1", "Service"): k8s.core.v1.Service,
    ("rbac.authorization.k8s.io/v1", "ClusterRole"): k8s.rbac.v1.ClusterRole,
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"): k8s.rbac.v1.ClusterRoleBinding,
    ("rbac.authorization.k8s.io/v1", "Role"): k8s.rbac.v1.Role,
    ("rbac.authorization.k8s.io/v1", "RoleBinding"): k8s.rbac.v1.RoleBinding,
    ("apps/v1", "Deployment"): k8s.apps.v1.Deployment,
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"):
        k8s.apiextensions.v1.CustomResourceDefinition,
}  # fmt: skip
CA_BUNDLE = "spec.conversion.webhook.clientConfig.caBundle"


@dataclass(frozen=True)
class ControllerArgs:
    version: str  # the release, e.g. v0.5.6
    objects: tuple[Manifest, ...]  # sandboxing.agent_sandbox.controller.controller_objects


def resource_name(prefix: str, manifest: Manifest) -> str:
    """`agent-sandbox-deployment-agent-sandbox-controller`, `agent-sandbox-crd-sandboxes...`"""
    kind = "crd" if manifest["kind"] == "CustomResourceDefinition" else manifest["kind"].lower()
    return f"{prefix}-{kind}-{manifest['metadata']['name']}"


def inputs(manifest: Manifest) -> dict[str, Any]:
    """The manifest's fields as the resource class's arguments (roleRef -> role_ref)."""
    return {snake(k): wire(v) for k, v in manifest.items() if k not in ("apiVersion", "kind")}


class AgentSandboxController(pulumi.ComponentResource):
    """Namespace, CRDs, RBAC, Services and the controller Deployment of one release."""

    def __init__(
        self,
        name: str,
        args: ControllerArgs,
        provider: pulumi.ProviderResource,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("aks-pod-sandboxing:kubernetes:AgentSandboxController", name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=provider)
        self.version: str = args.version
        self.crds: list[pulumi.Resource] = []
        namespace: pulumi.Resource | None = None
        others: list[pulumi.Resource] = []
        deployments: list[Manifest] = []
        for manifest in args.objects:
            kind = KINDS[(manifest["apiVersion"], manifest["kind"])]
            if manifest["kind"] == "Deployment":
                deployments.append(manifest)
                continue
            opts_for = child
            if manifest["kind"] == "CustomResourceDefinition":
                opts_for = pulumi.ResourceOptions.merge(
                    child, pulumi.ResourceOptions(ignore_changes=[CA_BUNDLE])
                )
            elif manifest["metadata"].get("namespace") and namespace is not None:
                opts_for = pulumi.ResourceOptions.merge(
                    child, pulumi.ResourceOptions(depends_on=[namespace])
                )
            created = kind(resource_name(name, manifest), opts=opts_for, **inputs(manifest))
            if manifest["kind"] == "Namespace":
                namespace = created
            elif manifest["kind"] == "CustomResourceDefinition":
                self.crds.append(created)
            else:
                others.append(created)
        (deployment,) = deployments  # one Deployment runs both controllers
        everything = [r for r in (namespace, *self.crds, *others) if r is not None]
        self.deployment: pulumi.Resource = k8s.apps.v1.Deployment(
            resource_name(name, deployment),
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=everything)),
            **inputs(deployment),
        )
        self.register_outputs({"version": self.version})
