"""Documentation address ranges and placeholder GUIDs are recognised; real values are not."""

from __future__ import annotations

import pytest

from sandboxing.config.contract import check_keys, default_settings
from sandboxing.placeholders import documentation_range, placeholder_guid


@pytest.mark.parametrize(
    ("cidr", "found"),
    [
        ("192.0.2.0/24", "is RFC 5737 TEST-NET-1"),
        ("198.51.100.7/32", "lies in 198.51.100.0/24"),
        ("203.0.113.10", "lies in 203.0.113.0/24 (RFC 5737 TEST-NET-3)"),
        ("2001:db8::/48", "lies in 2001:db8::/32 (RFC 3849)"),
        ("20.50.100.0/24", None),
        ("0.0.0.0/0", None),
        ("203.0.112.0/23", None),
        ("nope", None),
    ],
)
def test_documentation_ranges(cidr: str, found: str | None) -> None:
    result = documentation_range(cidr)
    assert result == found if found is None else (result or "").startswith(found)


def test_placeholder_guids() -> None:
    assert placeholder_guid("00000000-0000-0000-0000-000000000000")
    assert placeholder_guid("00000000-0000-0000-0000-00000000000a")
    assert placeholder_guid("ffffffff-ffff-ffff-ffff-ffffffffffff")
    assert not placeholder_guid("0f8fad5b-d9cb-469f-a165-70867728950e")
    assert not placeholder_guid("not-a-guid")


def test_a_documentation_range_in_the_authorized_ranges_is_a_warning_naming_it() -> None:
    settings = default_settings(api_server_authorized_ip_ranges=("20.50.100.0/24", "192.0.2.0/24"))
    (problem,) = check_keys(settings)
    assert (problem.key, problem.value, problem.severity) == (
        "apiServerAuthorizedIpRanges",
        ["192.0.2.0/24"],
        "warning",
    )
    assert "reserved for documentation" in problem.message
