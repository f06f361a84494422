"""What a config key is: its declaration (`ConfigKey`) and the rules that read several keys.

A key's whole contract is its declaration in `sandboxing.keys`: type, default, meaning, the
kind of value it takes (`sandboxing.config.kinds`), when it is required or unused, and every
rule that reads it with what that rule adds to "allowed". A rule is declared once, beside the
code of its concern (`sandboxing.rules`, `sandboxing.tenants`), and named from each key it reads;
tests/sandboxing/config/test_keys.py watches which fields a rule reads and fails when a key it
reads does not name it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sandboxing.config.kinds import Kind
from sandboxing.config.settings import Problem, Settings

ConfigType = Literal["string", "integer", "boolean", "array", "object"]


@dataclass(frozen=True)
class Rule:
    """A check that needs more than one key's value (or a domain table and another key)."""

    name: str  # short, for the docs and the tests: "kata-vm-size"
    check: Callable[[Settings], list[Problem]]

    def allows(self, text: str = "") -> RuleUse:
        """This rule, as a key names it: `text` is what it adds to the key's "allowed"."""
        return RuleUse(self, text)


@dataclass(frozen=True)
class RuleUse:
    rule: Rule
    allowed: str


@dataclass(frozen=True)
class Condition:
    """`<key> is <value>`, as the configuration table words it."""

    key: str
    value: Any

    def holds(self, settings: Settings) -> bool:
        from sandboxing.config.settings import value_of

        return bool(value_of(settings, self.key) == self.value)

    def __str__(self) -> str:
        return f"{self.key} is {self.value}"


@dataclass(frozen=True)
class Unused:
    """When a key's value is not used: a value other than the default (and `quiet`) then gets
    the warning "is not used <phrase>". With `unchecked` the value is not checked either."""

    when: Callable[[Settings], bool]
    phrase: str  # "without enableAzureMonitor: true"
    unchecked: bool = False
    quiet: tuple[Any, ...] = ()


@dataclass(frozen=True)
class ConfigKey:
    name: str
    type: ConfigType
    default: Any
    description: str
    value: Kind | None = None  # checked on the value alone
    rules: tuple[RuleUse, ...] = ()  # every rule that reads this key
    required_when: Condition | None = None
    unused: tuple[Unused, ...] = ()
    items: ConfigType = "string"  # of an array: "object" for a list of maps
    # How an array of objects is read: (value, problems) from the raw list.
    read: Callable[[Any], tuple[Any, list[Problem]]] | None = None

    @property
    def allowed(self) -> str:
        """What the configuration table and Pulumi.yaml say is allowed."""
        first = self.value.allowed if self.value else ""
        if self.type == "boolean":
            first = "`true`, `false`"
        parts = [first, *(use.allowed for use in self.rules)]
        if self.required_when:
            parts.append(f"required when {self.required_when}")
        return "; ".join(part for part in parts if part)

    @property
    def rule_names(self) -> Sequence[str]:
        return [use.rule.name for use in self.rules]
