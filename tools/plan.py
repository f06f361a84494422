"""Offline plan: what `pulumi up` would create, without a cloud or the Pulumi CLI.

    python -m tools.plan [--stack dev] [--preview]

Runs the real `__main__.py` with the stack's config under the Pulumi mock engine (tools.harness)
and prints the resource tree with key properties, the dependencies and the stack outputs
(secrets masked). Exits 1 with the validation errors on a bad configuration.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tools.harness import Registered, RunResult, run_program, stack_config

SECRET_MASK = "[secret]"
UNKNOWN = "(known after apply)"

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


def short(urn: str) -> str:
    """`type::name` of a URN, the way reviewers recognise a resource."""
    parts = urn.split("::")
    return f"{parts[2].split('$')[-1]}::{parts[3]}" if len(parts) >= 4 else urn


def key_properties(resource: Registered) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for path in KEY_PROPERTIES.get(resource.type, ()):
        value = lookup(resource.inputs, path)
        if value is not None:
            props[path] = value
    if resource.read:
        props["id"] = resource.id
    return props


def resource_waits_for(resource: Registered) -> list[str]:
    """Direct dependencies, including the provider a resource is sent through."""
    deps = list(resource.dependencies)
    provider = resource.options.get("provider", "")
    if provider:
        deps.append(provider.rsplit("::", 1)[0])
    return deps


def build_plan(result: RunResult, stack: str) -> dict[str, Any]:
    """The plan as plain data (what every output format renders)."""
    outputs = {}
    for name, out in result.outputs.items():
        outputs[name] = SECRET_MASK if out.secret else (out.value if out.known else UNKNOWN)
    return {
        "stack": stack,
        "error": result.error,
        "warnings": list(result.warnings),
        "resources": [
            {
                "urn": r.urn,
                "type": r.type,
                "name": r.name,
                "parent": r.parent,
                "operation": "read" if r.read else "create",
                "properties": key_properties(r),
                "dependsOn": sorted(set(resource_waits_for(r))),
            }
            for r in result.resources
        ],
        "outputs": outputs,
    }


def _format_value(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 140 else text[:137] + "..."


def render_text(plan: dict[str, Any]) -> str:
    lines = [f"Offline plan for stack '{plan['stack']}' (Pulumi mock engine, no cloud calls)"]
    if plan["error"]:
        lines += ["", "ERROR: the program stopped before deploying anything:", plan["error"]]
        return "\n".join(lines)
    for warning in plan["warnings"]:
        lines.append(f"warning: {warning}")
    children: dict[str, list[dict[str, Any]]] = {}
    urns = {r["urn"] for r in plan["resources"]}
    for r in plan["resources"]:
        parent = r["parent"] if r["parent"] in urns else ""
        children.setdefault(parent, []).append(r)

    lines += ["", "Resources (+ create, > read):"]

    def walk(parent: str, depth: int) -> None:
        for r in sorted(children.get(parent, []), key=lambda x: (x["type"], x["name"])):
            mark = ">" if r["operation"] == "read" else "+"
            lines.append(f"{'    ' * depth}{mark} {r['type']}  {r['name']}")
            pad = "    " * depth + "      "
            for key, value in r["properties"].items():
                lines.append(f"{pad}{key}: {_format_value(value)}")
            if r["dependsOn"]:
                lines.append(f"{pad}waits for: {', '.join(short(d) for d in r['dependsOn'])}")
            walk(r["urn"], depth + 1)

    walk("", 0)
    lines += ["", "Outputs:"]
    for name, value in plan["outputs"].items():
        lines.append(f"    {name}: {_format_value(value)}")
    return "\n".join(lines)


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
    args = parser.parse_args(argv)
    try:
        config = stack_config(args.stack)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    result = run_program(config, stack=args.stack, preview=args.preview)
    plan = build_plan(result, args.stack)
    print(render_text(plan))
    return 1 if result.error else 0


if __name__ == "__main__":
    sys.exit(main())
