"""Pods as a ValidatingAdmissionPolicy sees them: made from a workload's template by its
controller, then changed by the mutating admission plugins that run before validation.

What each plugin adds (kubernetes/kubernetes plugin/pkg/admission/*, as read for Kubernetes
1.36/1.37; the AKS list in
articles/aks/faq.yml): ServiceAccount (`serviceAccountName: default`, and unless
automountServiceAccountToken is false a projected `kube-api-access-<suffix>` volume with a
serviceAccountToken source, mounted in every container), LimitRanger (the namespace's
LimitRange defaults for requests and limits a container leaves out), Priority (`priority` from
the class, 0 without one), DefaultTolerationSeconds (not-ready/unreachable tolerations) and
RuntimeClass (`overhead`). The field values follow what those plugins write; only the parts the
fence rules read matter.
"""

from __future__ import annotations

import copy
from typing import Any

from sandboxing import catalog

KATA = catalog.KATA_GA.runtime_class
POOL = "katapool"
TOKEN_VOLUME = "kube-api-access-x7k2q"
# Priority of the built-in classes (kubernetes/kubernetes pkg/apis/scheduling/types.go @ 056a015).
PRIORITY = {"system-cluster-critical": 2_000_000_000, "system-node-critical": 2_000_001_000}

Manifest = dict[str, Any]


def template(**spec: Any) -> Manifest:
    """A pod template as a tenant writes it, following docs/tenants.md: the Kata class, the
    pool's nodeSelector, no API token, the restricted security context."""
    container = {
        "name": "app",
        "image": "registry.example/team-a/app@sha256:" + "a" * 64,
        "ports": [{"containerPort": 8080}],
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "runAsNonRoot": True,
            "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"},
        },
    }
    body: Manifest = {
        "runtimeClassName": KATA,
        "nodeSelector": {catalog.AGENT_POOL_LABEL: POOL},
        "automountServiceAccountToken": False,
        "securityContext": {"runAsNonRoot": True, "runAsUser": 10001},
        "containers": [container],
    }
    body.update(spec)  # a None leaves the field out
    return {
        "metadata": {"labels": {"app": "web"}},
        "spec": {k: v for k, v in body.items() if v is not None},
    }


def deployment(pod_template: Manifest) -> Manifest:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "team-a"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": pod_template,
        },
    }


def job(pod_template: Manifest) -> Manifest:
    spec = copy.deepcopy(pod_template)
    spec["spec"]["restartPolicy"] = "Never"
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "nightly", "namespace": "team-a"},
        "spec": {"backoffLimit": 2, "template": spec},
    }


def pod_of(workload: Manifest, limit_range: Manifest) -> Manifest:
    """The pod the workload's controller creates, after mutating admission."""
    template_spec = copy.deepcopy(workload["spec"]["template"])
    name = workload["metadata"]["name"]
    metadata = {
        "generateName": f"{name}-",
        "namespace": workload["metadata"]["namespace"],
        "labels": template_spec["metadata"].get("labels", {}),
        "ownerReferences": [
            {
                "apiVersion": workload["apiVersion"],
                "kind": workload["kind"],
                "name": name,
                "uid": "u1",
                "controller": True,
            }
        ],
    }
    if workload["kind"] == "Job":
        metadata["finalizers"] = ["batch.kubernetes.io/job-tracking"]
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": template_spec["spec"]}
    return admitted(pod, limit_range)


def admitted(pod: Manifest, limit_range: Manifest) -> Manifest:
    """`pod` as the mutating admission plugins leave it."""
    pod = copy.deepcopy(pod)
    spec = pod["spec"]
    spec.setdefault("serviceAccountName", "default")
    if spec.get("automountServiceAccountToken") is not False:
        spec.setdefault("volumes", []).append(
            {
                "name": TOKEN_VOLUME,
                "projected": {
                    "defaultMode": 420,
                    "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {
                            "configMap": {
                                "name": "kube-root-ca.crt",
                                "items": [{"key": "ca.crt", "path": "ca.crt"}],
                            }
                        },
                        {
                            "downwardAPI": {
                                "items": [
                                    {
                                        "path": "namespace",
                                        "fieldRef": {
                                            "apiVersion": "v1",
                                            "fieldPath": "metadata.namespace",
                                        },
                                    }
                                ]
                            }
                        },
                    ],
                },
            }
        )
        for container in spec["containers"]:
            container.setdefault("volumeMounts", []).append(
                {
                    "name": TOKEN_VOLUME,
                    "readOnly": True,
                    "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                }
            )
    (limits,) = limit_range["spec"]["limits"]
    for container in spec["containers"] + spec.get("initContainers", []):
        resources = container.setdefault("resources", {})
        for field, defaults in (
            ("limits", limits["default"]),
            ("requests", limits["defaultRequest"]),
        ):
            given = resources.setdefault(field, {})
            for resource, value in defaults.items():
                given.setdefault(resource, value)
    spec["priority"] = PRIORITY.get(spec.get("priorityClassName", ""), 0)
    spec.setdefault("tolerations", []).extend(
        {
            "key": f"node.kubernetes.io/{t}",
            "operator": "Exists",
            "effect": "NoExecute",
            "tolerationSeconds": 300,
        }
        for t in ("not-ready", "unreachable")
    )
    if spec.get("runtimeClassName") == KATA:
        spec["overhead"] = {"memory": f"{catalog.RUNTIME_CLASS_OVERHEAD_MIB}Mi"}
    return pod


def scheduled(pod: Manifest, node: str = "aks-katapool-12345678-vmss000000") -> Manifest:
    """The pod once the scheduler bound it (`pods/binding`) and it got its name."""
    pod = copy.deepcopy(pod)
    pod["metadata"]["name"] = pod["metadata"].pop("generateName", "p-") + "abcde"
    pod["spec"]["nodeName"] = node
    return pod
