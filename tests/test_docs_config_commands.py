"""Every `pulumi config set` and stack-file list example in the README and docs/ passes the
CLI's type check.

`config set` is simulated as pulumi/pulumi v3.259.0 does it (pkg/cmd/pulumi/config/config.go
`configSetCmd.Run`, sdk/go/common/resource/config/map.go `Map.Set`): a top-level value is stored
as a string; `--path 'k[i]' v` builds a list, `v` becoming a boolean for `true`/`false` and an
integer for digits without a leading zero (`object.go` `coerce`).
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

from sandboxing.config.settings import PROJECT
from tools.harness import run_program
from tools.harness.cli_config import cli_refusal, engine_config, read_project_file
from tools.harness.stack_file import StackValue, go_json, read_stack_file, read_stack_values
from tools.repo import REPO

# The README and every page of docs/, one after the other: the commands are replayed in order.
DOCS = "\n".join(page.read_text() for page in [REPO / "README.md", *sorted(REPO.glob("docs/*.md"))])
PLACEHOLDERS = {
    "<group-object-id>": "0f4b8c4e-1a2b-4c3d-8e9f-0123456789ab",
    "<another-group-object-id>": "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
}
PATH_KEY = re.compile(r"^([^\[]+)\[(\d+)\](?:\.(\w+))?$")


def readme_commands() -> list[str]:
    found = re.findall(r"pulumi config set [^`#\n]*", DOCS)
    commands = [c.strip() for c in found if "<key>" not in c and "..." not in c]
    for placeholder, value in PLACEHOLDERS.items():
        commands = [c.replace(placeholder, value) for c in commands]
    return commands


def coerce(text: str) -> Any:
    if text in ("true", "false"):
        return text == "true"
    if re.fullmatch(r"[1-9][0-9]*|0", text):
        return int(text)
    return text


def config_set(values: dict[str, StackValue], command: str) -> None:
    args = shlex.split(command)[3:]
    path = "--path" in args
    if "--stack" in args:
        del args[args.index("--stack") : args.index("--stack") + 2]
    flags = [a for a in args if a.startswith("--")]
    assert set(flags) <= {"--path"}, f"simulate {flags} before using them in the docs"
    key, value = [a for a in args if not a.startswith("--")]
    if not path:
        values[key if ":" in key else f"{PROJECT}:{key}"] = StackValue(value)
        return
    m = PATH_KEY.match(key)
    assert m, f"only list paths are simulated: {key}"
    full, index = f"{PROJECT}:{m[1]}" if ":" not in m[1] else m[1], int(m[2])
    old = values.get(full)
    # COMPAT in object.Set: a top-level non-list value is replaced by a new list
    current: list[Any] = json.loads(old.text) if old and old.object else []
    assert index <= len(current), f"{command}: set [{len(current)}] first"
    if m[3] is None:
        current[index : index + 1] = [coerce(value)]
    else:  # `k[i].field`: a map in the list, made when `i` is one past the end
        if index == len(current):
            current.append({})
        assert isinstance(current[index], dict), f"{command}: [{index}] is not a map"
        current[index][m[3]] = coerce(value)
    values[full] = StackValue(go_json(current), object=True)


def test_the_docs_set_lists_with_path() -> None:
    commands = readme_commands()
    assert any("--path 'entraAdminGroupObjectIds[0]'" in c for c in commands)
    assert any("--path 'apiServerAuthorizedIpRanges[0]'" in c for c in commands)
    for key in ("entraAdminGroupObjectIds", "apiServerAuthorizedIpRanges"):
        assert not re.search(rf"pulumi config set {key} ", DOCS), f"{key} is a list"


def test_the_simulation_refuses_what_the_cli_refuses() -> None:
    project = read_project_file(REPO / "Pulumi.yaml")
    values = read_stack_file(REPO / "Pulumi.dev.yaml", PROJECT)
    config_set(values, """pulumi config set entraAdminGroupObjectIds '["x"]'""")
    refusal = cli_refusal("dev", project, values)
    assert refusal is not None
    assert refusal.message.endswith("'entraAdminGroupObjectIds' must be of type 'array<string>'")
    config_set(values, "pulumi config set --path 'entraAdminGroupObjectIds[0]' x")
    config_set(values, "pulumi config set enableAzureRbac True")
    refusal = cli_refusal("dev", project, values)
    assert refusal is not None
    assert refusal.message.endswith("'enableAzureRbac' must be of type 'boolean'")


def test_every_config_set_in_the_docs_passes_the_cli_type_check() -> None:
    project = read_project_file(REPO / "Pulumi.yaml")
    values = read_stack_file(REPO / "Pulumi.dev.yaml", PROJECT)
    commands = readme_commands()
    assert len(commands) >= 8
    for command in commands:
        config_set(values, command)
        refusal = cli_refusal("dev", project, values)
        assert refusal is None, f"{command}: {refusal and refusal.message}"
    ids = values[f"{PROJECT}:entraAdminGroupObjectIds"]
    assert ids == StackValue(go_json(list(PLACEHOLDERS.values())), object=True)


def test_the_docs_stack_file_lists_pass_and_deploy() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", DOCS, re.S)
    (block,) = [b for b in blocks if "entraAdminGroupObjectIds" in b]
    example = read_stack_values("\n".join(line[2:] for line in block.splitlines()), PROJECT)
    project = read_project_file(REPO / "Pulumi.yaml")
    values = {**read_stack_file(REPO / "Pulumi.dev.yaml", PROJECT), **example}
    assert cli_refusal("dev", project, values) is None
    result = run_program(engine_config(project, values))
    assert result.error is None, result.error
    cluster = result.one("azure-native:containerservice:ManagedCluster").inputs
    assert cluster["apiServerAccessProfile"]["authorizedIPRanges"] == [
        "203.0.113.0/24",
        "198.51.100.7/32",
    ]
