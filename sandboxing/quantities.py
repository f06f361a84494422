"""Kubernetes resource quantities (`500m`, `1Gi`, `1e9`) as plain numbers."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_QUANTITY = re.compile(r"^(?P<number>\d+(?:\.\d*)?|\.\d+)(?P<suffix>[a-zA-Z]*|[eE][+-]?\d+)$")
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "": Decimal(1),
    "k": Decimal(10**3),
    "M": Decimal(10**6),
    "G": Decimal(10**9),
    "T": Decimal(10**12),
    "P": Decimal(10**15),
    "E": Decimal(10**18),
}


def parse_quantity(text: str) -> Decimal | None:
    """The quantity's value in base units (cores, bytes); None when it is not a quantity."""
    match = _QUANTITY.match(text.strip()) if isinstance(text, str) else None
    if not match:
        return None
    try:
        number = Decimal(match["number"])
    except InvalidOperation:
        return None
    suffix = match["suffix"]
    if suffix in _BINARY:
        return number * _BINARY[suffix]
    if suffix in _DECIMAL:
        return number * _DECIMAL[suffix]
    if suffix[:1] in ("e", "E"):
        return number * Decimal(10) ** int(suffix[1:])
    return None


def cpu_millicores(text: str) -> int | None:
    value = parse_quantity(text)
    return (
        None if value is None else int((value * 1000).to_integral_value(rounding="ROUND_CEILING"))
    )


def memory_mib(text: str) -> float | None:
    value = parse_quantity(text)
    return None if value is None else float(value / 2**20)
