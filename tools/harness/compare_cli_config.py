"""Compare what the real Pulumi CLI reads from a stack with what the offline model reads.

`tools.harness.cli_config` and `stack_file` model how the CLI turns `Pulumi.yaml` and the stack
file into the config the program receives; the offline plan and the tests rely on that model.
The CLI's own answer is `pulumi config --stack <stack> --json` (pulumi/pulumi v3.259.0
pkg/cmd/pulumi/config/config.go `configValueJSON`: every fully qualified key, project defaults
included, as {"value": text, "objectValue": parsed JSON for lists and maps, "secret": bool}; a
secret's value is left out without --show-secrets). The e2e workflow saves that answer and runs

    python -m tools.harness.compare_cli_config --stack e2e config.json

which exits 1 on any difference, so the model gets a real reference wherever a CLI runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tools.harness.engine import stack_config
from tools.repo import REPO


def differences(cli: dict[str, Any], model: dict[str, str]) -> list[str]:
    """One line per key whose value differs between the CLI's JSON and the model's config."""
    found = []
    for key in sorted(set(cli) | set(model)):
        if key not in model:
            found.append(f"{key}: the CLI has it, the offline model does not")
            continue
        if key not in cli:
            found.append(f"{key}: the offline model has {model[key]!r}, the CLI does not")
            continue
        entry = cli[key]
        if entry.get("secret") and "value" not in entry:
            continue  # a secret without --show-secrets: only its presence can be compared
        if "objectValue" in entry:
            try:
                same = json.loads(model[key]) == entry["objectValue"]
            except json.JSONDecodeError:
                same = False
            shown = json.dumps(entry["objectValue"])
        else:
            same = model[key] == entry.get("value")
            shown = repr(entry.get("value"))
        if not same:
            found.append(f"{key}: the CLI reads {shown}, the offline model {model[key]!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.harness.compare_cli_config",
        description="Compare `pulumi config --stack STACK --json` (the real CLI) with the config "
        "the offline plan reads from the same stack file. Exit 0: the same; 1: different "
        "(each difference printed); 2: the JSON file cannot be read.",
    )
    parser.add_argument("cli_json", type=Path, help="the saved output of pulumi config --json")
    parser.add_argument("--stack", default="dev", help="the stack (default: dev)")
    parser.add_argument("--stack-dir", type=Path, default=REPO, help="where Pulumi.<stack>.yaml is")
    args = parser.parse_args(argv)
    try:
        cli = json.loads(args.cli_json.read_text())
    except (OSError, json.JSONDecodeError) as error:
        print(f"cannot read {args.cli_json}: {error}", file=sys.stderr)
        return 2
    found = differences(cli, stack_config(args.stack, args.stack_dir))
    for line in found:
        print(line)
    if not found:
        print(
            f"the offline model reads stack {args.stack} as the Pulumi CLI does ({len(cli)} keys)"
        )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
