"""Offline plan: what `pulumi up` would create, without a cloud or the Pulumi CLI.

    python -m tools.plan [--stack dev] [--preview] [--format text|markdown|json]
                         [--manifests DIR] [--existing-cluster FILE.json]
                         [--diff-against PLAN.json]

Runs the real `__main__.py` with the stack's config under the Pulumi mock engine (tools.harness)
and prints the resource tree with key properties, the dependencies, an estimate of `pulumi up`
time from empty (tools.critical_path) and the stack outputs (secrets masked; an output named
like a kubeconfig is masked even if it lost its secret flag). `--format markdown` is made for
a PR comment (adds a Mermaid dependency graph and the sandbox sizing); `--manifests DIR` also
writes every Kubernetes object as YAML (tools.manifests). `--preview` runs as `pulumi preview`:
values not known before apply show as "(known after apply)". A `clusterMode: existing` stack is
checked against an assumed cluster, or the one `--existing-cluster FILE.json` describes
(tools.offline_cluster). `--diff-against PLAN.json` (a JSON plan, e.g. of the base branch)
adds what changed (tools.plan_diff). On a bad configuration it prints every problem and exits 1,
in every format, and writes no manifests: first, as the Pulumi CLI would, the first value
whose type Pulumi.yaml refuses (tools.cli_config), then the program's own list for the other
keys. An unknown stack or a bad option file exits 2.

JSON (`--format json`), schemaVersion 2. Fields are only added within a schema version; a
removed or changed field bumps it (2: properties as leaf paths, error as a list).
    schemaVersion  2
    stack          the stack name
    preview        true when run as `pulumi preview` (values of new resources unknown)
    error          [] or the problems that stopped the program (then exit code 1), each
                   {key, value, message}; key and value are null for an error that is not
                   about one config key
    errorSummary   null, or the error text as the program reports it
    warnings       validation warnings, strings
    existingCluster  null for a new cluster, else the cluster checked against: {source
                   ("assumed" or the file), assumed, resourceGroupName, clusterName,
                   kubernetesVersion, pools (names), entra}
    resources      list sorted by urn, each:
        urn, type, name, parent (urn; the stack's for top-level components)
        custom       false for components
        operation    "create", or "read" for a lookup of an existing object (`.get`)
        properties   key inputs for review, one per leaf: {"agentPoolProfiles[0].vmSize": value};
                     an empty object/list is a leaf; secrets "[secret]", unknown
                     "(known after apply)"
        dependsOn    urns it waits for directly: dependencies, provider, custom parent
    outputs        {name: value}; secrets "[secret]", unknown "(known after apply)"
    sandboxSizing  the sandboxSizing stack output (snake_case fields of
                   sandboxing.sizing.SandboxSizing), or null when not available
    estimate       null on error, else:
        totalSeconds  estimated `pulumi up` time from empty
        summary       "ResourceGroup cluster-rg (10s) -> ... = ~14 min"
        criticalPath  [{urn, label, operation, seconds, start, finish}], first to last
        timeline      {urn: {seconds, start, finish}} for every resource (seconds since start)
    diff           null without --diff-against, else (tools.plan_diff):
        baseStack, baseFailed (the base plan had an error), summary (one line)
        added, removed  [{urn, type, name}] of custom resources
        changed    [{urn, type, name, effect, properties}]; effect "update", "replace" or
                   "refused" (an update Azure refuses); properties [{path, change ("modified",
                   "added", "removed"), old, new, effect, reason}]
        outputs    [{path, change, old, new}] of the stack outputs, by leaf path
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from components.cluster_reconcile import RECONCILE_TYPE
from components.kata_runtime_class import WAIT_TYPE
from sandboxing.contract import Problem
from sandboxing.stack_config import check_stack_config
from tools.cli_config import Refusal
from tools.critical_path import estimate, resource_waits_for
from tools.harness import (
    CloudMocks,
    OutputValue,
    Registered,
    RunResult,
    run_program,
    stack_config,
    stack_refusal,
)
from tools.manifests import write_manifests
from tools.offline_cluster import OfflineCluster, assumed_cluster, described_cluster
from tools.plan_diff import diff_plans
from tools.plan_markdown import render_markdown
from tools.plan_problems import error_entries, expected_errors, refusal_entries
from tools.plan_text import render_text
from tools.recorded_values import SECRET_MASK, UNKNOWN, leaf_paths, lookup, plain, sorted_keys

SCHEMA_VERSION = 2
FORMATS = ("text", "markdown", "json")
SIZING_OUTPUT = "sandboxSizing"

# Which inputs are worth a reviewer's eye, per resource type (paths into the inputs; each is
# shown leaf by leaf). A path added here shows as an added property in the next PR's diff.
KEY_PROPERTIES: dict[str, tuple[str, ...]] = {
    "azure-native:resources:ResourceGroup": ("resourceGroupName", "location"),
    "azure-native:containerservice:ManagedCluster": (
        "resourceName", "kubernetesVersion", "agentPoolProfiles", "networkProfile.networkPlugin",
        "networkProfile.networkPluginMode", "networkProfile.networkPolicy",
        "autoUpgradeProfile", "sku.tier", "aadProfile", "disableLocalAccounts",
        "apiServerAccessProfile", "addonProfiles",
    ),
    "azure-native:containerservice:AgentPool": (
        "agentPoolName", "mode", "osType", "osSKU", "vmSize", "count", "workloadRuntime",
        "orchestratorVersion", "nodeTaints", "enableEncryptionAtHost", "osDiskType",
        "osDiskSizeGB",
    ),
    "azure-native:operationalinsights:Workspace": ("sku.name", "retentionInDays"),
    "azure-native:monitor:DataCollectionRule": ("kind", "dataSources.extensions[0].streams"),
    "azure-native:monitor:DataCollectionRuleAssociation": (
        "associationName", "resourceUri", "dataCollectionRuleId",
    ),
    "azure-native:monitor:DiagnosticSetting": (
        "resourceUri", "workspaceId", "logAnalyticsDestinationType", "logs",
    ),
    "kubernetes:core/v1:Namespace": ("metadata.name", "metadata.labels"),
    "kubernetes:core/v1:ServiceAccount": ("metadata.name", "automountServiceAccountToken"),
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": ("metadata.name", "spec"),
    "kubernetes:core/v1:Pod": (
        "metadata.name", "spec.runtimeClassName", "spec.containers[0].image",
        "spec.containers[0].resources.limits", "spec.tolerations",
    ),
    "kubernetes:node.k8s.io/v1:RuntimeClass": ("metadata.name",),
    RECONCILE_TYPE: ("cluster_id",),
    WAIT_TYPE: ("class_name", "handler", "timeout_seconds"),
}  # fmt: skip


def key_properties(resource: Registered) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for path in KEY_PROPERTIES.get(resource.type, ()):
        value = lookup(resource.inputs, path)
        if value is not None:
            props.update(leaf_paths(sorted_keys(plain(value)), path))
    if resource.read:
        props["id"] = resource.id
    return props


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
    problems: list[Problem] | None = None,
    existing_cluster: OfflineCluster | None = None,
) -> dict[str, Any]:
    """The plan as plain data (what every output format renders; the JSON format as is).

    `problems`: the errors the pure checks expect for this config (tools.plan_problems); they
    become the `error` list when they are what stopped the program.
    """
    custom = {r.urn for r in result.resources if r.custom}
    outputs = {name: output_value(name, out) for name, out in result.outputs.items()}
    sizing = outputs.get(SIZING_OUTPUT)
    return {
        "schemaVersion": SCHEMA_VERSION,
        "stack": stack,
        "preview": preview,
        "error": error_entries(result.error, problems or []),
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
            }
            for r in sorted(result.resources, key=lambda r: r.urn)
        ],
        "outputs": outputs,
        SIZING_OUTPUT: sizing if isinstance(sizing, dict) else None,
        "estimate": None if result.error else estimate(result.resources).as_dict(),
        "diff": None,
    }


def plan_stack(
    config: dict[str, str],
    stack: str,
    preview: bool = False,
    existing_cluster_file: Path | None = None,
    refusal: Refusal | None = None,
) -> tuple[RunResult, dict[str, Any]]:
    """Run the program on a stack config offline; ValueError for a bad cluster file.

    With a `refusal` (the CLI's type check fails) nothing is planned, as the CLI never runs the
    program, but the program's own checks still report every problem with the other keys.
    """
    full_config = config
    if refusal:
        config = refusal.without(config)
    settings, _ = check_stack_config(config)
    cluster = None
    if settings.existing_cluster:
        cluster = (
            described_cluster(settings, existing_cluster_file)
            if existing_cluster_file
            else assumed_cluster(settings)
        )
    mocks = CloudMocks(cluster.mock_clusters() if cluster else None, preview=preview)
    result = run_program(config, stack=stack, preview=preview, mocks=mocks)
    problems = expected_errors(config, stack, cluster.state() if cluster else None)
    if not refusal:
        return result, build_plan(result, stack, preview, problems, cluster)
    program_error = result.error
    result = RunResult([], [], {}, result.warnings, refusal.report(program_error))
    plan = build_plan(result, stack, preview, [], cluster)
    plan["error"] = refusal_entries(refusal, full_config) + error_entries(program_error, problems)
    return result, plan


def load_plan(path: Path) -> dict[str, Any]:
    """A JSON plan written by `--format json` (any schema version); ValueError if it is not."""
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"--diff-against {path}: {exc}") from exc
    if not isinstance(data, dict) or "schemaVersion" not in data:
        raise ValueError(f"--diff-against {path}: not a JSON plan of python -m tools.plan")
    return data


def render_json(plan: dict[str, Any]) -> str:
    return json.dumps(plan, indent=2)


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.plan", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--stack", default="dev", help="stack whose Pulumi.<stack>.yaml to use")
    parser.add_argument(
        "--preview",
        action="store_true",
        help="run as `pulumi preview` would (values of new resources unknown)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="text (default), markdown, json"
    )
    parser.add_argument(
        "--manifests",
        type=Path,
        metavar="DIR",
        help="also write each Kubernetes object as YAML into DIR (replaces numbered *.yaml)",
    )
    parser.add_argument(
        "--existing-cluster",
        type=Path,
        metavar="FILE.json",
        help="clusterMode existing: check against this description of the cluster "
        '({"kubernetesVersion": "1.31.2", "pools": ["nodepool1"], "entra": false}) '
        "instead of an assumed one",
    )
    parser.add_argument(
        "--diff-against",
        type=Path,
        metavar="PLAN.json",
        help="also show what changed against this JSON plan (e.g. the base branch's)",
    )
    args = parser.parse_args(argv)
    try:
        config = stack_config(args.stack)
        refusal = stack_refusal(args.stack)
        base = load_plan(args.diff_against) if args.diff_against else None
        result, plan = plan_stack(config, args.stack, args.preview, args.existing_cluster, refusal)
    except (FileNotFoundError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    if base is not None:
        plan["diff"] = diff_plans(base, plan)
    print(RENDERERS[args.format](plan))
    if result.error:
        return 1
    if args.manifests is not None:
        written = write_manifests(result, args.manifests, args.stack)
        # stderr: stdout stays the plan alone (JSON must parse).
        print(f"wrote {len(written)} manifests to {args.manifests}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
