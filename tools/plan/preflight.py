"""The offline plan's word on the subscription preflight and the Kubernetes versions it used.

Offline there is no Azure: the preflight (components/preflight.py) does not run, and the plan
says so in every format ("preflight: skipped offline") with what `pulumi preview` will check,
read from the preflight resource's inputs as the program registered them. The versions the
config was checked against are the dated list, or the `--aks-versions` file.
"""

from __future__ import annotations

from typing import Any

from components.preflight import PREFLIGHT_TYPE
from sandboxing.aks_versions import SupportWindow
from tools.harness import RunResult

SKIPPED = "skipped offline"
OFF = "off (preflight: false)"


def preflight_entry(result: RunResult) -> dict[str, Any]:
    """The plan's `preflight` field: its status and what `pulumi preview` checks."""
    found = [r for r in result.resources if r.type == PREFLIGHT_TYPE]
    if not found:
        return {"status": OFF if not result.error else "not reached", "checks": []}
    needs = found[0].inputs.get("needs") or {}
    region = needs.get("location") or "(no region)"
    checks = [f"resource providers registered: {', '.join(needs.get('providers') or [])}"]
    for feature in needs.get("features") or []:
        kind = "required" if feature.get("required") else "a warning if missing"
        checks.append(f"feature {feature['namespace']}/{feature['name']} registered ({kind})")
    for pool in needs.get("pools") or []:
        checks.append(
            f"{pool['key']} {pool['vm_size']} offered in {region} without restriction, and vCPU "
            f"quota (its family and the regional total) for {int(pool['nodes'])} node(s)"
        )
    if needs.get("kubernetes_version"):
        checks.append(
            f"Kubernetes {needs['kubernetes_version']} offered in {region} "
            f"(supportPlan {needs.get('support_plan')})"
        )
    return {"status": SKIPPED, "checks": checks}


def versions_entry(window: SupportWindow) -> dict[str, Any]:
    """The plan's `kubernetesVersions` field."""
    return window.describe()


def preflight_lines(plan: dict[str, Any]) -> list[str]:
    """Text lines (Markdown-safe) for the headline of the text and Markdown formats."""
    lines = []
    versions = plan.get("kubernetesVersions")
    if versions:
        lines.append(f"Kubernetes versions checked against: {versions['source']}")
    preflight = plan.get("preflight") or {}
    if preflight.get("status") == SKIPPED:
        lines.append(
            "preflight: skipped offline (no Azure here); `pulumi preview` and `pulumi up` check "
            "first:"
        )
        lines += [f"  - {check}" for check in preflight.get("checks") or []]
    elif preflight:
        lines.append(f"preflight: {preflight['status']}")
    return lines
