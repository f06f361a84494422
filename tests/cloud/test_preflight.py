"""The subscription preflight against a stand-in Resource Manager (HTTPS on 127.0.0.1): the real
ARMPipelineClient, real status codes and ARM's real error bodies (tests/arm_bodies.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from arm_bodies import TENANT, forbidden, jwt, sku, throttled
from arm_standin import (
    BASE,
    BYOIP,
    SKUS,
    SUB,
    TOKEN,
    USAGES,
    VERSIONS,
    StaticCredential,
    healthy,
    provider,
    usages,
    versions,
)
from azure.core.credentials import AccessToken
from standins import ArmRoutes, Reply, StandIn, serve
from tls_material import ServerFiles, server_files

from cloud import preflight as preflight_module
from cloud.arm_reader import ArmReader
from cloud.preflight import (
    FEATURES_API,
    PROVIDERS_API,
    SKUS_API,
    USAGES_API,
    VERSIONS_API,
    Preflight,
    Report,
    Target,
    run_preflight,
)
from sandboxing.azure_clouds import US_GOVERNMENT
from sandboxing.config.contract import default_settings
from sandboxing.preflight_needs import PreflightNeeds, preflight_needs

DEV = default_settings(location="westeurope", kubernetes_version="1.36")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> ServerFiles:
    return server_files(Path(tmp_path_factory.mktemp("arm-preflight-tls")))


@pytest.fixture
def sleeps() -> list[float]:
    return []


def run(
    routes: dict[str, Any],
    certificate: ServerFiles,
    sleeps: list[float],
    needs: PreflightNeeds | None = None,
    old: PreflightNeeds | None = None,
    credential: Any = None,
) -> tuple[Report, StandIn, ArmRoutes]:
    arm = ArmRoutes(TOKEN, routes)
    with serve(arm, certificate) as standin:
        reader = ArmReader(
            credential or StaticCredential(TOKEN),
            US_GOVERNMENT,
            base_url=standin.url,
            connection_verify=str(certificate.ca_file),
            sleep=sleeps.append,
        )
        target = Target(SUB, US_GOVERNMENT, "service principal c0ffee (secret)")
        try:
            report = Preflight(reader, target).run(needs or preflight_needs(DEV), old)
        finally:
            reader.close()
    return report, standin, arm


def test_a_ready_subscription_passes_reading_only_and_following_pages(
    certificate: ServerFiles, sleeps: list[float]
) -> None:
    credential = StaticCredential(TOKEN)
    report, standin, arm = run(healthy(), certificate, sleeps, credential=credential)
    assert report.errors == []
    (byoip,) = report.warnings
    assert "Microsoft.Network/AllowBringYourOwnPublicIpAddress is NotRegistered" in byoip
    assert {r.method for r in standin.requests} == {"GET"}  # nothing registered, nothing written
    apis = {r.path: r.query["api-version"] for r in standin.requests}
    assert apis[f"{BASE}/Microsoft.Compute"] == [PROVIDERS_API]
    assert apis[BYOIP] == [FEATURES_API] and apis[USAGES] == [USAGES_API]
    assert apis[VERSIONS] == [VERSIONS_API] and apis[SKUS] == [SKUS_API]
    first = next(r for r in standin.requests if r.path == SKUS)
    assert first.query["$filter"] == ["location eq 'westeurope'"]
    assert arm.calls[SKUS] == 2  # both pages
    assert credential.scopes[0] == (US_GOVERNMENT.arm_scope,)  # the cloud's own scope
    assert sleeps == []


def test_what_is_missing_fails_with_the_numbers_and_the_fix(
    certificate: ServerFiles, sleeps: list[float]
) -> None:
    routes = {
        **healthy(),
        f"{BASE}/Microsoft.ContainerService": provider(
            "Microsoft.ContainerService", "NotRegistered"
        ),
        USAGES: usages(dsv3_used=8),
        VERSIONS: versions(("1.34", ["AKSLongTermSupport"]), ("1.36", ["KubernetesOfficial"])),
    }
    settings = default_settings(location="westeurope", kubernetes_version="1.34", kata_node_count=2)
    report, _, _ = run(routes, certificate, sleeps, needs=preflight_needs(settings))
    errors = report.errors
    assert len(errors) == 3, errors
    assert "az provider register --namespace Microsoft.ContainerService" in errors[0]
    assert "'Standard DSv3 Family vCPUs' in westeurope: the stack adds 8 vCPUs" in errors[1]
    assert "2 of 10 are free (8 in use)" in errors[1]
    assert "kubernetesVersion '1.34'" in errors[2] and "long-term support" in errors[2]


def test_a_read_the_login_may_not_do_is_a_warning_and_the_rest_is_checked(
    certificate: ServerFiles, sleeps: list[float]
) -> None:
    routes = {
        **healthy(),
        SKUS: Reply(403, forbidden("Microsoft.Compute/skus/read", f"/subscriptions/{SUB}")),
    }
    report, standin, _ = run(routes, certificate, sleeps)
    assert report.errors == []
    skipped = next(w for w in report.warnings if "VM sizes" in w)
    assert "HTTP 403, AuthorizationFailed" in skipped and "Reader role" in skipped
    assert any(r.path == VERSIONS for r in standin.requests)  # went on with the next check


def test_throttling_is_waited_out_as_arm_asks_bounded(
    certificate: ServerFiles, sleeps: list[float]
) -> None:
    slow = [
        Reply(429, throttled(SUB, 2), {"Retry-After": "2"}),
        Reply(429, throttled(SUB, 30), {"Retry-After": "30"}),
        Reply(
            200,
            {
                "value": [
                    sku("Standard_D4s_v3", "standardDSv3Family", 4),
                    sku("Standard_D2s_v5", "standardDSv5Family", 2),
                ]
            },
        ),
    ]
    report, _, arm = run({**healthy(), SKUS: slow}, certificate, sleeps)
    assert report.errors == [] and arm.calls[SKUS] == 3
    assert sleeps == [2.0, 10.0]  # Retry-After, capped at the longest wait


def test_throttling_for_good_is_a_warning_after_three_attempts(
    certificate: ServerFiles, sleeps: list[float]
) -> None:
    always = Reply(429, throttled(SUB, 5), {"Retry-After": "5"})
    report, _, arm = run({**healthy(), USAGES: always}, certificate, sleeps)
    assert arm.calls[USAGES] == 3 and sleeps == [5.0, 5.0]
    (warning,) = [w for w in report.warnings if "quota" in w]
    assert "HTTP 429, SubscriptionRequestsThrottled" in warning and "3 attempts" in warning


def test_a_refused_token_is_an_error_naming_it_and_stops(
    certificate: ServerFiles, sleeps: list[float]
) -> None:
    other = jwt({"tid": "t-other", "aud": "https://management.core.windows.net/", "exp": 1})
    report, standin, _ = run(healthy(), certificate, sleeps, credential=StaticCredential(other))
    (error,) = report.errors
    assert "HTTP 401, InvalidAuthenticationToken" in error and "tenant (tid) t-other" in error
    assert "audience (aud) https://management.core.windows.net/" in error
    assert "https://management.core.usgovcloudapi.net/" in error  # the audience it should be
    assert len(standin.requests) == 1 and report.stopped


def test_without_a_token_nothing_is_asked_and_it_is_a_warning(
    certificate: ServerFiles, sleeps: list[float]
) -> None:
    from azure.core.exceptions import ClientAuthenticationError

    class NotLoggedIn:
        def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
            raise ClientAuthenticationError("Please run 'az login' to set up an account")

    report, standin, _ = run(healthy(), certificate, sleeps, credential=NotLoggedIn())
    assert report.errors == [] and standin.requests == []
    (warning,) = report.warnings
    assert "no token with service principal c0ffee (secret)" in warning and "az login" in warning


def test_an_unregistered_namespace_is_reported_never_registered(
    certificate: ServerFiles, sleeps: list[float]
) -> None:
    """An ARMPipelineClient with its default policies would POST providers/{ns}/register."""
    missing = Reply(
        409,
        {
            "error": {
                "code": "MissingSubscriptionRegistration",
                "message": (
                    "The subscription is not registered to use namespace 'Microsoft.Compute'. See "
                    "https://aka.ms/rps-not-found for how to register subscriptions."
                ),
            }
        },
    )
    report, standin, _ = run({**healthy(), SKUS: missing}, certificate, sleeps)
    assert [r for r in standin.requests if r.method != "GET" or "register" in r.path] == []
    assert any("MissingSubscriptionRegistration" in w for w in report.warnings)


def test_the_last_runs_pools_count_once(certificate: ServerFiles, sleeps: list[float]) -> None:
    tight = {**healthy(), USAGES: usages(dsv3_used=2)}  # 8 of the family's 10 vCPUs free
    bigger = preflight_needs(
        default_settings(location="westeurope", kubernetes_version="1.36", kata_node_count=3)
    )
    (error,) = run(tight, certificate, sleeps, needs=bigger)[0].errors
    assert "the stack adds 12 vCPUs (kataNodeVmSize Standard_D4s_v3: 3 x 4)" in error
    # Deployed with 2 nodes (their 8 vCPUs already in use): growing to 3 adds one node.
    old = PreflightNeeds.from_inputs(
        {
            **bigger.as_inputs(),
            "pools": [
                {"key": "systemNodeVmSize", "vm_size": "Standard_D2s_v5", "nodes": 1},
                {"key": "kataNodeVmSize", "vm_size": "Standard_D4s_v3", "nodes": 2},
            ],
        }
    )
    report = run(tight, certificate, sleeps, needs=bigger, old=old)[0]
    assert report.errors == []


def test_no_answer_is_a_warning_per_check() -> None:
    reader = ArmReader(
        StaticCredential(TOKEN), US_GOVERNMENT, base_url="https://127.0.0.1:9", sleep=lambda s: None
    )
    try:
        report = Preflight(reader, Target(SUB, US_GOVERNMENT, "x")).run(preflight_needs(DEV), None)
    finally:
        reader.close()
    assert report.errors == [] and report.warnings
    assert all("no answer" in w and "Unreachable" in w for w in report.warnings)


def test_from_the_resources_inputs_with_azure_natives_tenant(
    certificate: ServerFiles, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the provider's check runs: the inputs as the program registered them."""
    made: list[tuple[Any, Any]] = []
    with serve(ArmRoutes(TOKEN, healthy()), certificate) as standin:

        def reader_for(credential: Any, cloud: Any) -> ArmReader:
            made.append((credential, cloud))
            return ArmReader(
                StaticCredential(TOKEN),
                cloud,
                base_url=standin.url,
                connection_verify=str(certificate.ca_file),
                sleep=sleeps.append,
            )

        inputs = {
            "subscription_id": SUB,
            "tenant_id": TENANT,
            "cloud": "usgovernment",
            "needs": preflight_needs(DEV).as_inputs(),
        }
        report = run_preflight(inputs, None, {}, reader_for=reader_for)
    assert report.errors == [] and len(report.warnings) == 1
    credential, cloud = made[0]
    assert cloud is US_GOVERNMENT
    assert credential.tenant_id == TENANT  # the Azure CLI login, in azure-native's tenant
    assert preflight_module.READER in "the built-in Reader role on the subscription"


