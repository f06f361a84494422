"""The subscription preflight: read what the stack needs from Azure Resource Manager, decide.

Runs in the dynamic provider's `check` (components/preflight.py), so during `pulumi preview` and
at the start of `pulumi up`, before the cluster or any pool is created. The reads
(cloud/arm_reader.py) are GETs only; the decisions are cloud/preflight_checks.py's. The API
versions are those of the installed SDKs that wrap the same operations: azure-mgmt-resource
26.0.0 providers (2025-04-01), azure-mgmt-resource-features 1.0.0 and azure-cli (2021-07-01),
azure-mgmt-compute 39.0.0 resource SKUs (2021-07-01) and the usages spec example (2023-07-01),
azure-mgmt-containerservice 41.8.0 kubernetesVersions (2026-08-01, as the reconcile's client).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from cloud.arm_errors import token_refused
from cloud.arm_reader import ArmReader, Read
from cloud.preflight_checks import (
    Finding,
    deployed_pools,
    feature_finding,
    provider_finding,
    quota_findings,
    sku_findings,
    version_findings,
    vm_skus,
)
from sandboxing.azure_clouds import AzureCloud
from sandboxing.preflight_needs import PoolNeed, PreflightNeeds

PROVIDERS_API = "2025-04-01"
FEATURES_API = "2021-07-01"
SKUS_API = "2021-07-01"
USAGES_API = "2023-07-01"
VERSIONS_API = "2026-08-01"
CLUSTER_API = VERSIONS_API
# Reader on the subscription allows every read (each is a */read action).
READER = "the built-in Reader role on the subscription"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    stopped: bool = False  # a 401 or no token: the other reads would fail the same way

    @property
    def errors(self) -> list[str]:
        return [f.message for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[str]:
        return [f.message for f in self.findings if f.severity == "warning"]


@dataclass(frozen=True)
class Target:
    subscription: str
    cloud: AzureCloud
    login: str  # for messages: which login the reads used


class Preflight:
    """The reads and decisions of one run, collected in `report`."""

    def __init__(self, reader: ArmReader, target: Target) -> None:
        self.reader, self.target = reader, target
        self.report = Report()

    def _read(self, check: str, what: str, read: Read, absent: Any = None) -> Any:
        """The body of a successful read; `absent` for a 404 when given; otherwise the finding
        the failure makes, and None."""
        if read.ok:
            return read.body
        if read.status == 404 and absent is not None:
            return absent
        said = f"{read.code}: {read.message}" if read.code else read.message or "no answer"
        skipped = f"the preflight could not check {what}"
        if read.status == 401:
            message = token_refused(
                read.code, read.message, read.claims or {}, self.target.login, self.target.cloud
            )
            self.report.findings.append(Finding("error", "access", message))
            self.report.stopped = True
        elif read.status == 0 and read.code == "NoToken":
            self.report.findings.append(
                Finding(
                    "warning",
                    "access",
                    (
                        f"{skipped} or anything else: no token with {self.target.login} "
                        f"({said}). The preflight uses the login azure-native would take from the "
                        "environment variables (docs/preflight.md); set preflight: false to skip it"
                    ),
                )
            )
            self.report.stopped = True
        elif read.status == 403:
            self.report.findings.append(
                Finding(
                    "warning",
                    check,
                    (
                        f"{skipped}: {self.target.login} may not read it (HTTP 403, {said}); "
                        f"{READER} allows every read of the preflight"
                    ),
                )
            )
        elif read.status == 429:
            self.report.findings.append(
                Finding(
                    "warning",
                    check,
                    (
                        f"{skipped}: Resource Manager kept throttling the reads (HTTP 429, "
                        f"{said}) after {self.reader.attempts} attempts"
                    ),
                )
            )
        else:
            status = f"HTTP {read.status}" if read.status else "no answer"
            self.report.findings.append(Finding("warning", check, f"{skipped} ({status}, {said})"))
        return None

    def _add(self, finding: Finding | None) -> None:
        if finding is not None:
            self.report.findings.append(finding)

    def run(self, needs: PreflightNeeds, old: PreflightNeeds | None) -> Report:
        sub, location = self.target.subscription, needs.location
        base = f"/subscriptions/{sub}/providers"
        for namespace in needs.providers:
            read = self.reader.get(f"{base}/{namespace}", {"api-version": PROVIDERS_API})
            body = self._read("providers", f"resource provider {namespace}", read)
            if self.report.stopped:
                return self.report
            if body is not None:
                self._add(provider_finding(namespace, body, sub))
        for need in needs.features:
            path = f"{base}/Microsoft.Features/providers/{need.namespace}/features/{need.name}"
            read = self.reader.get(path, {"api-version": FEATURES_API})
            # 404: a feature Resource Manager does not know; feature_finding says so.
            body = self._read("features", f"feature {need.namespace}/{need.name}", read, {})
            if self.report.stopped:
                return self.report
            if body is not None:
                self._add(feature_finding(need, body or None, sub))
        if not location:
            self.report.findings.append(
                Finding(
                    "warning",
                    "vm-sizes",
                    (
                        "no region known (azure-native:location is empty): VM sizes, vCPU quota "
                        "and the Kubernetes version were not checked"
                    ),
                )
            )
            return self.report
        self._sizes_and_quota(needs, old, base, location)
        if self.report.stopped or not needs.kubernetes_version:
            return self.report
        path = f"{base}/Microsoft.ContainerService/locations/{location}/kubernetesVersions"
        read = self.reader.get(path, {"api-version": VERSIONS_API})
        body = self._read("kubernetes-version", f"the Kubernetes versions of {location}", read)
        if body is not None:
            changed = old is None or old.kubernetes_version != needs.kubernetes_version
            self.report.findings += version_findings(
                needs.kubernetes_version,
                needs.support_plan,
                needs.existing_cluster,
                body,
                location,
                changed,
            )
        return self.report

    def _sizes_and_quota(
        self, needs: PreflightNeeds, old: PreflightNeeds | None, base: str, location: str
    ) -> None:
        params = {"api-version": SKUS_API, "$filter": f"location eq '{location}'"}
        read = self.reader.get_all(f"{base}/Microsoft.Compute/skus", params)
        skus = self._read("vm-sizes", f"the VM sizes of {location}", read)
        if skus is None:
            return
        findings, facts = sku_findings(
            needs.pools, vm_skus(skus["value"]), location, self.target.subscription
        )
        self.report.findings += findings
        path = f"{base}/Microsoft.Compute/locations/{location}/usages"
        read = self.reader.get_all(path, {"api-version": USAGES_API})
        usages = self._read("quota", f"the vCPU quota of {location}", read)
        if usages is not None:
            self.report.findings += quota_findings(
                needs.pools, self._deployed(needs, old), facts, usages["value"], location
            )

    def _deployed(self, needs: PreflightNeeds, old: PreflightNeeds | None) -> tuple[PoolNeed, ...]:
        """The stack's pools that already run (their nodes are in the usages): read from the
        cluster when its names are configured (404: none), else the last run's, from state."""
        if needs.resource_group and needs.cluster_name:
            path = (
                f"/subscriptions/{self.target.subscription}/resourceGroups/{needs.resource_group}"
                f"/providers/Microsoft.ContainerService/managedClusters/{needs.cluster_name}"
            )
            read = self.reader.get(path, {"api-version": CLUSTER_API})
            what = f"cluster {needs.cluster_name}, to count its running nodes once"
            cluster = self._read("quota", what, read, absent={})
            if cluster is not None:
                return deployed_pools(cluster, needs.pools)
        return old.pools if old else ()


