"""The cross-field rules, and all rules at once, on plain data (no Pulumi)."""

from __future__ import annotations

from sandboxing.config import validate as rules
from sandboxing.config.contract import default_settings
from sandboxing.config.settings import Problem


def keys(problems: list[Problem]) -> list[str]:
    return [p.key for p in problems]


def test_defaults_with_a_location_have_no_problem() -> None:
    assert rules.check_settings(default_settings(location="westeurope")) == []


def test_every_error_names_key_value_and_what_is_allowed() -> None:
    settings = default_settings(location="westeurope", kata_os_sku="Ubuntu", kata_node_count=0)
    text = rules.format_errors(rules.errors(rules.check_settings(settings)))
    assert text.startswith("2 configuration problem(s); nothing was deployed:")
    assert "aks-pod-sandboxing:kataOsSku = 'Ubuntu': Pod Sandboxing needs osSKU AzureLinux" in text
    assert "aks-pod-sandboxing:kataNodeCount = 0: must be between 1 and 1000" in text


def test_errors_and_warnings_are_told_apart() -> None:
    problems = rules.check_settings(
        default_settings(location="westeurope", kata_os_sku="AzureLinux3", kata_node_count=0)
    )
    assert keys(rules.errors(problems)) == ["kataNodeCount"]
    assert keys(rules.warnings(problems)) == ["kataOsSku"]
