"""The policy pack's validators, fed the dev program's resources as the engine would send them.

Resource args go through the same steps pulumi-policy's analyzer applies to an engine request
(protobuf Struct -> dict -> secrets unwrapped -> unknown-checking proxy), so the validators see
floats, camelCase names and Mapping proxies exactly as under `pulumi preview --policy-pack`.
"""

from __future__ import annotations

import ast
import copy
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi.runtime
import pytest
from google.protobuf import json_format
from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError, unknown_checking_proxy
from support import dev_config, engine_struct

from policy import sandbox_policies as sp
from sandboxing import catalog, pool_rules, workload
from sandboxing.contract import default_settings
from tools.harness import Registered, RunResult, run_program, stack_config
from tools.harness.sdk_internals import no_stack_config
from tools.repo import REPO

POD = "kubernetes:core/v1:Pod"
MANDATORY = [p for p in sp.POLICIES if p.enforcement_level == EnforcementLevel.MANDATORY]


@pytest.fixture(autouse=True)
def without_stack_config(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Start every test without stack config: harness runs elsewhere leave theirs behind, and
    sandbox-pods-use-kata reads the stack's podNamespace."""
    monkeypatch.delenv("PULUMI_CONFIG", raising=False)
    with no_stack_config():
        yield


def engine_props(inputs: dict[str, Any]) -> Any:
    struct = engine_struct(inputs)
    return unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(struct)))


def engine_args(
    type_: str,
    inputs: dict[str, Any],
    name: str = "resource",
    config: dict[str, Any] | None = None,
    provider: PolicyProviderResource | None = None,
) -> ResourceValidationArgs:
    props = engine_props(inputs)
    options = PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None)
    urn = f"urn:pulumi:dev::aks-pod-sandboxing::{type_}::{name}"
    return ResourceValidationArgs(type_, props, urn, name, options, provider, config)


def violations(policy: Any, args: ResourceValidationArgs) -> list[str]:
    found: list[str] = []
    policy.validate(args, lambda message, urn=None: found.append(message))
    return found


def provider_of(run: RunResult) -> PolicyProviderResource:
    recorded = run.one("pulumi:providers:kubernetes")
    props = engine_props(recorded.inputs)
    return PolicyProviderResource(recorded.type, props, recorded.urn, recorded.name)


def args_of(recorded: Registered, run: RunResult, **kwargs: Any) -> ResourceValidationArgs:
    provider = provider_of(run) if recorded.type.startswith("kubernetes:") else None
    return engine_args(recorded.type, recorded.inputs, recorded.name, provider=provider, **kwargs)


def pod_inputs(run: RunResult, name: str) -> dict[str, Any]:
    return copy.deepcopy(run.one(POD, name).inputs)


# --- The real program passes --------------------------------------------------------------


@pytest.mark.parametrize("preview", [False, True], ids=["up", "preview"])
def test_dev_program_passes_every_mandatory_policy(preview: bool, dev_run: RunResult) -> None:
    run = dev_run if not preview else run_program(stack_config("dev"), preview=True)
    assert run.error is None
    checked = [r for r in run.resources if r.custom and not r.read]
    # Not vacuous: the run holds what the policies are about.
    assert {r.type for r in checked} >= {POD, sp.AGENT_POOL, sp.MANAGED_CLUSTER}
    for recorded in checked:
        for policy in MANDATORY:
            args = args_of(recorded, run)
            assert violations(policy, args) == [], (policy.name, recorded.name)


def test_one_pool_cluster_passes_and_its_system_pool_is_checked_as_a_kata_pool() -> None:
    run = run_program(dev_config(kataPoolPlacement="system"))
    assert run.error is None, run.error
    for recorded in (r for r in run.resources if r.custom and not r.read):
        for policy in MANDATORY:
            assert violations(policy, args_of(recorded, run)) == [], (policy.name, recorded.name)
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


def test_dev_images_are_tag_pinned_so_the_advisory_policy_reports_both_pods(
    dev_run: RunResult,
) -> None:
    assert sp.IMAGES_PINNED_BY_DIGEST.enforcement_level == EnforcementLevel.ADVISORY
    image = "mcr.microsoft.com/aks/fundamental/base-ubuntu:v0.0.11"
    for name in ("trusted", "untrusted"):
        found = violations(sp.IMAGES_PINNED_BY_DIGEST, args_of(dev_run.one(POD, name), dev_run))
        assert found == [
            f"Pod {name!r}: container {name!r} image {image!r} is not pinned by digest; a tag "
            "can be moved to other content (use <image>@sha256:<digest>)"
        ]


