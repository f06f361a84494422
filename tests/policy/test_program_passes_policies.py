"""The dev program's resources, as the engine would send them, pass every mandatory policy;
and they hold what the policies look for (Kata pods, trusted pods, Kata pools)."""

from __future__ import annotations

import copy

import pytest
from policy_requests import POD, args_of, engine_args, mandatory_violations, violations
from support import run_dev

from policy import sandbox_policies as sp
from sandboxing import catalog, workload
from tools.harness import RunResult


@pytest.mark.parametrize("preview", [False, True], ids=["up", "preview"])
def test_dev_program_passes_every_mandatory_policy(preview: bool, dev_run: RunResult) -> None:
    run = dev_run if not preview else run_dev(preview=True)
    assert run.error is None
    checked = [r for r in run.resources if r.custom and not r.read]
    # Not vacuous: the run holds what the policies are about.
    assert {r.type for r in checked} >= {POD, sp.AGENT_POOL, sp.MANAGED_CLUSTER}
    assert mandatory_violations(run) == []


def test_a_resource_that_fails_a_policy_is_named_with_the_policy() -> None:
    run = run_dev()
    del run.one(POD, "untrusted").inputs["spec"]["runtimeClassName"]
    found = [(policy, name) for policy, name, _ in mandatory_violations(run)]
    assert found == [(sp.SANDBOX_PODS_USE_KATA.name, "untrusted")]


def test_one_pool_cluster_passes_and_its_system_pool_is_checked_as_a_kata_pool() -> None:
    run = run_dev(kataPoolPlacement="system")
    assert run.error is None, run.error
    assert mandatory_violations(run) == []
    cluster = run.one(sp.MANAGED_CLUSTER)
    pools = list(sp.kata_pools(args_of(cluster, run)))
    assert [where for where, _ in pools] == [
        "ManagedCluster 'cluster-aks' agentPoolProfiles[0] 'system'"
    ]
    # The same guard rail as for a dedicated pool: a Gen1 size on the Kata System pool is refused.
    bad = copy.deepcopy(cluster.inputs)
    bad["agentPoolProfiles"][0]["vmSize"] = "Standard_D2_v3"
    found = violations(sp.KATA_NODE_POOLS, engine_args(sp.MANAGED_CLUSTER, bad, "cluster-aks"))
    assert len(found) == 1 and "vmSize 'Standard_D2_v3'" in found[0]


def test_dev_pods_are_what_the_policies_expect(dev_run: RunResult) -> None:
    untrusted = sp.pod_of(args_of(dev_run.one(POD, "untrusted"), dev_run))
    trusted = sp.pod_of(args_of(dev_run.one(POD, "trusted"), dev_run))
    assert untrusted is not None and trusted is not None
    assert untrusted.runtime_class in catalog.KATA_RUNTIME_CLASSES
    assert trusted.runtime_class is None
    assert trusted.name == workload.TRUSTED_POD
    for pod in (trusted, untrusted):
        assert pod.has_sandbox_label()
        assert pod.namespace() == sp.DEFAULT_SANDBOX_NAMESPACE
    pools = list(sp.kata_pools(args_of(dev_run.one(sp.AGENT_POOL), dev_run)))
    assert [where for where, _ in pools] == ["AgentPool 'kata-pool'"]
