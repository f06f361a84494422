"""The storage and Secret policies' CEL tried with the claims and Secrets a tenant's workloads
make, and with what a tenant might try instead (tests/cel_policy.py evaluates the real CEL)."""

from __future__ import annotations

import copy
from typing import Any

import cel_policy
import pytest
from strict_schema import validate_strict

from sandboxing.fences import secret_admission, storage_admission
from sandboxing.tenants.fields import Tenant
from sandboxing.tenants.manifests import namespace

NAMESPACE = namespace(Tenant("team-a"))  # storage classes: default, managed-csi


def claim(name: str = "data-web-0", **spec: Any) -> dict[str, Any]:
    """A claim as a StatefulSet's volumeClaimTemplates make it (after DefaultStorageClass)."""
    body = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "5Gi"}},
        "storageClassName": "default",
        **spec,
    }
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": "team-a", "labels": {"app": "web"}},
        "spec": {k: v for k, v in body.items() if v is not None},
    }


def admit_claim(
    obj: dict[str, Any],
    operation: str = "CREATE",
    old: dict[str, Any] | None = None,
    ns: dict[str, Any] = NAMESPACE,
) -> list[str]:
    return cel_policy.admit(storage_admission.policy()["spec"], obj, ns, operation, old)


@pytest.mark.parametrize("storage_class", ["default", "managed-csi"])
def test_claims_of_the_allowed_classes_are_admitted(storage_class: str) -> None:
    assert admit_claim(claim(storageClassName=storage_class)) == []


def test_a_bound_claim_can_be_bound_and_resized() -> None:
    # The volume controller binds (sets volumeName once), the tenant resizes: both UPDATEs.
    pending = claim()
    bound = copy.deepcopy(pending)
    bound["spec"]["volumeName"] = "pvc-3f1c2a"
    assert admit_claim(bound, "UPDATE", pending) == []
    bigger = copy.deepcopy(bound)
    bigger["spec"]["resources"]["requests"]["storage"] = "10Gi"
    assert admit_claim(bigger, "UPDATE", bound) == []


@pytest.mark.parametrize(
    "storage_class", ["managed-csi-premium", "azurefile-csi", "acstor-ephemeraldisk", None]
)
def test_a_claim_of_another_class_or_none_is_refused_naming_the_allowed_ones(
    storage_class: str | None,
) -> None:
    (message,) = admit_claim(claim(storageClassName=storage_class))
    shown = storage_class or "(none)"
    assert message == (
        f"storage-class: PersistentVolumeClaim data-web-0 uses storage class {shown}, which this "
        "namespace may not use: set spec.storageClassName to one of: default,managed-csi"
    )


def test_a_default_class_given_later_is_checked_like_any_other() -> None:
    # Created while the cluster had no default class; the volume controller gives it one later.
    classless = claim(storageClassName=None)
    assigned = claim(storageClassName="managed-csi-premium")
    assert [m.split(":")[0] for m in admit_claim(assigned, "UPDATE", classless)] == [
        "storage-class"
    ]


@pytest.mark.parametrize(
    "spec",
    [{"volumeName": "pvc-other-teams-data"}, {"selector": {"matchLabels": {"team": "b"}}}],
    ids=["volume-name", "selector"],
)
def test_claiming_an_existing_volume_is_refused(spec: dict[str, Any]) -> None:
    (message,) = admit_claim(claim(**spec))
    assert message.startswith(
        "no-static-binding: a PersistentVolumeClaim here may not name a PersistentVolume"
    )


def test_a_tenant_without_storage_classes_gets_no_claim() -> None:
    (message,) = admit_claim(claim(), ns=namespace(Tenant("team-a", storage_classes=())))
    assert message.endswith("set spec.storageClassName to one of: none")


def secret(kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": kind,
        "metadata": {"name": "s", "namespace": "team-a", **extra},
        "data": {},
    }


@pytest.mark.parametrize("kind", ["Opaque", "kubernetes.io/tls", "kubernetes.io/dockerconfigjson"])
def test_ordinary_secrets_are_admitted(kind: str) -> None:
    spec = secret_admission.policy()["spec"]
    assert cel_policy.admit(spec, secret(kind), NAMESPACE) == []
    untyped = secret(kind)
    del untyped["type"]
    assert cel_policy.admit(spec, untyped, NAMESPACE) == []


def test_a_service_account_token_secret_is_refused() -> None:
    token = secret(
        "kubernetes.io/service-account-token",
        annotations={"kubernetes.io/service-account.name": "default"},
    )
    (message,) = cel_policy.admit(secret_admission.policy()["spec"], token, NAMESPACE)
    assert message.startswith(
        "no-token-secret: Secrets of type kubernetes.io/service-account-token are not allowed"
    )


@pytest.mark.parametrize("module", [storage_admission, secret_admission])
def test_the_policies_are_valid_and_fail_closed(module: Any) -> None:
    policy = module.policy()
    validate_strict(policy, "1.33.0")
    assert policy["spec"]["failurePolicy"] == "Fail"
    resource = {storage_admission: "persistentvolumeclaims", secret_admission: "secrets"}[module]
    assert policy["spec"]["matchConstraints"]["resourceRules"][0]["resources"] == [resource]