def test_digest_pinned_images_pass(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["spec"]["containers"][0]["image"] = "mcr.microsoft.com/x/y:1.0@sha256:" + "a" * 64
    inputs["spec"]["initContainers"] = [{"name": "init", "image": "busybox"}]
    found = violations(sp.IMAGES_PINNED_BY_DIGEST, engine_args(POD, inputs, "untrusted"))
    assert len(found) == 1 and "container 'init' image 'busybox'" in found[0]


# --- kata-pod-hardening --------------------------------------------------------------------


def test_sandboxed_pod_with_host_features_and_tiny_memory_is_refused(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    spec = inputs["spec"]
    spec.update(hostNetwork=True, hostPID=True, hostIPC=True)
    spec["volumes"] = [{"name": "node-root", "hostPath": {"path": "/"}}]
    container = spec["containers"][0]
    container["securityContext"]["privileged"] = True
    container["resources"]["limits"]["memory"] = "64Mi"
    found = violations(sp.KATA_POD_HARDENING, engine_args(POD, inputs, "untrusted"))
    assert found == [
        "Pod 'untrusted': hostNetwork is not allowed for a sandboxed pod",
        "Pod 'untrusted': hostPID is not allowed for a sandboxed pod",
        "Pod 'untrusted': hostIPC is not allowed for a sandboxed pod",
        "Pod 'untrusted': volume 'node-root' uses hostPath, which weakens isolation",
        "Pod 'untrusted': container 'untrusted' is privileged",
        "Pod 'untrusted': container 'untrusted' needs a memory limit of at least 128Mi "
        "(got '64Mi')",
    ]


def test_hardening_messages_are_the_programs_own(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    del inputs["spec"]["containers"][0]["resources"]["limits"]["memory"]
    expected = workload.sandboxed_pod_violations(inputs["spec"])
    assert len(expected) == 1
    found = violations(sp.KATA_POD_HARDENING, engine_args(POD, inputs, "untrusted"))
    assert found == [f"Pod 'untrusted': {expected[0]}"]


def test_preview_era_class_is_hardened_too_and_shared_kernel_pods_are_not(
    dev_run: RunResult,
) -> None:
    preview_pod = pod_inputs(dev_run, "untrusted")
    preview_pod["spec"]["runtimeClassName"] = catalog.KATA_PREVIEW.runtime_class
    preview_pod["spec"]["hostNetwork"] = True
    assert violations(sp.KATA_POD_HARDENING, engine_args(POD, preview_pod, "untrusted")) == [
        "Pod 'untrusted': hostNetwork is not allowed for a sandboxed pod"
    ]
    trusted = pod_inputs(dev_run, "trusted")
    trusted["spec"]["hostNetwork"] = True
    assert violations(sp.KATA_POD_HARDENING, engine_args(POD, trusted, "trusted")) == []


@pytest.mark.parametrize(
    ("type_", "wrap"),
    [
        ("kubernetes:apps/v1:Deployment", lambda pod: {"spec": {"template": pod}}),
        ("kubernetes:batch/v1:Job", lambda pod: {"spec": {"template": pod}}),
        (
            "kubernetes:batch/v1:CronJob",
            lambda pod: {"spec": {"jobTemplate": {"spec": {"template": pod}}}},
        ),
    ],
)
def test_pod_templates_of_workloads_are_checked(type_: str, wrap: Any, dev_run: RunResult) -> None:
    pod = pod_inputs(dev_run, "untrusted")
    pod["spec"]["containers"][0]["securityContext"]["privileged"] = True
    template = {"metadata": {"labels": pod["metadata"]["labels"]}, "spec": pod["spec"]}
    inputs = {"metadata": {"name": "web", "namespace": "apps"}, **wrap(template)}
    kind = type_.rsplit(":", 1)[-1]
    assert violations(sp.KATA_POD_HARDENING, engine_args(type_, inputs, "web")) == [
        f"{kind} 'web' (pod template): container 'untrusted' is privileged"
    ]


# --- kata-node-pools -----------------------------------------------------------------------


def pool_violations(inputs: dict[str, Any], config: dict[str, Any] | None = None) -> list[str]:
    return violations(sp.KATA_NODE_POOLS, engine_args(sp.AGENT_POOL, inputs, "kata-pool", config))


def test_kata_pool_on_ubuntu_or_without_os_sku_is_refused(dev_run: RunResult) -> None:
    pool = copy.deepcopy(dev_run.one(sp.AGENT_POOL).inputs)
    expected = pool_rules.check_os_sku(default_settings(kata_os_sku="Ubuntu"))[0].message
    assert pool_violations({**pool, "osSKU": "Ubuntu"}) == [
        f"AgentPool 'kata-pool': osSKU 'Ubuntu': {expected}"
    ]
    del pool["osSKU"]  # AKS would default a Linux pool to Ubuntu
    assert pool_violations(pool) == [f"AgentPool 'kata-pool': osSKU (not set): {expected}"]


def test_azure_linux_3_passes_like_the_program_which_only_warns(dev_run: RunResult) -> None:
    pool = dev_run.one(sp.AGENT_POOL).inputs
    assert (
        pool_rules.check_os_sku(default_settings(kata_os_sku="AzureLinux3"))[0].severity
        == "warning"
    )
    assert pool_violations({**pool, "osSKU": "AzureLinux3"}) == []


@pytest.mark.parametrize(
    ("vm_size", "reason"),
    [
        ("Standard_D2_v3", "Generation 1 only"),
        ("Standard_B2s", "B-series (burstable) sizes have no nested virtualization"),
        ("Standard_D4ps_v5", "Arm64 sizes are not supported"),
        ("Standard_DC4s_v3", "confidential VM sizes are not supported"),
        ("not-a-size", "is not an Azure VM size name"),
    ],
)
def test_kata_pool_on_an_unsupported_size_is_refused(
    vm_size: str, reason: str, dev_run: RunResult
) -> None:
    pool = {**dev_run.one(sp.AGENT_POOL).inputs, "vmSize": vm_size}
    program = pool_rules.check_kata_vm_size(default_settings(kata_node_vm_size=vm_size))
    assert [p.severity for p in program] == ["error"]
    found = pool_violations(pool)
    assert found == [f"AgentPool 'kata-pool': vmSize {vm_size!r}: {program[0].message}"]
    assert reason in found[0]
    # The escape hatch is for sizes AKS may have added, not for sizes known not to work.
    assert pool_violations(pool, {"allowUnlistedVmSize": True}) == found


def test_unlisted_size_needs_the_policy_config_escape_hatch(dev_run: RunResult) -> None:
    pool = {**dev_run.one(sp.AGENT_POOL).inputs, "vmSize": "Standard_D4ls_v6"}
    found = pool_violations(pool)
    assert len(found) == 1
    assert "family Dlsv6 (4 vCPUs) is not in the known Gen2 nested-virtualization list" in found[0]
    assert "allowUnlistedVmSize" in found[0]
    assert pool_violations(pool, {"allowUnlistedVmSize": True}) == []


def test_non_kata_pools_are_none_of_this_policys_business(dev_run: RunResult) -> None:
    pool = dev_run.one(sp.AGENT_POOL).inputs
    for runtime in ("OCIContainer", "WasmWasi", "KataCcIsolation", None):
        inputs = {**pool, "workloadRuntime": runtime, "osSKU": "Ubuntu", "vmSize": "Standard_B2s"}
        if runtime is None:
            del inputs["workloadRuntime"]
        assert pool_violations(inputs) == [], runtime


def test_preview_runtime_name_gets_the_same_node_requirements(dev_run: RunResult) -> None:
    pool = {
        **dev_run.one(sp.AGENT_POOL).inputs,
        "workloadRuntime": catalog.KATA_PREVIEW.workload_runtime,
        "osSKU": "Ubuntu",
    }
    found = pool_violations(pool)
    assert len(found) == 1 and found[0].startswith("AgentPool 'kata-pool': osSKU 'Ubuntu'")


def test_inline_kata_profiles_of_a_managed_cluster_are_checked(dev_run: RunResult) -> None:
    cluster = copy.deepcopy(dev_run.one(sp.MANAGED_CLUSTER).inputs)
    system = cluster["agentPoolProfiles"][0]
    cluster["agentPoolProfiles"].append(
        {**system, "name": "kata", "mode": "User", "workloadRuntime": "KataVmIsolation",
         "vmSize": "Standard_D2_v3", "osSKU": "Ubuntu"}
    )  # fmt: skip
    found = violations(sp.KATA_NODE_POOLS, engine_args(sp.MANAGED_CLUSTER, cluster, "cluster-aks"))
    prefix = "ManagedCluster 'cluster-aks' agentPoolProfiles[1] 'kata': "
    assert [f[: len(prefix)] for f in found] == [prefix, prefix]
    assert found[0].startswith(prefix + "osSKU 'Ubuntu'")
    assert found[1].startswith(prefix + "vmSize 'Standard_D2_v3'")


# --- sandbox-pods-use-kata -----------------------------------------------------------------


def sandbox_violations(
    inputs: dict[str, Any],
    name: str = "untrusted",
    config: dict[str, Any] | None = None,
    provider: PolicyProviderResource | None = None,
) -> list[str]:
    args = engine_args(POD, inputs, name, config, provider)
    return violations(sp.SANDBOX_PODS_USE_KATA, args)


@pytest.mark.parametrize("runtime_class", [None, "runc", "kata-cc-isolation"])
def test_untrusted_pod_without_a_kata_class_is_refused(
    runtime_class: str | None, dev_run: RunResult
) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["spec"].pop("runtimeClassName")
    if runtime_class:
        inputs["spec"]["runtimeClassName"] = runtime_class
    shown = repr(runtime_class) if runtime_class else "(not set)"
    assert sandbox_violations(inputs) == [
        "Pod 'untrusted' is labelled app.kubernetes.io/part-of=aks-pod-sandboxing but would run "
        f"on the node's shared kernel: runtimeClassName is {shown}, expected one of "
        "kata-mshv-vm-isolation, kata-vm-isolation. Only the trusted pods (trusted) may run "
        "without Kata."
    ]


def test_namespace_decides_when_the_pod_has_no_sandbox_label(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["spec"].pop("runtimeClassName")
    inputs["metadata"]["labels"] = {"app": "other"}
    found = sandbox_violations(inputs)
    assert len(found) == 1 and "is in sandbox namespace 'pod-sandboxing'" in found[0]
    inputs["metadata"]["namespace"] = "apps"
    assert sandbox_violations(inputs) == []
    # Policy config replaces the default namespace list.
    config = {"sandboxNamespaces": ["apps"]}
    assert len(sandbox_violations(inputs, config=config)) == 1
    inputs["metadata"]["namespace"] = "pod-sandboxing"
    assert sandbox_violations(inputs, config=config) == []


def test_stack_podnamespace_is_always_a_sandbox_namespace(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["spec"].pop("runtimeClassName")
    inputs["metadata"] = {"name": "job", "namespace": "team-sandbox"}
    assert sandbox_violations(inputs, "job") == []
    # What the CLI passes a policy pack: the stack's config (here: a moved pod namespace).
    pulumi.runtime.set_config(sp.STACK_NAMESPACE_KEY, "team-sandbox")
    found = sandbox_violations(inputs, "job")
    assert len(found) == 1 and "is in sandbox namespace 'team-sandbox'" in found[0]
    assert len(sandbox_violations(inputs, "job", {"sandboxNamespaces": ["other"]})) == 1


def test_tenant_namespaces_are_sandbox_namespaces_without_exemptions(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["spec"].pop("runtimeClassName")
    inputs["metadata"] = {"name": "trusted", "namespace": "team-a"}
    assert sandbox_violations(inputs, "trusted") == []  # no tenants in the stack
    pulumi.runtime.set_config(sp.STACK_TENANTS_KEY, json.dumps([{"name": "team-a"}]))
    found = sandbox_violations(inputs, "trusted")  # the trusted name exempts nothing here
    assert len(found) == 1 and "is in sandbox namespace 'team-a'" in found[0]
    inputs["spec"]["runtimeClassName"] = "kata-vm-isolation"
    assert sandbox_violations(inputs, "trusted") == []
    inputs["metadata"]["namespace"] = "apps"
    inputs["spec"].pop("runtimeClassName")
    assert sandbox_violations(inputs, "trusted") == []


def test_pod_without_namespace_is_in_its_providers_namespace(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["spec"].pop("runtimeClassName")
    inputs["metadata"] = {"name": "job"}
    assert sandbox_violations(inputs, "job", provider=provider_of(dev_run)) == []  # "default"
    props = engine_props({"namespace": "pod-sandboxing"})
    provider = PolicyProviderResource("pulumi:providers:kubernetes", props, "urn:p", "k8s")
    found = sandbox_violations(inputs, "job", provider=provider)
    assert len(found) == 1 and "is in sandbox namespace 'pod-sandboxing'" in found[0]


def test_trusted_pods_are_exempt_and_configurable(dev_run: RunResult) -> None:
    trusted = pod_inputs(dev_run, "trusted")
    assert "runtimeClassName" not in trusted["spec"]
    assert sandbox_violations(trusted, "trusted") == []
    found = sandbox_violations(trusted, "trusted", {"trustedPods": ["metrics"]})
    assert len(found) == 1 and "Only the trusted pods (metrics)" in found[0]


def test_kata_pods_outside_the_sandbox_and_other_resources_pass(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["metadata"] = {"name": "web", "namespace": "apps"}
    assert sandbox_violations(inputs, "web") == []
    namespace = dev_run.one("kubernetes:core/v1:Namespace")
    assert violations(sp.SANDBOX_PODS_USE_KATA, args_of(namespace, dev_run)) == []


# --- Values a preview cannot know ------------------------------------------------------------


def test_unknown_runtime_class_defers_the_pod_policies_to_the_update(dev_run: RunResult) -> None:
    # A fresh stack's preview: the class name comes from the RuntimeClass read, which needs the
    # cluster. pulumi-policy turns the raised error into an advisory "can't run during preview".
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["spec"]["runtimeClassName"] = UNKNOWN_STRING_VALUE
    for policy in (sp.KATA_POD_HARDENING, sp.SANDBOX_PODS_USE_KATA):
        with pytest.raises(UnknownValueError) as unknown:
            violations(policy, engine_args(POD, inputs, "untrusted"))
        assert unknown.value.message == (
            "string value at .spec.runtimeClassName can't be known during preview"
        )


def test_sandbox_label_decides_without_reading_an_unknown_namespace(dev_run: RunResult) -> None:
    inputs = pod_inputs(dev_run, "untrusted")
    inputs["metadata"]["namespace"] = UNKNOWN_STRING_VALUE
    assert sandbox_violations(inputs) == []
    del inputs["metadata"]["labels"]
    with pytest.raises(UnknownValueError) as unknown:
        sandbox_violations(inputs)
    assert unknown.value.props == ["metadata", "namespace"]


# --- The pack as a whole -------------------------------------------------------------------


def test_pack_has_three_mandatory_policies_and_one_advisory() -> None:
    levels = {p.name: p.enforcement_level for p in sp.POLICIES}
    assert levels == {
        "kata-pod-hardening": EnforcementLevel.MANDATORY,
        "kata-node-pools": EnforcementLevel.MANDATORY,
        "sandbox-pods-use-kata": EnforcementLevel.MANDATORY,
        "images-pinned-by-digest": EnforcementLevel.ADVISORY,
    }
    config_defaults = {
        (p.name, key): prop["default"]
        for p in sp.POLICIES
        if p.config_schema
        for key, prop in p.config_schema.properties.items()
    }
    assert config_defaults == {
        ("kata-node-pools", "allowUnlistedVmSize"): False,
        ("sandbox-pods-use-kata", "sandboxNamespaces"): [default_settings().pod_namespace],
        ("sandbox-pods-use-kata", "trustedPods"): [workload.TRUSTED_POD],
    }


def _import_closure(entry: Path) -> set[str]:
    """Top-level names of every non-local import reachable from `entry` through local modules
    (`policy.*`, `sandboxing.*`), as Python would load them."""
    todo, seen, outside = [entry], set(), set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                # `from pkg import mod` may name submodules: try both readings.
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] not in ("policy", "sandboxing"):
                    outside.add(parts[0])
                    continue
                for candidate in (REPO.joinpath(*parts).with_suffix(".py"),
                                  REPO.joinpath(*parts, "__init__.py")):  # fmt: skip
                    if candidate.exists():
                        todo.append(candidate)
    return outside - set(sys.stdlib_module_names) - {"__future__"}


def test_pack_venv_needs_only_its_own_requirements() -> None:
    # The pack runs in policy/venv with policy/requirements.txt and imports `sandboxing` from
    # the repository: whatever it loads must be stdlib, local, or listed there.
    third_party = _import_closure(REPO / "policy" / "__main__.py")
    requirements = (REPO / "policy" / "requirements.txt").read_text()
    listed = {
        m[1].replace("-", "_")
        for m in re.finditer(r"^([A-Za-z0-9_.-]+)", requirements, re.MULTILINE)
    }
    assert third_party == {"pulumi", "pulumi_policy"}
    assert third_party <= listed


def _spec(text: str, package: str) -> str:
    match = re.search(rf"^{re.escape(package)}([<>=!~][^\s#]*)", text, re.MULTILINE)
    assert match, f"{package} missing"
    return match[1]


def test_pack_requirements_match_the_programs_ranges() -> None:
    # The ranges; tools.locks checks that the locks agree on the versions.
    pack = (REPO / "policy" / "requirements.in").read_text()
    program = (REPO / "requirements.in").read_text()
    dev = (REPO / "requirements-dev.in").read_text()
    assert _spec(pack, "pulumi") == _spec(program, "pulumi")
    assert _spec(pack, "pulumi-policy") == _spec(dev, "pulumi-policy")
