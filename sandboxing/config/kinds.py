"""What one config value may be, as data: each kind says what is allowed and refuses the rest.

A config key in `contract.CONFIG_KEYS` carries one of these. From the same object come the
"allowed" text of Pulumi.yaml and the README table (`allowed`) and the single-key check
(`refusal`: None when the value is fine, else what is wrong and what is allowed). Checks that
need more than one key or a domain table (VM families, runtimes) are rules, in `rules`.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sandboxing.quantities import cpu_millicores, memory_mib


def _ticked(values: Sequence[str]) -> str:
    return ", ".join(f"`{value}`" for value in values)


@dataclass(frozen=True)
class OneOf:
    """One of a fixed list of words."""

    choices: tuple[str, ...]
    notes: dict[str, str] = field(default_factory=dict)  # choice -> when it applies

    @property
    def allowed(self) -> str:
        return ", ".join(
            f"`{choice}`" + (f" ({self.notes[choice]})" if choice in self.notes else "")
            for choice in self.choices
        )

    def refusal(self, value: str) -> str | None:
        return None if value in self.choices else "must be one of " + ", ".join(self.choices)


@dataclass(frozen=True)
class Matches:
    """Text of a given shape; `empty_ok` when empty means "the default" or "none"."""

    pattern: re.Pattern[str]
    allowed: str  # the shape in words, for the table
    must_be: str  # the shape in words, for the error: "must be <must_be>"
    max_length: int | None = None
    empty_ok: bool = False

    def refusal(self, value: str) -> str | None:
        if not value and self.empty_ok:
            return None
        too_long = self.max_length is not None and len(value) > self.max_length
        if too_long or not self.pattern.match(value):
            return f"must be {self.must_be}"
        return None


@dataclass(frozen=True)
class Between:
    """A whole number in a closed range."""

    low: int
    high: int
    unit: str = ""  # e.g. "seconds"
    why: str = ""  # why the bounds, added to the error

    @property
    def allowed(self) -> str:
        return f"{self.low}-{self.high}" + (f" {self.unit}" if self.unit else "")

    def refusal(self, value: int) -> str | None:
        if self.low <= value <= self.high:
            return None
        what = f"a number of {self.unit} " if self.unit else ""
        return f"must be {what}between {self.low} and {self.high}" + (
            f" ({self.why})" if self.why else ""
        )


@dataclass(frozen=True)
class Quantity:
    """A Kubernetes resource quantity: CPU above zero, or memory of at least `minimum_mib`."""

    resource: Literal["cpu", "memory"]
    examples: tuple[str, ...]
    minimum_mib: int = 0
    minimum_is: str = "the minimum"  # whose minimum, for the error: "Kata's minimum"
    why_minimum: str = ""  # added to the error

    @property
    def allowed(self) -> str:
        if self.resource == "cpu":
            return f"a Kubernetes CPU quantity > 0, e.g. {_ticked(self.examples)}"
        return (
            f"a Kubernetes memory quantity >= {self.minimum_mib}Mi, e.g. {_ticked(self.examples)}"
        )

    def refusal(self, value: str) -> str | None:
        examples = " or ".join(self.examples[:2])
        if self.resource == "cpu":
            millicores = cpu_millicores(value)
            if millicores is None or millicores <= 0:
                return f"must be a Kubernetes CPU quantity above zero, e.g. {examples}"
            return None
        mib = memory_mib(value)
        if mib is None:
            return f"must be a Kubernetes memory quantity, e.g. {examples}"
        if mib < self.minimum_mib:
            why = f" ({self.why_minimum})" if self.why_minimum else ""
            return f"is below {self.minimum_is} of {self.minimum_mib}Mi{why}"
        return None


@dataclass(frozen=True)
class EachItem:
    """A list whose every item passes `accepts`; the error lists the items that do not."""

    accepts: Callable[[str], bool]
    allowed: str
    must_be: str

    def refusal(self, value: Sequence[str]) -> str | None:
        return None if all(self.accepts(item) for item in value) else f"must be {self.must_be}"

    def refused_items(self, value: Sequence[str]) -> list[str]:
        return [item for item in value if not self.accepts(item)]


def is_ipv4_range(text: str) -> bool:
    try:
        ipaddress.IPv4Network(text, strict=False)
    except ValueError:
        return False
    return True


Constraint = OneOf | Matches | Between | Quantity | EachItem


def refusal(constraint: Constraint, value: Any) -> tuple[Any, str] | None:
    """(the value to show, the message) when `value` breaks `constraint`, else None."""
    message = constraint.refusal(value)
    if message is None:
        return None
    if isinstance(constraint, EachItem):
        return constraint.refused_items(value), message
    return value, message
