"""The agentSandbox keys: read from the stack config, each problem named, all of them at once."""

from __future__ import annotations

from typing import Any

import pytest
from support import dev_config

from sandboxing.agent_sandbox.config import existing_cluster_problems
from sandboxing.config.contract import default_settings
from sandboxing.config.stack_config import check_stack_config
from sandboxing.config.validate import errors, problems_of, warnings
from sandboxing.tenants.config import parse_tenants

GUID = "0f8fad5b-d9cb-469f-a165-70867728950e"


def settings(**fields: Any) -> Any:
    return default_settings(location="westeurope", agent_sandbox=True, **fields)


def test_the_defaults_turned_on_are_fine() -> None:
    assert problems_of(settings(), "agentSandbox", "agentSandboxWarmPoolSize") == []


def test_every_bad_value_is_named_at_once_with_what_is_allowed() -> None:
    config = dev_config(
        agentSandbox="true",
        agentSandboxVersion="v0.4.0",
        agentSandboxNamespace="Sandboxes",
        agentSandboxWarmPoolSize="-1",
        agentSandboxCpu="0",
        agentSandboxMemory="64Mi",
        agentSandboxMaxLifetimeSeconds="10",
        agentSandboxEgressCidrs=["10.0.0.0/33"],
        agentSandboxEgressPorts=["443", "70000", "53/ICMP"],
        agentSandboxClaimGroups=["team a"],
    )
    found = {p.key: p for p in errors(check_stack_config(config)[1])}
    assert set(found) == {
        "agentSandboxVersion",
        "agentSandboxNamespace",
        "agentSandboxWarmPoolSize",
        "agentSandboxCpu",
        "agentSandboxMemory",
        "agentSandboxMaxLifetimeSeconds",
        "agentSandboxEgressCidrs",
        "agentSandboxEgressPorts",
        "agentSandboxClaimGroups",
    }
    assert "must be one of v0.5.5, v0.5.6" in found["agentSandboxVersion"].message
    assert "DNS-1123 label" in found["agentSandboxNamespace"].message
    assert "between 0 and 1000" in found["agentSandboxWarmPoolSize"].message
    assert "below Kata's minimum of 128Mi" in found["agentSandboxMemory"].message
    assert "between 60 and 604800" in found["agentSandboxMaxLifetimeSeconds"].message
    assert found["agentSandboxEgressPorts"].value == ["70000", "53/ICMP"]
    assert found["agentSandboxClaimGroups"].value == ["team a"]


def test_without_the_switch_the_other_keys_only_warn_that_they_are_unused() -> None:
    config = dev_config(agentSandboxWarmPoolSize="3", agentSandboxVersion="v0.4.0")
    problems = check_stack_config(config)[1]
    assert errors(problems) == []
    assert {(p.key, p.message) for p in warnings(problems)} == {
        ("agentSandboxWarmPoolSize", "is not used without agentSandbox: true"),
        ("agentSandboxVersion", "is not used without agentSandbox: true"),
    }


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("pod-sandboxing", "the demo pair's namespace (podNamespace)"),
        ("agent-sandbox-system", "the controller's own namespace"),
        ("team-a", "a tenant's namespace"),
        ("kube-sandboxes", "a namespace Kubernetes itself uses"),
        ("default", "a namespace Kubernetes itself uses"),
    ],
)
def test_the_sandbox_namespace_is_its_own(name: str, words: str) -> None:
    tenants = parse_tenants([{"name": "team-a"}])[0]
    (problem,) = problems_of(
        settings(agent_sandbox_namespace=name, tenants=tenants), "agentSandboxNamespace"
    )
    assert words in problem.message


def test_claimants_are_a_group_not_everybody_and_guids_with_entra() -> None:
    plain = settings(agent_sandbox_claim_groups=("system:authenticated", "devs"))
    (everybody,) = problems_of(plain, "agentSandboxClaimGroups")
    assert everybody.value == "system:authenticated" and "everybody" in everybody.message
    entra = settings(
        agent_sandbox_claim_groups=("devs", GUID), entra_admin_group_object_ids=(GUID,)
    )
    (not_guid,) = problems_of(entra, "agentSandboxClaimGroups")
    assert not_guid.value == "devs" and "Entra group object ID (GUID)" in not_guid.message


def test_egress_is_checked_as_the_tenants_egress_is() -> None:
    # The same fences: an entry inside a fenced range is refused, one around it is allowed (the
    # egress policy carves the fenced ranges out), a documentation range is a warning.
    found = problems_of(
        settings(agent_sandbox_egress_cidrs=("0.0.0.0/0", "169.254.169.254/32", "10.0.0.1/8",
                                             "203.0.113.0/24")),
        "agentSandboxEgressCidrs",
    )  # fmt: skip
    expected = [
        ("169.254.169.254/32", "error", "would open the link-local range 169.254.0.0/16:"),
        ("10.0.0.1/8", "error", "is not an IPv4 CIDR (10.0.0.1/8 has host bits set)"),
        ("203.0.113.0/24", "warning", "is RFC 5737 TEST-NET-3"),
    ]
    assert [(p.value, p.severity) for p in found] == [(v, s) for v, s, _ in expected]
    for problem, (_, _, start) in zip(found, expected, strict=True):
        assert problem.message.startswith(start), problem.message


def test_the_layer_needs_validating_admission_policy_v1() -> None:
    # 1.29 is also out of AKS's support window (its own problem); this one is the layer's.
    found = problems_of(settings(kubernetes_version="1.29"), "kubernetesVersion")
    (old,) = [p for p in found if "agentSandbox" in p.message]
    assert "agentSandbox needs Kubernetes 1.30 or later" in old.message
    off = problems_of(default_settings(kubernetes_version="1.29"), "kubernetesVersion")
    assert [p for p in off if "agentSandbox" in p.message] == []


def test_an_existing_cluster_is_checked_for_version_and_entra() -> None:
    cluster = {"currentKubernetesVersion": "1.29.4", "aadProfile": {"managed": True}}
    found = existing_cluster_problems(
        settings(cluster_name="aks", agent_sandbox_claim_groups=("devs",)), cluster
    )
    assert [(p.key, p.message.split(";")[0]) for p in found] == [
        ("clusterName", "runs Kubernetes 1.29.4"),
        (
            "agentSandboxClaimGroups",
            "must be a Microsoft Entra group object ID (GUID): Entra integration is on",
        ),
    ]
    assert existing_cluster_problems(default_settings(), cluster) == []