def test_a_running_cluster_s_nodes_are_counted_once(
    certificate: ServerFiles, sleeps: list[float]
) -> None:
    """A stack deployed before it had a preflight: no state to compare with, but the cluster
    itself says which pools run, and their nodes are already in the usages."""
    named = default_settings(
        location="westeurope",
        kubernetes_version="1.36",
        resource_group_name="rg-team",
        cluster_name="aks-team",
        kata_node_count=3,
    )
    cluster = (
        f"/subscriptions/{SUB}/resourceGroups/rg-team/providers/Microsoft.ContainerService/"
        "managedClusters/aks-team"
    )
    running = Reply(
        200,
        {
            "id": cluster,
            "name": "aks-team",
            "properties": {
                "agentPoolProfiles": [
                    {"name": "system", "vmSize": "Standard_D2s_v5", "count": 1, "mode": "System"},
                    {"name": "katapool", "vmSize": "Standard_D4s_v3", "count": 2, "mode": "User"},
                    {"name": "other", "vmSize": "Standard_D4s_v3", "count": 5, "mode": "User"},
                ]
            },
        },
    )
    tight = {**healthy(), USAGES: usages(dsv3_used=6)}  # 4 of the family's 10 free
    report, standin, _ = run(
        {**tight, cluster: running}, certificate, sleeps, needs=preflight_needs(named)
    )
    assert report.errors == []  # one more Kata node: 4 vCPUs
    assert standin.sent("GET", cluster)[0].query["api-version"] == ["2026-08-01"]
    # No cluster yet (ARM's 404): every node is new.
    missing = "Resource group 'rg-team' could not be found."
    gone = Reply(404, {"error": {"code": "ResourceGroupNotFound", "message": missing}})
    report, _, _ = run({**tight, cluster: gone}, certificate, sleeps, needs=preflight_needs(named))
    (error,) = report.errors
    assert "the stack adds 12 vCPUs (kataNodeVmSize Standard_D4s_v3: 3 x 4)" in error
