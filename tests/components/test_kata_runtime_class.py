"""Runtime-class readiness: Kata pool -> RuntimeClass served -> untrusted pod."""

from __future__ import annotations

from support import dev_config

from tools.harness import CloudMocks, RunResult, run_program

POOL = "azure-native:containerservice:AgentPool"
RUNTIME_CLASS = "kubernetes:node.k8s.io/v1:RuntimeClass"
POD = "kubernetes:core/v1:Pod"


def test_chain_pool_then_class_then_untrusted_pod(dev_run: RunResult) -> None:
    pool = dev_run.one(POOL)
    read = dev_run.one(RUNTIME_CLASS)
    untrusted = dev_run.one(POD, "untrusted")
    assert read.read, "the class is looked up, never created by us"
    assert read.id == "kata-vm-isolation"
    assert pool.urn in read.dependencies
    assert read.urn in untrusted.dependencies
    # The pod's class is the read's output, i.e. the name the cluster actually served.
    assert untrusted.inputs["spec"]["runtimeClassName"] == read.state["metadata"]["name"]
    assert read.state["handler"] == "kata"


def test_trusted_side_never_waits_for_the_class(dev_run: RunResult) -> None:
    read = dev_run.one(RUNTIME_CLASS).urn
    for name in ("trusted",):
        assert read not in dev_run.waits_for(dev_run.one(POD, name))
    assert read not in dev_run.waits_for(dev_run.one("kubernetes:core/v1:Namespace"))


def test_class_not_served_stops_before_the_untrusted_pod_is_sent() -> None:
    mocks = CloudMocks(served_runtime_classes=frozenset())
    result = run_program(dev_config(), mocks=mocks)
    assert result.error is not None and "kata-vm-isolation" in result.error
    assert "not found" in result.error
    names = {r.name for r in result.by_type(POD)}
    assert "untrusted" not in names
    assert "trusted" in names  # the shared-kernel side is unaffected


def test_read_goes_through_the_cluster_provider(dev_run: RunResult) -> None:
    provider = dev_run.one("pulumi:providers:kubernetes").urn
    assert dev_run.one(RUNTIME_CLASS).options["provider"].startswith(provider + "::")
