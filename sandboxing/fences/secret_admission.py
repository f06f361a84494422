"""The admission policy on a fenced namespace's Secrets: no service-account token Secrets.

Deployers may write Secrets. A Secret of type `kubernetes.io/service-account-token` that names a
ServiceAccount of the namespace is filled with a long-lived token for it by the token controller
(kubernetes.io/docs/concepts/configuration/secret, "Service account token Secrets"), and mounted
as an ordinary secret volume it would hand a sandboxed pod the API token the pod policy keeps it
from (no serviceAccountToken projection; the deployers' Role has no `serviceaccounts/token`).
The type cannot change after creation, so CREATE is checked. Pure data.
"""

from __future__ import annotations

from sandboxing.config.settings import PROJECT
from sandboxing.fences.cel import Validation, on_create, policy_manifest
from sandboxing.workload import Manifest

POLICY = f"{PROJECT}-tenant-secrets"
TOKEN_TYPE = "kubernetes.io/service-account-token"

VALIDATIONS = (
    Validation(
        "no-token-secret",
        on_create(f"!has(object.type) || object.type != '{TOKEN_TYPE}'"),
        f"no-token-secret: Secrets of type {TOKEN_TYPE} are not allowed here (the cluster "
        "would fill them with a Kubernetes API token): use type Opaque for your own data",
    ),
)


def policy() -> Manifest:
    return policy_manifest(POLICY, ["secrets"], VALIDATIONS)
