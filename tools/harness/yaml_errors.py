"""YAML a stack file cannot be read from, reported with file, line, column and the fix.

The Pulumi CLI reads stack files with gopkg.in/yaml.v3 (v3.0.1; pulumi/pulumi v3.259.0
`sdk/go/common/encoding/marshal.go` `yamlMarshaler.Unmarshal`), a Go port of libyaml; PyYAML's
CSafeLoader is libyaml itself, so the problems and their marks are the same ones. The CLI itself
names no file and no column (go-yaml v3.0.1 `decode.go` `parser.fail`: "yaml: line N: <problem>",
N taken from libyaml's context mark, else its problem mark, one added for scanner errors), and
wraps a syntax error as "invalid YAML file: ..." (marshal.go); `pulumi preview`/`up` prefix
"getting stack configuration: " (`pkg/cmd/pulumi/operations/preview.go`, `up.go`).

Duplicate keys: yaml.v3 refuses them in every mapping it decodes (`decode.go` `d.mapping`, with
`uniqueKeys` on since `newDecoder`): "line 3: mapping key "x" already defined at line 2", as a
`*yaml.TypeError` ("yaml: unmarshal errors:\\n  ...", `yaml.go` `TypeError.Error`) that Pulumi
returns without the "invalid YAML file" prefix. Keys compare by kind and raw text, before any
namespacing; a mapping with duplicates is not decoded further, so its nested mappings are not
checked. PyYAML keeps the last value silently, so the check is made here on the composed nodes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

CLI_PREFIX = "error: getting stack configuration: "

# libyaml's problem -> what to do about it (the line and column say where).
FIXES: dict[str, str] = {
    "mapping values are not allowed in this context": (
        "a plain value cannot contain ': ': quote the value (\"...\"), or indent the line under "
        "its key"
    ),
    "could not find expected ':'": (
        "every entry is `key: value`: add the colon, or join a value that runs on over lines "
        "(quote it)"
    ),
    "found character that cannot start any token": (
        "indent with spaces, not tabs, and quote a value that starts with @ or `"
    ),
    "did not find expected key": (
        "indent this line like the keys above it (the same number of spaces)"
    ),
    "did not find expected '-' indicator": "indent this list item like the items above it",
    "block sequence entries are not allowed in this context": (
        "put list items on their own lines under the key, each `- item`, or write [a, b]"
    ),
    "found unexpected end of stream": "close the quote the value opens",
    "did not find expected node content": "write the missing value, or remove the line",
    "did not find expected ',' or ']'": "close the list with ] (items separated by commas)",
    "did not find expected ',' or '}'": "close the map with } (entries separated by commas)",
    "found undefined alias": "define the anchor (&name) before the alias (*name), or quote *",
}
DEFAULT_FIX = (
    "compare this line with the ones above: spaces for indentation, `key: value`, values with "
    "': ' or ' #' quoted"
)


@dataclass(frozen=True)
class YamlProblem:
    """One reason the CLI refuses the file: where (1-based), what, the fix, the CLI's words."""

    line: int | None
    column: int | None
    problem: str
    fix: str
    cli_error: str | None  # after "error: getting stack configuration: "; None: not known

    def where(self) -> str:
        if self.line is None:
            return ""
        return f"line {self.line}" + (f", column {self.column}" if self.column else "")


class YamlFileError(ValueError):
    """A YAML file the Pulumi CLI would refuse to read."""

    def __init__(self, path: str, problems: list[YamlProblem]) -> None:
        self.path = path
        self.problems = problems
        # Pulumi.yaml is the project, not a stack: the CLI wraps its errors as "could not
        # unmarshal '<path>': ..." (pulumi/pulumi v3.259.0 sdk/go/common/workspace/loaders.go
        # `LoadProjectBytes`).
        project = path.endswith("Pulumi.yaml")
        self.cli_prefix = f"error: could not unmarshal '{path}': " if project else CLI_PREFIX
        super().__init__(self.text())

    def text(self) -> str:
        lines = []
        for p in self.problems:
            lines.append(
                f"{self.path}, {p.where()}: {p.problem}" if p.line else f"{self.path}: {p.problem}"
            )
            lines.append(f"  fix: {p.fix}")
        if cli := self.problems[0].cli_error:
            cli = cli.replace("\n", "\n  ")
            lines.append(f"The Pulumi CLI stops with: {self.cli_prefix}{cli}")
        return "\n".join(lines)

    def entries(self) -> list[dict[str, Any]]:
        """The plan's `error` entries: one per problem, with where and the fix."""
        return [
            {
                "key": None,
                "value": None,
                "message": f"{p.problem}; fix: {p.fix}",
                "file": self.path,
                "line": p.line,
                "column": p.column,
            }
            for p in self.problems
        ]


