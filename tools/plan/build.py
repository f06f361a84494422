"""The plan as plain data: run the program on a stack config offline and record what it
would deploy (the fields are documented in tools/plan/__init__.py, the JSON format as is).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from components.cluster_reconcile import RECONCILE_TYPE
from components.kata_runtime_class import WAIT_TYPE
from components.preflight import PREFLIGHT_TYPE
from sandboxing.aks_versions import SupportWindow, current_window, use_window
from sandboxing.config.stack_config import check_stack_config
from tools.harness import CloudMocks, OutputValue, Registered, RunResult, run_program
from tools.harness.cli_config import Refusal
from tools.harness.yaml_errors import YamlFileError
from tools.plan.critical_path import estimate, resource_waits_for
from tools.plan.offline_cluster import OfflineCluster, assumed_cluster, described_cluster
from tools.plan.policy_config import policy_config_warnings
from tools.plan.preflight import preflight_entry, versions_entry
from tools.plan.problems import error_entries, refusal_entries
from tools.plan.recorded_values import SECRET_MASK, UNKNOWN, leaf_paths, lookup, plain, sorted_keys
from tools.plan.replacements import deletes_before_replace

SCHEMA_VERSION = 2
SIZING_OUTPUT = "sandboxSizing"

# Which inputs are worth a reviewer's eye, per resource type (paths into the inputs; each is
# shown leaf by leaf). A path added here shows as an added property in the next PR's diff.
KEY_PROPERTIES: dict[str, tuple[str, ...]] = {
    "azure-native:resources:ResourceGroup": ("resourceGroupName", "location"),
    "azure-native:containerservice:ManagedCluster": (
        "resourceName",
        "kubernetesVersion",
        "agentPoolProfiles",
        "networkProfile.networkPlugin",
        "networkProfile.networkPluginMode",
        "networkProfile.networkPolicy",
        "autoUpgradeProfile",
        "sku.tier",
        "supportPlan",
        "aadProfile",
        "disableLocalAccounts",
        "apiServerAccessProfile",
        "addonProfiles",
        "autoScalerProfile",
    ),
    "azure-native:containerservice:AgentPool": (
        "agentPoolName",
        "mode",
        "osType",
        "osSKU",
        "vmSize",
        "count",
        "workloadRuntime",
        "orchestratorVersion",
        "nodeTaints",
        "enableEncryptionAtHost",
        "osDiskType",
        "osDiskSizeGB",
        "enableAutoScaling",
        "minCount",
        "maxCount",
        "availabilityZones",
        "upgradeSettings",
    ),
    "azure-native:operationalinsights:Workspace": ("sku.name", "retentionInDays"),
    "azure-native:monitor:DataCollectionRule": ("kind", "dataSources.extensions[0].streams"),
    "azure-native:monitor:DataCollectionRuleAssociation": (
        "associationName",
        "resourceUri",
        "dataCollectionRuleId",
    ),
    "azure-native:monitor:DiagnosticSetting": (
        "resourceUri",
        "workspaceId",
        "logAnalyticsDestinationType",
        "logs",
    ),
    "kubernetes:core/v1:Namespace": ("metadata.name", "metadata.labels"),
    "kubernetes:core/v1:ServiceAccount": ("metadata.name", "automountServiceAccountToken"),
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": ("metadata.name", "spec"),
    "kubernetes:core/v1:Pod": (
        "metadata.name",
        "spec.runtimeClassName",
        "spec.containers[0].image",
        "spec.containers[0].resources.limits",
        "spec.tolerations",
    ),
    "kubernetes:node.k8s.io/v1:RuntimeClass": ("metadata.name",),
    "kubernetes:core/v1:LimitRange": ("metadata.name", "spec.limits"),
    "kubernetes:core/v1:ResourceQuota": ("metadata.name", "spec.hard"),
    "kubernetes:rbac.authorization.k8s.io/v1:Role": ("metadata.name",),
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": ("metadata.name", "subjects"),
    "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy": (
        "metadata.name",
        "spec.failurePolicy",
        "spec.matchConstraints",
    ),
    "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding": (
        "metadata.name",
        "spec.validationActions",
        "spec.matchResources",
    ),
    # Sandboxes on demand (agentSandbox): the controller's release and placement, the template's
    # pod, the pools' sizes.
    "kubernetes:apps/v1:Deployment": (
        "metadata.name",
        "metadata.labels",
        "spec.template.spec.containers[0].image",
        "spec.template.spec.containers[0].args",
        "spec.template.spec.containers[0].resources",
        "spec.template.spec.affinity",
    ),
    "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition": (
        "metadata.name",
        "metadata.labels",
    ),
    "kubernetes:extensions.agents.x-k8s.io/v1beta1:SandboxTemplate": (
        "metadata.name",
        "spec.podTemplate.spec.runtimeClassName",
        "spec.podTemplate.spec.nodeSelector",
        "spec.podTemplate.spec.containers[0].image",
        "spec.podTemplate.spec.containers[0].resources.limits",
        "spec.networkPolicy",
    ),
    "kubernetes:extensions.agents.x-k8s.io/v1beta1:SandboxWarmPool": (
        "metadata.name",
        "spec.replicas",
        "spec.sandboxTemplateRef.name",
        "spec.updateStrategy.type",
    ),
    # What it checks is the plan's `preflight` field; its inputs would repeat every pool change.
    PREFLIGHT_TYPE: ("cloud",),
    RECONCILE_TYPE: ("cluster_id", "cloud"),
    WAIT_TYPE: ("class_name", "handler", "timeout_seconds"),
}


def key_properties(resource: Registered) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for path in KEY_PROPERTIES.get(resource.type, ()):
        value = lookup(resource.inputs, path)
        if value is not None:
            props.update(leaf_paths(sorted_keys(plain(value)), path))
    if resource.read:
        props["id"] = resource.id
    return props


def replacement_facts(resource: Registered) -> dict[str, Any]:
    """What decides how a replacement spreads (tools.plan.cascade): the provider, the
    replace_with and replace_on_changes options, where each input's value comes from, and
    whether Pulumi deletes the resource before creating its replacement."""
    provider = str(resource.options.get("provider") or "").rsplit("::", 1)[0]
    return {
        "provider": provider if "::" in provider else "",
        "replaceWith": sorted(resource.options.get("replaceWith") or []),
        "replaceOnChanges": list(resource.options.get("replaceOnChanges") or []),
        "inputsFrom": {
            key: sorted(urns)
            for key, urns in sorted(resource.property_dependencies.items())
            if urns
        },
        "deleteBeforeReplace": resource.custom
        and deletes_before_replace(resource.type, resource.inputs),
    }


def output_value(name: str, out: OutputValue) -> Any:
    # A PR comment is widely read: a kubeconfig stays masked even if a regression dropped its
    # secret flag.
    if out.secret or "kubeconfig" in name.lower():
        return SECRET_MASK
    return plain(out.value) if out.known else UNKNOWN


def build_plan(
    result: RunResult,
    stack: str,
    preview: bool = False,
    existing_cluster: OfflineCluster | None = None,
) -> dict[str, Any]:
    """The plan as plain data (what every output format renders; the JSON format as is)."""
    custom = {r.urn for r in result.resources if r.custom}
    outputs = {name: output_value(name, out) for name, out in result.outputs.items()}
    sizing = outputs.get(SIZING_OUTPUT)
    return {
        "schemaVersion": SCHEMA_VERSION,
        "stack": stack,
        "preview": preview,
        "error": error_entries(result.error, result.problems),
        "errorSummary": result.error,
        "warnings": list(result.warnings),
        "existingCluster": existing_cluster.describe() if existing_cluster else None,
        "resources": [
            {
                "urn": r.urn,
                "type": r.type,
                "name": r.name,
                "parent": r.parent,
                "custom": r.custom,
                "operation": "read" if r.read else "create",
                "properties": key_properties(r),
                "dependsOn": sorted(set(resource_waits_for(r, custom))),
                # Inputs a later `pulumi up` leaves alone (an autoscaled pool's count).
                "ignoreChanges": sorted(r.options.get("ignoreChanges") or []),
                # URNs it had before a move: the diff matches it with the base's by them.
                "aliases": sorted(r.options.get("aliases") or []),
                **replacement_facts(r),
            }
            for r in sorted(result.resources, key=lambda r: r.urn)
        ],
        "outputs": outputs,
        SIZING_OUTPUT: sizing if isinstance(sizing, dict) else None,
        "estimate": None if result.error else estimate(result.resources).as_dict(),
        "diff": None,
        "preflight": preflight_entry(result),
        "kubernetesVersions": versions_entry(current_window()),
        "stackFileNotes": [],
        "policyConfig": None,
    }


def unreadable_stack_plan(stack: str, preview: bool, error: YamlFileError) -> dict[str, Any]:
    """The plan of a stack file the Pulumi CLI cannot read: its problems, nothing planned."""
    plan = build_plan(RunResult([], [], {}, [], error.text()), stack, preview)
    plan["error"] = error.entries()
    return plan


def plan_stack(
    config: dict[str, str],
    stack: str,
    preview: bool = False,
    existing_cluster_file: Path | None = None,
    refusal: Refusal | None = None,
    versions: SupportWindow | None = None,
) -> tuple[RunResult, dict[str, Any]]:
    """Run the program on a stack config offline; ValueError for a bad cluster file.

    With a `refusal` (the CLI's type check fails) nothing is planned, as the CLI never runs the
    program, but the program's own checks still report every problem with the other keys.
    `versions`: check against this list of Kubernetes versions instead of the dated one.
    """
    with use_window(versions or current_window()):
        return _plan_stack(config, stack, preview, existing_cluster_file, refusal)


def _plan_stack(
    config: dict[str, str],
    stack: str,
    preview: bool,
    existing_cluster_file: Path | None,
    refusal: Refusal | None,
) -> tuple[RunResult, dict[str, Any]]:
    full_config = config
    if refusal:
        config = refusal.without(config)
    settings, _ = check_stack_config(config)
    if existing_cluster_file and not settings.existing_cluster:
        raise ValueError(
            f"--existing-cluster {existing_cluster_file}: stack '{stack}' creates its cluster "
            f"(clusterMode {settings.cluster_mode}), so there is no existing cluster to describe; "
            "drop the option, or set clusterMode: existing"
        )
    cluster = None
    if settings.existing_cluster:
        cluster = (
            described_cluster(settings, existing_cluster_file)
            if existing_cluster_file
            else assumed_cluster(settings)
        )
    mocks = CloudMocks(cluster.mock_clusters() if cluster else None, preview=preview)
    result = run_program(config, stack=stack, preview=preview, mocks=mocks)
    if not refusal:
        plan = build_plan(result, stack, preview, cluster)
        if not result.error:
            plan["policyConfig"], found = policy_config_warnings(result, stack)
            plan["warnings"] += found
        return result, plan
    program_error, problems = result.error, result.problems
    result = RunResult([], [], {}, result.warnings, refusal.report(program_error))
    plan = build_plan(result, stack, preview, cluster)
    plan["error"] = refusal_entries(refusal, full_config) + error_entries(program_error, problems)
    return result, plan
