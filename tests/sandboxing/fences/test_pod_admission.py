"""The pod policy's fences tried with realistic objects against its real CEL (tests/cel_policy.py):
the pods a tenant's Deployment and Job make, as mutating admission leaves them
(tests/admitted_pods.py), and what a hostile tenant would try instead.

Pods that MUST be admitted are tried as often as pods that must not, so a policy that refuses
everything fails here too. The namespace is the one the program makes for the tenant: its
annotations are the policy's per-namespace parameters.
"""

from __future__ import annotations

import copy
from typing import Any

import cel_policy
import pytest
from admitted_pods import (
    KATA,
    POOL,
    TOKEN_VOLUME,
    admitted,
    deployment,
    job,
    pod_of,
    scheduled,
    template,
)

from sandboxing.config.contract import default_settings
from sandboxing.tenants.admission import policy
from sandboxing.tenants.fields import Tenant
from sandboxing.tenants.manifests import limit_range, namespace

TENANT = Tenant("team-a")
LIMIT_RANGE = limit_range(TENANT, default_settings())
CONFIG_VOLUMES = [
    {"name": "config", "configMap": {"name": "web-config"}},
    {"name": "tls", "secret": {"secretName": "web-tls"}},
    {"name": "cache", "emptyDir": {"sizeLimit": "500Mi"}},
    {"name": "tmp", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
    {
        "name": "info",
        "downwardAPI": {
            "items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]
        },
    },
    {
        "name": "bundle",
        "projected": {
            "sources": [{"configMap": {"name": "web-config"}}, {"secret": {"name": "web-tls"}}]
        },
    },
]


def admit(
    pod: dict[str, Any],
    tenant: Tenant = TENANT,
    operation: str = "CREATE",
    old: dict[str, Any] | None = None,
) -> list[str]:
    spec = policy(KATA, POOL)["spec"]
    return cel_policy.admit(spec, pod, namespace(tenant), operation, old)


def rules(messages: list[str]) -> list[str]:
    return [message.split(":", 1)[0] for message in messages]


def web(**spec: Any) -> dict[str, Any]:
    """A Deployment's pod (the config volumes unless `volumes` is given), each volume mounted."""
    spec.setdefault("volumes", copy.deepcopy(CONFIG_VOLUMES))
    pod_template = template(**spec)
    pod_template["spec"]["containers"][0]["volumeMounts"] = [
        {"name": v["name"], "mountPath": f"/mnt/{v['name']}"} for v in spec["volumes"]
    ]
    return pod_of(deployment(pod_template), LIMIT_RANGE)


# --- What must be admitted ---------------------------------------------------------------------


def test_a_deployments_pod_with_config_secret_and_scratch_volumes_is_admitted() -> None:
    assert admit(web()) == []


def test_a_jobs_pod_is_admitted_and_its_finalizer_removed_once_it_ran() -> None:
    pod = pod_of(
        job(template(volumes=[{"name": "work", "emptyDir": {"sizeLimit": "2Gi"}}])), LIMIT_RANGE
    )
    assert admit(pod) == []
    # The Job controller removes its finalizer with an UPDATE of the scheduled pod: the
    # create-time rules (nodeName) must not refuse it.
    done = scheduled(pod)
    finished = copy.deepcopy(done)
    finished["metadata"]["finalizers"] = []
    assert admit(finished, operation="UPDATE", old=done) == []


def test_kubectl_debug_on_a_running_pod_is_admitted() -> None:
    running = scheduled(web())
    debug = copy.deepcopy(running)
    debug["spec"]["ephemeralContainers"] = [
        {"name": "debugger", "image": "busybox:1.36", "targetContainerName": "app"}
    ]
    assert admit(debug, operation="UPDATE", old=running) == []


def test_a_pod_from_before_the_fences_can_still_be_updated() -> None:
    # Made before these rules: no nodeSelector, an emptyDir without a limit. Labels change.
    made = web(nodeSelector={}, volumes=[{"name": "scratch", "emptyDir": {}}])
    old = scheduled(made)
    relabelled = copy.deepcopy(old)
    relabelled["metadata"]["labels"]["tier"] = "front"
    assert admit(relabelled, operation="UPDATE", old=old) == []
    assert rules(admit(made)) == ["empty-dir-size", "kata-pool"]  # a new one would be refused


# The volume tables below are laid out by hand (fmt: skip): one volume per line reads as a
# table; the formatter would spread most volumes over several lines.
@pytest.mark.parametrize(
    "volume",
    [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}},
     {"name": "model", "image": {"reference": "registry.example/models/llm@sha256:" + "b" * 64,
                                 "pullPolicy": "IfNotPresent"}},
     {"name": "scratch", "ephemeral": {"volumeClaimTemplate": {"spec": {
         "accessModes": ["ReadWriteOnce"], "storageClassName": "managed-csi",
         "resources": {"requests": {"storage": "1Gi"}}}}}},
     {"name": "scratch", "ephemeral": {"volumeClaimTemplate": {"spec": {
         "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}}}],
    ids=["claim", "image", "ephemeral-allowed-class", "ephemeral-default-class"],
)  # fmt: skip
def test_claims_images_and_ephemeral_volumes_of_allowed_classes_are_admitted(
    volume: dict[str, Any],
) -> None:
    assert admit(web(volumes=[volume])) == []


def test_extra_node_selectors_and_an_allowed_priority_class_are_admitted() -> None:
    tenant = Tenant("team-a", priority_classes=("batch-low",))
    selector = {"kubernetes.azure.com/agentpool": POOL, "topology.kubernetes.io/zone": "1"}
    pod = web(nodeSelector=selector, priorityClassName="batch-low")
    pod["spec"]["priority"] = 1000
    assert admit(pod, tenant) == []


def test_an_allowed_inline_csi_driver_is_admitted() -> None:
    tenant = Tenant("team-a", csi_drivers=("secrets-store.csi.k8s.io",))
    vault = {
        "name": "vault",
        "csi": {
            "driver": "secrets-store.csi.k8s.io",
            "readOnly": True,
            "volumeAttributes": {"secretProviderClass": "kv"},
        },
    }
    assert admit(web(volumes=[vault]), tenant) == []


# --- What a tenant might try -----------------------------------------------------------------


def test_the_default_service_account_token_is_refused_naming_the_fix() -> None:
    pod = pod_of(deployment(template(automountServiceAccountToken=None)), LIMIT_RANGE)
    (message,) = admit(pod)
    assert message.startswith(
        f"no-service-account-token: sandboxed pods get no Kubernetes API "
        f"token, but volume(s) {TOKEN_VOLUME} carry"
    )
    assert "set automountServiceAccountToken: false" in message


@pytest.mark.parametrize(
    ("volume", "rule"),
    [({"name": "share", "nfs": {"server": "10.1.2.3", "path": "/exports"}}, "volume-types"),
     ({"name": "disk", "azureDisk": {"diskName": "d", "diskURI": "/subscriptions/x"}},
      "volume-types"),
     ({"name": "src", "gitRepo": {"repository": "https://example.org/r.git"}}, "volume-types"),
     ({"name": "root", "hostPath": {"path": "/"}}, "no-host-path"),
     ({"name": "cache", "emptyDir": {}}, "empty-dir-size"),
     ({"name": "token", "projected": {"sources": [{"serviceAccountToken": {
         "audience": "api://AzureADTokenExchange", "path": "t"}}]}}, "no-service-account-token"),
     ({"name": "smb", "csi": {"driver": "file.csi.azure.com", "volumeAttributes": {
         "secretName": "azure-secret", "shareName": "other-teams-share",
         "mountOptions": "dir_mode=0777"}}}, "csi-drivers"),
     ({"name": "fast", "ephemeral": {"volumeClaimTemplate": {"spec": {
         "storageClassName": "managed-csi-premium-v2",
         "resources": {"requests": {"storage": "1Ti"}}}}}}, "ephemeral-storage-class")],
    ids=["nfs", "azure-disk", "git-repo", "host-path", "unsized-empty-dir", "token-audience",
         "csi-azure-files", "ephemeral-premium"],
)  # fmt: skip
def test_each_volume_a_tenant_may_not_use_is_refused_by_one_rule_naming_it(
    volume: dict[str, Any], rule: str
) -> None:
    (message,) = admit(web(volumes=[volume]))
    assert rules([message]) == [rule]
    assert volume["name"] in message


def test_a_csi_driver_allowed_to_one_tenant_is_not_allowed_to_another() -> None:
    vault = {"name": "vault", "csi": {"driver": "secrets-store.csi.k8s.io"}}
    (message,) = admit(web(volumes=[vault]))
    assert message.startswith(
        "csi-drivers: volume(s) vault (driver secrets-store.csi.k8s.io) "
        "may not be mounted inline here (allowed drivers: none)"
    )
    # A namespace carrying the tenant label but not the allowances (made by hand) allows none.
    bare = copy.deepcopy(namespace(Tenant("team-a", csi_drivers=("secrets-store.csi.k8s.io",))))
    del bare["metadata"]["annotations"]
    spec = policy(KATA, POOL)["spec"]
    assert rules(cel_policy.admit(spec, web(volumes=[vault]), bare)) == ["csi-drivers"]


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"nodeName": "aks-system-12345678-vmss000000"}, "no-node-name"),
        ({"nodeSelector": {}}, "kata-pool"),
        ({"nodeSelector": {"kubernetes.azure.com/agentpool": "system"}}, "kata-pool"),
        ({"nodeSelector": {"kubernetes.azure.com/kata-vm-isolation": "true"}}, "kata-pool"),
        ({"priorityClassName": "system-node-critical"}, "priority-class"),
        ({"priorityClassName": "system-cluster-critical"}, "priority-class"),
        ({"priorityClassName": "team-b-high"}, "priority-class"),
    ],
)
def test_placement_and_priority_a_tenant_may_not_choose_are_refused(
    changes: dict[str, Any], rule: str
) -> None:
    assert rules(admit(web(**changes))) == [rule]


def test_a_priority_above_every_user_class_is_refused_whatever_the_class_is_called() -> None:
    tenant = Tenant("team-a", priority_classes=("batch-low",))
    pod = web(priorityClassName="batch-low")
    pod["spec"]["priority"] = 2_000_000_000
    assert rules(admit(pod, tenant)) == ["priority-class"]


def test_without_a_priority_class_the_message_says_none_is_allowed() -> None:
    (message,) = admit(web(priorityClassName="system-node-critical"))
    assert message == (
        "priority-class: priority class system-node-critical is not one this namespace may use "
        "(allowed: none): remove spec.priorityClassName or name an allowed class"
    )


def test_a_pod_sent_straight_to_a_node_is_refused_even_with_the_right_selector() -> None:
    pod = admitted(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p", "namespace": "team-a"},
            "spec": template(nodeName="aks-katapool-1-vmss000000")["spec"],
        },
        LIMIT_RANGE,
    )
    (message,) = admit(pod)
    assert message.startswith("no-node-name: sandboxed pods are placed by the scheduler")
