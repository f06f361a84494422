"""`python -m tools.plan`: options, the output formats, exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import tools.plan
from sandboxing.aks_versions import SupportWindow, window_from_get_versions
from tools.harness import read_stack
from tools.plan.build import plan_stack
from tools.plan.diff import diff_plans
from tools.plan.manifests import write_manifests
from tools.plan.markdown import render_markdown
from tools.plan.text import render_text

FORMATS = ("text", "markdown", "json")


def load_plan(path: Path) -> dict[str, Any]:
    """A JSON plan written by `--format json` (any schema version); ValueError if it is not."""
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"--diff-against {path}: {exc}") from exc
    if not isinstance(data, dict) or "schemaVersion" not in data:
        raise ValueError(f"--diff-against {path}: not a JSON plan of python -m tools.plan")
    return data


def load_versions(path: Path) -> SupportWindow:
    """The Kubernetes versions of `az aks get-versions -o json`; ValueError if it is not that."""
    try:
        data = json.loads(path.read_text())
        return window_from_get_versions(data, f"{path} (az aks get-versions), not the dated list")
    except (OSError, json.JSONDecodeError, ValueError) as exc:
        raise ValueError(f"--aks-versions {path}: {exc}") from exc


def render_json(plan: dict[str, Any]) -> str:
    return json.dumps(plan, indent=2)


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.plan", description=(tools.plan.__doc__ or "").split("\n")[0]
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
        "--aks-versions",
        type=Path,
        metavar="FILE.json",
        help="check kubernetesVersion against this list instead of the program's dated one: "
        "what `az aks get-versions --location <region> -o json` prints",
    )
    parser.add_argument(
        "--diff-against",
        type=Path,
        metavar="PLAN.json",
        help="also show what changed against this JSON plan (e.g. the base branch's)",
    )
    args = parser.parse_args(argv)
    try:
        config, refusal = read_stack(args.stack)
        base = load_plan(args.diff_against) if args.diff_against else None
        versions = load_versions(args.aks_versions) if args.aks_versions else None
        result, plan = plan_stack(
            config, args.stack, args.preview, args.existing_cluster, refusal, versions
        )
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
