from __future__ import annotations

from sandboxing.config.contract import default_settings, parse_settings
from sandboxing.config.settings import Problem


def test_raw_strings_are_typed() -> None:
    settings, problems = parse_settings(
        {
            "kataNodeCount": "3",
            "allowUnlistedVmSize": "true",
            "entraAdminGroupObjectIds": '["a", "b"]',
            "podImage": " img:1 ",
        },
        "westeurope",
    )
    assert problems == []
    assert settings.kata_node_count == 3
    assert settings.allow_unlisted_vm_size is True
    assert settings.entra_admin_group_object_ids == ("a", "b")
    assert settings.pod_image == "img:1"
    assert settings.location == "westeurope"


def test_wrong_types_are_problems_not_tracebacks() -> None:
    settings, problems = parse_settings(
        {"kataNodeCount": "two", "enableAzureRbac": "yes", "apiServerAuthorizedIpRanges": "{}"}
    )
    assert sorted(p.key for p in problems) == [
        "apiServerAuthorizedIpRanges",
        "enableAzureRbac",
        "kataNodeCount",
    ]
    assert all(isinstance(p, Problem) for p in problems)
    assert settings.kata_node_count == 1  # the default stands in, so other rules still run


def test_runtime_class_follows_the_runtime_unless_overridden() -> None:
    assert default_settings().effective_runtime_class == "kata-vm-isolation"
    override = default_settings(runtime_class_name="kata-mshv-vm-isolation")
    assert override.effective_runtime_class == "kata-mshv-vm-isolation"


def test_a_problem_names_the_full_key_and_spells_booleans_as_the_stack_file_does() -> None:
    from sandboxing.config.settings import Problem

    assert (
        str(Problem("enableAzurePolicy", True, "x"))
        == "aks-pod-sandboxing:enableAzurePolicy = true: x"
    )
    assert str(Problem("azure-native:location", "", "y")) == "azure-native:location = '': y"
