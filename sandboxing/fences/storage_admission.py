"""The admission policy on a fenced namespace's PersistentVolumeClaims: allowed classes only, and
no claiming an existing volume. Pure data.

A ResourceQuota can zero a storage class but cannot allow-list them: a class made later (Azure
Container Storage's, your own) would be open. This policy allow-lists, from the namespace's
annotation (sandboxing.fences.profile). It sees the class the DefaultStorageClass admission plugin
filled in (mutating admission runs first), and it sees the claims that StatefulSets and ephemeral
volumes make, because their controllers create them through the API like anybody else.

A claim that names a PersistentVolume (`spec.volumeName`) or selects one by label binds to a
volume that already exists, possibly with someone else's data (a statically provisioned volume
without a claimRef can be claimed from any namespace); dynamic provisioning needs neither, so both
are refused on CREATE. The API lets an unbound claim's volumeName be set once by an UPDATE, which
is also how the volume controller binds claims, so that path is not fenced here (docs/tenants.md).
"""

from __future__ import annotations

from sandboxing.config.settings import PROJECT
from sandboxing.fences.cel import Validation, annotation, listed, on_create, policy_manifest, shown
from sandboxing.fences.profile import STORAGE_CLASSES_ANNOTATION
from sandboxing.workload import Manifest

POLICY = f"{PROJECT}-tenant-storage"
VARIABLES = {"storageClasses": annotation(STORAGE_CLASSES_ANNOTATION)}
_CLASS = "object.spec.storageClassName"
# A class set before this update cannot change (the API refuses it): only a new one is checked,
# e.g. the default class the volume controller gives a claim created while there was none.
_CLASS_OK = (
    "(request.operation == 'UPDATE' && has(oldObject.spec.storageClassName)) || "
    f"(has({_CLASS}) && {listed('variables.storageClasses', _CLASS)})"
)

VALIDATIONS = (
    Validation(
        "storage-class",
        _CLASS_OK,
        "storage-class: a PersistentVolumeClaim here must name a storage class this namespace "
        "may use: set spec.storageClassName to an allowed class",
        "'storage-class: PersistentVolumeClaim ' + object.metadata.name + ' uses storage class ' "
        "+ (has(" + _CLASS + ") ? " + _CLASS + " : '(none)') + ', which this namespace may not "
        "use: set spec.storageClassName to one of: ' + " + shown("variables.storageClasses"),
    ),
    Validation(
        "no-static-binding",
        on_create("!has(object.spec.volumeName) && !has(object.spec.selector)"),
        "no-static-binding: a PersistentVolumeClaim here may not name a PersistentVolume "
        "(spec.volumeName) or select one (spec.selector): it could claim a volume holding "
        "someone else's data; leave both out and the storage class provisions a new volume",
    ),
)


def policy() -> Manifest:
    return policy_manifest(POLICY, ["persistentvolumeclaims"], VALIDATIONS, VARIABLES)