def _cli_line(exc: yaml.MarkedYAMLError) -> int:
    """The line yaml.v3's `parser.fail` names: context mark, else problem mark (0-based), plus
    one for a scanner error."""
    scanner = isinstance(exc, yaml.scanner.ScannerError)
    for mark in (exc.context_mark, exc.problem_mark):
        if mark is not None and mark.line != 0:
            return int(mark.line) + (1 if scanner else 0)
    return 0


def _anchor_at(text: str, mark: Any) -> str:
    line = text.splitlines()[mark.line] if mark is not None else ""
    found = re.match(r"\*([^\s,\]}]+)", line[mark.column :] if mark is not None else "")
    return found.group(1) if found else ""


def syntax_problem(exc: yaml.YAMLError, text: str) -> YamlProblem:
    """A parse error as the CLI reports it, with the real line and column."""
    if not isinstance(exc, yaml.MarkedYAMLError):
        return YamlProblem(None, None, str(exc), DEFAULT_FIX, f"invalid YAML file: yaml: {exc}")
    problem = str(exc.problem or exc.context or "unknown problem parsing YAML content")
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    shown = problem
    context = exc.context_mark
    if (
        exc.context
        and context is not None
        and (context.line, context.column)
        != (
            mark.line if mark else -1,
            mark.column if mark else -1,
        )
    ):
        shown += f" ({exc.context} at line {context.line + 1}, column {context.column + 1})"
    if problem.startswith("found undefined alias"):
        cli = f"invalid YAML file: yaml: unknown anchor '{_anchor_at(text, mark)}' referenced"
    else:
        cli_line = _cli_line(exc)
        where = f"line {cli_line}: " if cli_line else ""
        cli = f"invalid YAML file: yaml: {where}{problem}"
    return YamlProblem(line, column, shown, FIXES.get(problem, DEFAULT_FIX), cli)


def _key_text(node: yaml.Node) -> tuple[str, str]:
    # yaml.v3 compares Kind and Value; a collection's Value is empty.
    return (type(node).__name__, node.value if isinstance(node, yaml.ScalarNode) else "")


def duplicate_keys(node: yaml.Node | None) -> list[YamlProblem]:
    """Every `mapping key ... already defined` yaml.v3 reports, in its order."""
    found: list[str] = []
    positions: list[tuple[int, int, str, int]] = []

    def visit(current: yaml.Node) -> None:
        if isinstance(current, yaml.SequenceNode):
            for item in current.value:
                visit(item)
            return
        if not isinstance(current, yaml.MappingNode):
            return
        pairs = current.value
        before = len(found)
        for i, (ki, _) in enumerate(pairs):
            for kj, _ in pairs[i + 1 :]:
                if _key_text(ki) == _key_text(kj):
                    line, first = kj.start_mark.line + 1, ki.start_mark.line + 1
                    found.append(
                        f"line {line}: mapping key {json.dumps(kj.value)} already defined at "
                        f"line {first}"
                    )
                    positions.append((line, kj.start_mark.column + 1, str(kj.value), first))
        if len(found) > before:
            return  # yaml.v3 stops decoding this mapping: nested ones go unchecked
        for key, value in pairs:
            visit(key)
            visit(value)

    if node is not None:
        visit(node)
    cli = "yaml: unmarshal errors:\n  " + "\n  ".join(found)
    return [
        YamlProblem(
            line,
            column,
            f'mapping key "{key}" already defined at line {first}',
            f"keep one `{key}:` (line {first} or line {line}): the Pulumi CLI refuses the file "
            "rather than choose",
            cli,
        )
        for line, column, key, first in positions
    ]
