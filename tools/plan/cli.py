"""`python -m tools.plan`: options, the output formats, exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import tools.plan
from sandboxing.aks_versions import SupportWindow, window_from_get_versions
from tools.harness import read_stack, stack_notes
from tools.harness.yaml_errors import YamlFileError
from tools.plan.build import plan_stack, unreadable_stack_plan
from tools.plan.diff import diff_plans, refused_changes
from tools.plan.manifests import ManifestsError, check_directory, foreign_files, write_manifests
from tools.plan.markdown import render_markdown
from tools.plan.text import render_text

FORMATS = ("text", "markdown", "json")

# Exit codes (docs/offline-plan.md repeats them).
PLANNED = 0
PLAN_FAILED = 1
CANNOT_PLAN = 2
REFUSED_CHANGES = 3

EPILOG = f"""\
exit codes:
  {PLANNED}  planned; with --diff-against, whether or not anything changes
  {PLAN_FAILED}  the plan failed: a configuration problem, or a stack file the Pulumi CLI
     cannot read. Every problem is printed, in the chosen format, and nothing else: no
     resources, no changes, no manifests
  {CANNOT_PLAN}  nothing was planned: unknown stack, an option that does not apply, an
     unreadable --existing-cluster or --diff-against file, --manifests not a directory
  {REFUSED_CHANGES}  with --fail-on-refused: the plan works, but the diff holds a change Azure
     refuses (e.g. a new VM size for an existing pool)
"""


def load_plan(path: Path) -> dict[str, Any]:
    """A JSON plan written by `--format json` (any schema version); ValueError if it is not."""
    remedy = "write one with: python -m tools.plan --stack <stack> --format json > plan.json"
    try:
        text = path.read_text()
    except OSError as exc:
        raise ValueError(f"--diff-against {path}: cannot read it ({exc.strerror})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"--diff-against {path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            f"it must be a JSON plan: {remedy}"
        ) from exc
    if not isinstance(data, dict) or "schemaVersion" not in data:
        raise ValueError(
            f"--diff-against {path}: not a JSON plan of python -m tools.plan; {remedy}"
        )
    return data


def load_versions(path: Path) -> SupportWindow:
    """The Kubernetes versions of `az aks get-versions -o json`; ValueError if it is not that."""
    try:
        data = json.loads(path.read_text())
        return window_from_get_versions(data, f"{path} (az aks get-versions), not the dated list")
    except (OSError, json.JSONDecodeError, ValueError) as exc:
        raise ValueError(f"--aks-versions {path}: {exc}") from exc


def _notes(stack: str) -> list[str]:
    """The stack file's notes; none when `read_stack` was pointed at another directory (tests)."""
    try:
        return stack_notes(stack)
    except FileNotFoundError:
        return []


def render_json(plan: dict[str, Any]) -> str:
    return json.dumps(plan, indent=2)


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(
        prog="python -m tools.plan",
        description=(tools.plan.__doc__ or "").split("\n")[0],
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    found.add_argument(
        "--stack", default="dev", help="stack whose Pulumi.<stack>.yaml to use (default: dev)"
    )
    found.add_argument(
        "--preview",
        action="store_true",
        help="run as `pulumi preview` would (values of new resources unknown); default: as "
        "`pulumi up`",
    )
    found.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default); markdown, for a pull-request comment; json, for scripts",
    )
    found.add_argument(
        "--manifests",
        type=Path,
        metavar="DIR",
        help="also write each Kubernetes object as YAML into DIR (created if missing); files "
        "an earlier run wrote there are replaced, no other file is touched",
    )
    found.add_argument(
        "--existing-cluster",
        type=Path,
        metavar="FILE.json",
        help="clusterMode existing only: check against this description of the cluster "
        '({"kubernetesVersion": "1.31.2", "pools": ["nodepool1"], "entra": false}) '
        "instead of an assumed one",
    )
    found.add_argument(
        "--aks-versions",
        type=Path,
        metavar="FILE.json",
        help="check kubernetesVersion against this list instead of the program's dated one: "
        "what `az aks get-versions --location <region> -o json` prints",
    )
    found.add_argument(
        "--diff-against",
        type=Path,
        metavar="PLAN.json",
        help="also show what changed against this JSON plan (e.g. the base branch's)",
    )
    found.add_argument(
        "--fail-on-refused",
        action="store_true",
        help=f"with --diff-against: exit {REFUSED_CHANGES} when a change is one Azure refuses",
    )
    return found


def main(argv: list[str] | None = None) -> int:
    options = parser()
    args = options.parse_args(argv)
    if args.fail_on_refused and args.diff_against is None:
        options.error("--fail-on-refused needs --diff-against PLAN.json")
    try:
        if args.manifests is not None:
            check_directory(args.manifests)
        base = load_plan(args.diff_against) if args.diff_against else None
        try:
            config, refusal = read_stack(args.stack)
            notes = _notes(args.stack)
        except YamlFileError as exc:
            plan = unreadable_stack_plan(args.stack, args.preview, exc)
            if base is not None:
                plan["diff"] = diff_plans(base, plan)
            print(RENDERERS[args.format](plan))
            return PLAN_FAILED
        versions = load_versions(args.aks_versions) if args.aks_versions else None
        result, plan = plan_stack(
            config, args.stack, args.preview, args.existing_cluster, refusal, versions
        )
    except (FileNotFoundError, ValueError, ManifestsError) as exc:
        print(f"python -m tools.plan: {exc}", file=sys.stderr)
        return CANNOT_PLAN
    plan["stackFileNotes"] = notes
    if base is not None:
        plan["diff"] = diff_plans(base, plan)
    print(RENDERERS[args.format](plan))
    if result.error:
        return PLAN_FAILED
    if args.manifests is not None:
        try:
            written = write_manifests(result, args.manifests, args.stack)
        except ManifestsError as exc:
            print(f"python -m tools.plan: {exc}", file=sys.stderr)
            return CANNOT_PLAN
        # stderr: stdout stays the plan alone (JSON must parse).
        print(f"wrote {len(written)} manifests to {args.manifests}", file=sys.stderr)
        if foreign := foreign_files(args.manifests):
            names = ", ".join(p.name for p in foreign[:3]) + (", ..." if len(foreign) > 3 else "")
            print(
                f"note: {args.manifests} also holds {len(foreign)} file(s) this command did not "
                f"write ({names}); `kubectl apply -f {args.manifests}` would apply them too",
                file=sys.stderr,
            )
    if args.fail_on_refused and plan["diff"] and refused_changes(plan["diff"]):
        return REFUSED_CHANGES
    return PLANNED
