"""What one config value may be, as data: each kind says what is allowed and refuses the rest.

A key in `sandboxing.keys` carries one of these as its `value`. From the same object come the
"allowed" text of Pulumi.yaml and docs/configuration.md's table (`allowed`), the single-key check
(`refusal`: None when the value is fine, else what is wrong and what is allowed) and, for a few,
a warning on a value that works but deserves a second look (`warning`). Checks that need more
than one key are rules (`sandboxing.config.key.Rule`), named from each key they read.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sandboxing import catalog, vm_sizes
from sandboxing.pool_scaling import count_or_percent
from sandboxing.quantities import cpu_millicores, memory_mib


def _ticked(values: Sequence[str]) -> str:
    return ", ".join(f"`{value}`" for value in values)


@dataclass(frozen=True)
class OneOf:
    """One of a fixed list of words; `warnings` name choices that work but need a word."""

    choices: tuple[str, ...]
    notes: Mapping[str, str] = field(default_factory=dict)  # choice -> when it applies
    warnings: Mapping[str, str] = field(default_factory=dict)  # choice -> the warning
    must_be: str = ""  # the error, when "must be one of ..." does not say enough

    @property
    def allowed(self) -> str:
        return ", ".join(
            f"`{choice}`" + (f" ({self.notes[choice]})" if choice in self.notes else "")
            for choice in self.choices
        )

    def refusal(self, value: str) -> str | None:
        if value in self.choices:
            return None
        return self.must_be or "must be one of " + ", ".join(self.choices)

    def warning(self, value: str) -> str | None:
        return self.warnings.get(value)


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
    """A whole number in a closed range; with `zero_means`, 0 is allowed too and means that.

    `why_low` and `why_high` say why each bound is there; the error adds only the one the value
    crossed (a too-large count is not refused because "a pool with no node" cannot work)."""

    low: int
    high: int
    unit: str = ""  # e.g. "seconds"
    why_low: str = ""  # why not less than `low`, added to the error of a value below it
    why_high: str = ""  # why not more than `high`, added to the error of a value above it
    zero_means: str = ""  # e.g. "the AKS default"

    @property
    def allowed(self) -> str:
        span = f"{self.low}-{self.high}" + (f" {self.unit}" if self.unit else "")
        return f"0, or {span}" if self.zero_means else span

    def refusal(self, value: int) -> str | None:
        if self.low <= value <= self.high or (self.zero_means and value == 0):
            return None
        if self.zero_means:
            return f"must be 0 ({self.zero_means}) or {self.low}-{self.high} {self.unit}".strip()
        what = f"a number of {self.unit} " if self.unit else ""
        why = self.why_low if value < self.low else self.why_high
        return f"must be {what}between {self.low} and {self.high}" + (f" ({why})" if why else "")


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
    """A list whose every item passes `accepts`; the error lists the items that do not.
    `warns`: the warning an allowed item deserves, if any (all of them, joined)."""

    accepts: Callable[[str], bool]
    allowed: str
    must_be: str
    warns: Callable[[str], str | None] | None = None

    def refusal(self, value: Sequence[str]) -> str | None:
        return None if all(self.accepts(item) for item in value) else f"must be {self.must_be}"

    def warning(self, value: Sequence[str]) -> str | None:
        found = [w for item in value if self.warns and (w := self.warns(item))]
        return "; ".join(found) or None

    def warned_items(self, value: Sequence[str]) -> list[str]:
        return [item for item in value if self.warns and self.warns(item)]

    def refused_items(self, value: Sequence[str]) -> list[str]:
        return [item for item in value if not self.accepts(item)]


@dataclass(frozen=True)
class VmSizeName:
    """An Azure VM size name (`Standard_D4s_v3`), with at least `min_vcpus` where set."""

    example: str
    min_vcpus: int = 0
    minimum_why: str = ""  # the error when the size has fewer vCPUs

    @property
    def allowed(self) -> str:
        more = f" with at least {self.min_vcpus} vCPUs" if self.min_vcpus else ""
        return f"an Azure VM size name{more}"

    def refusal(self, value: str) -> str | None:
        size = vm_sizes.parse_vm_size(value)
        if size is None:
            return f"is not an Azure VM size name (e.g. {self.example})"
        if size.vcpus < self.min_vcpus:
            return self.minimum_why
        return None


@dataclass(frozen=True)
class SandboxRuntimeName:
    """A node-pool workloadRuntime that is pod sandboxing and in the ARM API the program uses."""

    @property
    def allowed(self) -> str:
        stable = [
            name for name, runtime in catalog.SANDBOX_RUNTIMES.items() if runtime.in_stable_api
        ]
        return _ticked(stable)

    def refusal(self, value: str) -> str | None:
        runtime = catalog.SANDBOX_RUNTIMES.get(value)
        if runtime is not None and runtime.in_stable_api:
            return None
        ga = catalog.KATA_GA
        if runtime is not None:
            return (
                f"{value} is the preview name and is not in the AKS API 2025-09-01 the program "
                f"uses; use {ga.workload_runtime} (its runtime class becomes {ga.runtime_class})"
            )
        why = catalog.NOT_SANDBOXING.get(value, "not a workload runtime AKS knows")
        return f"is not pod sandboxing ({why}); use {ga.workload_runtime}"


MINUTES = re.compile(r"^(?P<minutes>\d+)m$")


@dataclass(frozen=True)
class Minutes:
    """A duration as the AKS autoscaler profile takes it: whole minutes followed by `m` (ARM:
    "Values must be an integer followed by an 'm'. No unit of time other than minutes (m) is
    supported."); `warn_below` minutes works but deserves the `below` warning."""

    example: str
    low: int = 0
    warn_below: int = 0
    below: str = ""

    @property
    def allowed(self) -> str:
        floor = f", at least `{self.low}m`" if self.low else ""
        return f"whole minutes followed by `m`, e.g. `{self.example}`{floor}"

    def refusal(self, value: str) -> str | None:
        match = MINUTES.match(value)
        if match is None:
            return (
                f"must be whole minutes followed by m, e.g. {self.example} (AKS takes no other "
                "unit here)"
            )
        if int(match["minutes"]) < self.low:
            return f"must be at least {self.low}m"
        return None

    def warning(self, value: str) -> str | None:
        match = MINUTES.match(value)
        if match and int(match["minutes"]) < self.warn_below:
            return self.below
        return None


@dataclass(frozen=True)
class CountOrPercent:
    """Nodes at once, as an agent pool's maxSurge/maxUnavailable take them: a whole number, or a
    whole percentage of the pool (rounded up by AKS)."""

    max_count: int

    @property
    def allowed(self) -> str:
        return f"a number of nodes (0-{self.max_count}) or a percentage of the pool (`0%`-`100%`)"

    def refusal(self, value: str) -> str | None:
        parsed = count_or_percent(value)
        if parsed is None:
            return (
                "must be a whole number of nodes or a whole percentage of the pool, e.g. 1 or 33%"
            )
        number, percent = parsed
        if percent and number > 100:
            return "must be at most 100%"
        if not percent and number > self.max_count:
            return f"must be at most {self.max_count} nodes (a pool's largest size)"
        return None


def is_ipv4_range(text: str) -> bool:
    try:
        ipaddress.IPv4Network(text, strict=False)
    except ValueError:
        return False
    return True


Kind = (
    OneOf
    | Matches
    | Between
    | Quantity
    | EachItem
    | VmSizeName
    | SandboxRuntimeName
    | Minutes
    | CountOrPercent
)


def refusal(kind: Kind, value: Any) -> tuple[Any, str] | None:
    """(the value to show, the message) when `value` is not of `kind`, else None."""
    message = kind.refusal(value)
    if message is None:
        return None
    if isinstance(kind, EachItem):
        return kind.refused_items(value), message
    return value, message


def warning(kind: Kind, value: Any) -> tuple[Any, str] | None:
    """(the value to show, the warning) on an allowed value, for the kinds that have them."""
    if not isinstance(kind, OneOf | Minutes | EachItem):
        return None
    if (message := kind.warning(value)) is None:
        return None
    return (kind.warned_items(value) if isinstance(kind, EachItem) else value), message
