"""A fenced namespace's quotas and LimitRange: every kind its deployers may create is counted,
storage is capped and held to the allowed classes, ephemeral storage is requested, limited and
counted, and no pod of a system priority class fits."""

from __future__ import annotations

from dataclasses import replace

import pytest
from strict_schema import validate_strict

from sandboxing import catalog
from sandboxing.fences.profile import PodCeiling
from sandboxing.fences.quota import limit_range, priority_quota, resource_quota
from sandboxing.tenants.fields import Tenant
from sandboxing.tenants.manifests import ROLE_RULES, profile

TENANT = profile(Tenant("team-a"))
# Quota names of the kinds a Role may create (kubernetes.io/docs/concepts/policy/
# resource-quotas "Object count quota"): the specialized core names, else count/<res>.<group>.
SPECIALIZED = {"pods", "services", "configmaps", "secrets", "persistentvolumeclaims"}


def creatable() -> set[str]:
    """Every resource the deployers' Role lets them create, as a quota names its count."""
    names = set()
    for rule in ROLE_RULES:
        if "create" not in rule["verbs"]:
            continue
        for resource in rule["resources"]:
            if "/" in resource:
                continue  # subresources (exec, portforward) create no object
            group = rule["apiGroups"][0]
            if group == "" and resource in SPECIALIZED:
                names.add(resource)
            else:
                names.add(f"count/{resource}" + (f".{group}" if group else ""))
    return names


def test_every_kind_the_deployers_may_create_is_counted() -> None:
    hard = resource_quota(TENANT)["spec"]["hard"]
    assert creatable() - set(hard) == set()
    assert hard["configmaps"] == hard["count/jobs.batch"] == "100"  # maxObjects
    assert (hard["pods"], hard["persistentvolumeclaims"]) == ("10", "4")


def test_storage_is_capped_and_each_builtin_class_not_allowed_gets_nothing() -> None:
    hard = resource_quota(TENANT)["spec"]["hard"]
    assert hard["requests.storage"] == "10Gi"
    zeroed = {k.split(".storageclass.")[0] for k, v in hard.items() if ".storageclass." in k}
    assert zeroed == set(catalog.AKS_STORAGE_CLASSES) - {"default", "managed-csi"}
    assert hard["managed-csi-premium.storageclass.storage.k8s.io/requests.storage"] == "0"
    assert hard["azurefile-csi.storageclass.storage.k8s.io/persistentvolumeclaims"] == "0"
    none = resource_quota(replace(TENANT, storage_classes=()))["spec"]["hard"]
    assert none["default.storageclass.storage.k8s.io/requests.storage"] == "0"


def test_ephemeral_storage_is_counted_and_every_container_gets_some() -> None:
    hard = resource_quota(TENANT)["spec"]["hard"]
    assert hard["requests.ephemeral-storage"] == hard["limits.ephemeral-storage"] == "10Gi"
    (limit,) = limit_range(TENANT)["spec"]["limits"]
    assert limit["default"]["ephemeral-storage"] == "1Gi"
    assert limit["defaultRequest"]["ephemeral-storage"] == "1Gi"
    # limit = request: the scheduler counts what the kubelet lets a container write.
    assert limit["maxLimitRequestRatio"] == {"ephemeral-storage": "1"}
    assert "max" not in limit


def test_the_ceiling_caps_what_is_known() -> None:
    (limit,) = limit_range(TENANT, PodCeiling(3860, 11000, 117964))["spec"]["limits"]
    assert limit["max"] == {"cpu": "3860m", "memory": "11000Mi", "ephemeral-storage": "117964Mi"}
    (unknown,) = limit_range(TENANT, PodCeiling(None, None, 117964))["spec"]["limits"]
    assert unknown["max"] == {"ephemeral-storage": "117964Mi"}


def test_no_pod_of_a_system_priority_class_fits() -> None:
    quota = priority_quota("team-a")
    assert quota["spec"]["hard"] == {"pods": "0"}
    (scope,) = quota["spec"]["scopeSelector"]["matchExpressions"]
    assert (scope["scopeName"], scope["operator"]) == ("PriorityClass", "In")
    assert scope["values"] == ["system-node-critical", "system-cluster-critical"]


@pytest.mark.parametrize(
    "manifest",
    [
        resource_quota(TENANT),
        priority_quota("team-a"),
        limit_range(TENANT),
        limit_range(TENANT, PodCeiling(3860, 11000, 117964)),
    ],
    ids=["quota", "priority-quota", "limit-range", "limit-range-max"],
)
def test_the_objects_are_valid_in_strict_mode(manifest: dict[str, object]) -> None:
    validate_strict(manifest, "1.33.0")
