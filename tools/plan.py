"""Offline plan: what `pulumi up` would create, without a cloud or the Pulumi CLI.

    python -m tools.plan [--stack dev] [--preview] [--format text|markdown|json]
                         [--manifests DIR]

Runs the real `__main__.py` with the stack's config under the Pulumi mock engine (tools.harness)
and prints the resource tree with key properties, the dependencies, an estimate of `pulumi up`
time from empty (tools.critical_path) and the stack outputs (secrets masked; an output named
like a kubeconfig is masked even if it lost its secret flag). `--format markdown` is made for
a PR comment (adds a Mermaid dependency graph and the sandbox sizing); `--manifests DIR` also
writes every Kubernetes object as YAML (tools.manifests). On a bad configuration it prints every
problem and exits 1, in every format, and writes no manifests. An unknown stack exits 2.

JSON (`--format json`), schemaVersion 1. Fields are only added within a schema version; a
removed or changed field bumps it.
    schemaVersion  1
    stack          the stack name
    preview        true when run as `pulumi preview` (values of new resources unknown)
    error          null, or the validation/program error text (then exit code 1)
    warnings       validation warnings, strings
    resources      list sorted by urn, each:
        urn, type, name, parent (urn; the stack's for top-level components)
        custom       false for components
        operation    "create", or "read" for a lookup of an existing object (`.get`)
        properties   key inputs for review, {"dotted.path": value}; secrets "[secret]"
        dependsOn    urns it waits for directly: dependencies, provider, custom parent
    outputs        {name: value}; secrets "[secret]", unknown "(known after apply)"
    sandboxSizing  the sandboxSizing stack output (snake_case fields of
                   sandboxing.sizing.SandboxSizing), or null when not available
    estimate       null on error, else:
        totalSeconds  estimated `pulumi up` time from empty
        summary       "ResourceGroup cluster-rg (10s) -> ... = ~14 min"
        criticalPath  [{urn, label, operation, seconds, start, finish}], first to last
        timeline      {urn: {seconds, start, finish}} for every resource (seconds since start)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from components.cluster_reconcile import RECONCILE_TYPE
from components.kata_runtime_class import WAIT_TYPE
from tools.critical_path import estimate, resource_waits_for
from tools.harness import OutputValue, Registered, RunResult, run_program, stack_config
from tools.manifests import write_manifests
from tools.plan_markdown import render_markdown
from tools.plan_text import render_text
from tools.recorded_values import SECRET_MASK, UNKNOWN, plain, sorted_keys

SCHEMA_VERSION = 1
FORMATS = ("text", "markdown", "json")
SIZING_OUTPUT = "sandboxSizing"

# Which inputs are worth a reviewer's eye, per resource type (dotted paths into the inputs).
KEY_PROPERTIES: dict[str, tuple[str, ...]] = {
    "azure-native:resources:ResourceGroup": ("resourceGroupName", "location"),
    "azure-native:containerservice:ManagedCluster": (
        "resourceName", "kubernetesVersion", "agentPoolProfiles", "networkProfile.networkPlugin",
        "networkProfile.networkPluginMode", "networkProfile.networkPolicy",
        "autoUpgradeProfile", "sku.tier", "aadProfile", "disableLocalAccounts",
        "apiServerAccessProfile",
    ),
    "azure-native:containerservice:AgentPool": (
        "agentPoolName", "mode", "osType", "osSKU", "vmSize", "count", "workloadRuntime",
        "orchestratorVersion", "nodeTaints",
    ),
    "kubernetes:core/v1:Namespace": ("metadata.name", "metadata.labels"),
    "kubernetes:core/v1:ServiceAccount": ("metadata.name", "automountServiceAccountToken"),
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": ("metadata.name", "spec"),
    "kubernetes:core/v1:Pod": (
        "metadata.name", "spec.runtimeClassName", "spec.containers.0.image",
        "spec.containers.0.resources.limits", "spec.tolerations",
    ),
    "kubernetes:node.k8s.io/v1:RuntimeClass": ("metadata.name",),
    RECONCILE_TYPE: ("cluster_id",),
    WAIT_TYPE: ("class_name", "handler", "timeout_seconds"),
}  # fmt: skip


def lookup(data: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        elif isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return None
    return data


def key_properties(resource: Registered) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for path in KEY_PROPERTIES.get(resource.type, ()):
        value = lookup(resource.inputs, path)
        if value is not None:
            props[path] = sorted_keys(plain(value))
    if resource.read:
        props["id"] = resource.id
    return props


def output_value(name: str, out: OutputValue) -> Any:
    # A PR comment is widely read: a kubeconfig stays masked even if a regression dropped its
    # secret flag.
    if out.secret or "kubeconfig" in name.lower():
        return SECRET_MASK
    return plain(out.value) if out.known else UNKNOWN


def build_plan(result: RunResult, stack: str, preview: bool = False) -> dict[str, Any]:
    """The plan as plain data (what every output format renders; the JSON format as is)."""
    custom = {r.urn for r in result.resources if r.custom}
    outputs = {name: output_value(name, out) for name, out in result.outputs.items()}
    sizing = outputs.get(SIZING_OUTPUT)
    return {
        "schemaVersion": SCHEMA_VERSION,
        "stack": stack,
        "preview": preview,
        "error": result.error,
        "warnings": list(result.warnings),
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
    }


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
    args = parser.parse_args(argv)
    try:
        config = stack_config(args.stack)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    result = run_program(config, stack=args.stack, preview=args.preview)
    plan = build_plan(result, args.stack, preview=args.preview)
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
