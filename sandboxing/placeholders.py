"""Values that only stand in for real ones: what templates and documentation put where an
identity or an address goes. Pure.

- Address ranges reserved for documentation: 192.0.2.0/24 (TEST-NET-1), 198.51.100.0/24
  (TEST-NET-2) and 203.0.113.0/24 (TEST-NET-3), "provided for use in documentation" (RFC 5737,
  https://www.rfc-editor.org/rfc/rfc5737), and 2001:db8::/32 for IPv6 (RFC 3849,
  https://www.rfc-editor.org/rfc/rfc3849). No host has such an address on the internet.
- The nil GUID, 00000000-0000-0000-0000-000000000000 ("all 128 bits set to zero", RFC 9562
  §5.9, https://www.rfc-editor.org/rfc/rfc9562), and GUIDs that are zero but for their last
  group (00000000-0000-0000-0000-00000000000a): template placeholders that name no Entra group,
  as do GUIDs of one repeated digit (11111111-1111-...).
"""

from __future__ import annotations

import ipaddress

DOCUMENTATION_RANGES: dict[str, str] = {
    "192.0.2.0/24": "RFC 5737 TEST-NET-1",
    "198.51.100.0/24": "RFC 5737 TEST-NET-2",
    "203.0.113.0/24": "RFC 5737 TEST-NET-3",
    "2001:db8::/32": "RFC 3849",
}
_RANGES = [(ipaddress.ip_network(cidr), name) for cidr, name in DOCUMENTATION_RANGES.items()]


def documentation_range(cidr: str) -> str | None:
    """How `cidr` is a documentation range: `is RFC 5737 TEST-NET-3` or `lies in 203.0.113.0/24
    (RFC 5737 TEST-NET-3)`; None for a real address, a range wider than one, or no CIDR."""
    try:
        network = ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        return None
    for reserved, name in _RANGES:
        if network.version == reserved.version and network.subnet_of(reserved):  # type: ignore[arg-type]
            return f"is {name}" if network == reserved else f"lies in {reserved} ({name})"
    return None


def placeholder_guid(text: str) -> bool:
    """The nil GUID, one zero but for its last group, or one of a single repeated digit."""
    digits = text.replace("-", "").lower()
    if len(digits) != 32:
        return False
    return digits[:20] == "0" * 20 or len(set(digits)) == 1