def run_preflight(
    inputs: Mapping[str, Any],
    old_inputs: Mapping[str, Any] | None,
    env: Mapping[str, str],
    reader_for: Callable[[Any, AzureCloud], ArmReader] | None = None,
) -> Report:
    """The preflight for the resource's inputs (and the last run's, from state), signed in as
    azure-native would be from `env`. `reader_for(credential, cloud)`: tests point it at a
    stand-in."""
    from cloud.arm_credentials import build_credential, choose_credential, cloud_named

    cloud = cloud_named(str(inputs.get("cloud") or ""))
    choice = choose_credential(env)
    if not choice.tenant_id and inputs.get("tenant_id"):
        # azure-native's own tenant (getClientConfig), for the Azure CLI login too.
        choice = replace(choice, tenant_id=str(inputs["tenant_id"]))
    credential = build_credential(choice, env, cloud)
    reader = (reader_for or ArmReader)(credential, cloud)
    needs = PreflightNeeds.from_inputs(dict(inputs["needs"]))
    old_needs = old_inputs.get("needs") if old_inputs else None
    old = PreflightNeeds.from_inputs(dict(old_needs)) if old_needs else None
    target = Target(str(inputs["subscription_id"]), cloud, choice.description)
    try:
        return Preflight(reader, target).run(needs, old)
    finally:
        reader.close()
