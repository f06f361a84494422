"""Pod admission rules on volumes: an allow-list of volume types, each with its conditions.

Pod Security `restricted` already refuses hostPath and the network file systems, but it allows
inline `csi` volumes of ANY driver (kubernetes/pod-security-admission v0.36.2
policy/check_restrictedVolumes.go). An inline CSI volume is mounted by the named driver's node
plugin, on the host, with the pod's attributes (share names, mount options, secrets) and from the
node's network, outside every NetworkPolicy; with Kata the host then shares it into the VM. So a
sandboxed pod may use:

- configMap, secret, downwardAPI: API data the kubelet writes into the pod;
- projected, of those sources only: no serviceAccountToken (a sandboxed pod gets no API token;
  the ServiceAccount admission plugin adds one unless automountServiceAccountToken is false);
- emptyDir with a sizeLimit (on disk it is on the node's OS disk; the kubelet evicts a pod that
  fills it beyond the limit);
- persistentVolumeClaim and ephemeral (a claim made from a template): storage from a class the
  namespace may use (the ephemeral template's class is checked here, every claim's by the storage
  policy and the quota);
- image (Kubernetes 1.33+): an OCI image the node pulls and mounts read-only, as it pulls the
  pod's container images, with no pod-chosen options; Pod Security restricted allows it too;
- csi only for drivers the namespace's profile lists (none by default).

Every rule is checked on CREATE only: a pod's volumes cannot change afterwards.
"""

from __future__ import annotations

from sandboxing.fences.cel import UNDER_TEMPLATE, Validation, annotation, listed, on_create, shown
from sandboxing.fences.profile import CSI_DRIVERS_ANNOTATION, STORAGE_CLASSES_ANNOTATION

ALLOWED_TYPES = (
    "configMap",
    "secret",
    "downwardAPI",
    "projected",
    "emptyDir",
    "persistentVolumeClaim",
    "ephemeral",
    "image",
    "csi",
)
VARIABLES = {
    "volumes": "has(object.spec.volumes) ? object.spec.volumes : []",
    "csiDrivers": annotation(CSI_DRIVERS_ANNOTATION),
    "storageClasses": annotation(STORAGE_CLASSES_ANNOTATION),
}
# hostPath has its own rule and message (sandboxing.tenants.admission no-host-path).
_KNOWN = " || ".join(f"has(v.{kind})" for kind in ("hostPath", *ALLOWED_TYPES))
_SIZED = "!has(v.emptyDir) || has(v.emptyDir.sizeLimit)"
_NO_TOKEN = (
    "!has(v.projected) || !has(v.projected.sources) || "
    "v.projected.sources.all(s, !has(s.serviceAccountToken))"
)
_DRIVER = f"!has(v.csi) || {listed('variables.csiDrivers', 'v.csi.driver')}"
_TEMPLATE_CLASS = "v.ephemeral.volumeClaimTemplate.spec.storageClassName"
_EPHEMERAL_CLASS = (
    "!has(v.ephemeral) || !has(v.ephemeral.volumeClaimTemplate) || "
    "!has(v.ephemeral.volumeClaimTemplate.spec) || "
    f"!has({_TEMPLATE_CLASS}) || {listed('variables.storageClasses', _TEMPLATE_CLASS)}"
)


def _names(condition: str) -> str:
    """The names of the volumes that fail `condition`, for a message."""
    return f"variables.volumes.filter(v, !({condition})).map(v, v.name).join(', ')"


def _all(condition: str) -> str:
    return on_create(f"variables.volumes.all(v, {condition})")


VALIDATIONS = (
    Validation(
        "volume-types",
        _all(_KNOWN),
        "volume-types: a volume type sandboxed pods may not use: mount storage through a "
        "PersistentVolumeClaim, scratch space through an emptyDir, configuration through a "
        f"ConfigMap, Secret or projected volume {UNDER_TEMPLATE}",
        "'volume-types: volume(s) ' + "
        + _names(_KNOWN)
        + " + ' use a volume type sandboxed pods may not "
        "use (allowed: " + ", ".join(ALLOWED_TYPES) + "): mount storage through a "
        "PersistentVolumeClaim, scratch space through an emptyDir, configuration through a "
        "ConfigMap, Secret or projected volume'",
    ),
    Validation(
        "empty-dir-size",
        _all(_SIZED),
        "empty-dir-size: every emptyDir needs a sizeLimit (e.g. sizeLimit: 1Gi): on disk it "
        f"takes the node's disk, which other pods share {UNDER_TEMPLATE}",
        "'empty-dir-size: set emptyDir.sizeLimit (e.g. 1Gi) on volume(s) ' + "
        + _names(_SIZED)
        + " + ': "
        "on disk an emptyDir takes space on the node disk, which other pods share'",
    ),
    Validation(
        "no-service-account-token",
        _all(_NO_TOKEN),
        "no-service-account-token: sandboxed pods get no Kubernetes API token: set "
        "automountServiceAccountToken: false in the pod spec (the ServiceAccount admission adds "
        f"a token volume otherwise) and drop serviceAccountToken sources {UNDER_TEMPLATE}",
        "'no-service-account-token: sandboxed pods get no Kubernetes API token, but volume(s) ' + "
        + _names(_NO_TOKEN)
        + " + ' carry a serviceAccountToken source: set automountServiceAccountToken: false in "
        "the pod spec (the ServiceAccount admission adds such a volume otherwise) and drop "
        "serviceAccountToken sources'",
    ),
    Validation(
        "csi-drivers",
        _all(_DRIVER),
        "csi-drivers: an inline CSI volume whose driver this namespace may not use (the node "
        "mounts it with the pod's attributes, outside the network policy): use a "
        f"PersistentVolumeClaim of an allowed storage class instead {UNDER_TEMPLATE}",
        "'csi-drivers: volume(s) ' + variables.volumes.filter(v, !("
        + _DRIVER
        + ")).map(v, v.name + "
        "' (driver ' + v.csi.driver + ')').join(', ') + ' may not be mounted inline here "
        "(allowed drivers: ' + " + shown("variables.csiDrivers") + " + '): the node would "
        "mount it with attributes from the pod spec, outside the network policy; use a "
        "PersistentVolumeClaim of an allowed storage class instead'",
    ),
    Validation(
        "ephemeral-storage-class",
        _all(_EPHEMERAL_CLASS),
        "ephemeral-storage-class: an ephemeral volume's claim names a storage class this "
        "namespace may not use: set volumeClaimTemplate.spec.storageClassName to an allowed "
        f"class {UNDER_TEMPLATE}",
        "'ephemeral-storage-class: volume(s) ' + " + _names(_EPHEMERAL_CLASS) + " + ' name a "
        "storage class this namespace may not use: set "
        "volumeClaimTemplate.spec.storageClassName to one of: ' + "
        + shown("variables.storageClasses"),
    ),
)
