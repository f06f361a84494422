"""The agent-sandbox controller as this program installs it: the release's objects, hardened.

The release manifests run the controller with no resources, no security context, no probes and
no placement (kubernetes-sigs/agent-sandbox k8s/controller.yaml at v0.5.6). Patched here, object
by object, before anything is registered:

- the namespace enforces Pod Security `restricted`, which the patched controller meets;
- the Deployment gets resources (catalog.AGENT_SANDBOX_CONTROLLER_RESOURCES), the pod and
  container security contexts of this project's own pods (sandboxing.workload), the Helm chart's
  probes (helm/templates/deployment.yaml at v0.5.6: /healthz and /readyz on port healthz), and
  an emptyDir at /tmp: with a read-only root the controller still writes its webhook serving
  certificate to --webhook-cert-dir (/tmp/k8s-webhook-server/serving-certs,
  cmd/agent-sandbox-controller/main.go at v0.5.6);
- it runs on the ordinary nodes: a required node affinity keeps it off every node carrying a
  Kata node label (not only off tainted ones, since kataNodeTaint may be empty), except when the
  Kata nodes are the cluster's only pool (kataPoolPlacement system), where no other node exists.

The CRDs and the Deployment carry the release in `app.kubernetes.io/version`, so a plan's diff
shows an upgrade on the objects whose content follows the release. Everything else (RBAC,
Services, the CRDs' content) is applied as released. One Deployment runs both
controllers: the core Sandbox controller always, the SandboxClaim/Template/WarmPool controllers
with `--extensions`, which the release's extensions asset sets.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from sandboxing import catalog, workload
from sandboxing.agent_sandbox.release import release_objects
from sandboxing.agent_sandbox.vendored import Manifest, releases

CONTROLLER = "agent-sandbox-controller"
EXTENSIONS_FLAG = "--extensions"
VERSION_LABEL = "app.kubernetes.io/version"
TMP_VOLUME = "tmp"
# Probes as the chart at v0.5.6 sets them (the raw manifests have none).
LIVENESS = {
    "httpGet": {"path": "/healthz", "port": "healthz"},
    "initialDelaySeconds": 15,
    "periodSeconds": 20,
}
READINESS = {
    "httpGet": {"path": "/readyz", "port": "healthz"},
    "initialDelaySeconds": 5,
    "periodSeconds": 10,
}


@dataclass(frozen=True)
class ControllerPlacement:
    """Where the controller may run: off the Kata nodes, unless they are all there is."""

    avoid_kata_nodes: bool = True


def kata_free_affinity() -> Manifest:
    """Only nodes without any Kata node label AKS sets (GA or preview-era pools)."""
    labels = sorted({runtime.node_label for runtime in catalog.SANDBOX_RUNTIMES.values()})
    return {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {
                        "matchExpressions": [
                            {"key": label, "operator": "DoesNotExist"} for label in labels
                        ]
                    }
                ]
            }
        }
    }


def harden_namespace(namespace: Manifest) -> Manifest:
    patched = copy.deepcopy(namespace)
    labels = workload.restricted_namespace(namespace["metadata"]["name"])["metadata"]["labels"]
    patched["metadata"]["labels"] = {**(namespace["metadata"].get("labels") or {}), **labels}
    return patched


def harden_deployment(
    deployment: Manifest, version: str, placement: ControllerPlacement
) -> Manifest:
    patched = copy.deepcopy(deployment)
    patched["metadata"].setdefault("labels", {})[VERSION_LABEL] = version
    pod = patched["spec"]["template"]["spec"]
    (container,) = pod["containers"]  # the release runs one container; a second would be news
    if EXTENSIONS_FLAG not in container.get("args", []):
        raise ValueError(
            f"the {version} controller Deployment lacks {EXTENSIONS_FLAG}: the "
            "SandboxClaim, SandboxTemplate and SandboxWarmPool controllers would "
            "not run"
        )
    container["resources"] = copy.deepcopy(catalog.AGENT_SANDBOX_CONTROLLER_RESOURCES)
    container["securityContext"] = workload.container_security_context()
    container["livenessProbe"] = copy.deepcopy(LIVENESS)
    container["readinessProbe"] = copy.deepcopy(READINESS)
    container.setdefault("volumeMounts", []).append({"name": TMP_VOLUME, "mountPath": "/tmp"})
    pod.setdefault("volumes", []).append({"name": TMP_VOLUME, "emptyDir": {}})
    pod["securityContext"] = workload.pod_security_context()
    pod["nodeSelector"] = {"kubernetes.io/os": "linux"}
    if placement.avoid_kata_nodes:
        pod["affinity"] = kata_free_affinity()
    return patched


def controller_objects(version: str, placement: ControllerPlacement) -> list[Manifest]:
    """The release's objects in apply order, the namespace and the Deployment hardened."""
    if version not in releases():
        raise ValueError(f"agent-sandbox {version} is not vendored: {', '.join(releases())}")
    objects = []
    for manifest in release_objects(version):
        if manifest["kind"] == "Namespace":
            manifest = harden_namespace(manifest)
        elif manifest["kind"] == "CustomResourceDefinition":
            manifest["metadata"].setdefault("labels", {})[VERSION_LABEL] = version
        elif manifest["kind"] == "Deployment" and manifest["metadata"]["name"] == CONTROLLER:
            manifest = harden_deployment(manifest, version, placement)
        objects.append(manifest)
    return objects
