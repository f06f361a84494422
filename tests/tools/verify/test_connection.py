"""Reaching the cluster: TLS, client certificates, exec plugins, contexts, kubeconfig files.

The stand-in serves TLS on 127.0.0.1 from a CA made once per session (tests/kube_standin.py
`pki`); each failure must name its real cause and the fix.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from kube_standin import StandIn, pki, refused_port, serving, silent_tls_port
from verify_cluster import (
    TOKEN,
    exec_plugin,
    isolated,
    kubeconfig_text,
    run_verify,
    user_cert,
    user_exec,
    verdicts,
    write_kubeconfig,
)

FRESH_KUBECONFIG = ("pulumi stack output kubeconfig", "az aks get-credentials")
KUBELOGIN_SAYS = "AzureCLICredential: ERROR: Please run 'az login' to setup account."


@pytest.fixture
def tls_api() -> Iterator[StandIn]:
    with serving(TOKEN, pki().server) as server:
        isolated(server.cluster)
        yield server


def cannot_check_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("CANNOT CHECK:")]
    assert len(lines) == 1, err
    return lines[0]


def test_tls_with_the_kubeconfig_ca_and_a_token(
    tls_api: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_kubeconfig(tmp_path, kubeconfig_text(tls_api.url, ca=pki().ca.cert))
    code, out, _ = run_verify(capsys, "--kubeconfig", path)
    assert code == 0, out
    assert out.startswith(f"Isolation check: API server {tls_api.url}")


def test_client_certificate_authentication(
    tls_api: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = kubeconfig_text(tls_api.url, user=user_cert(pki().client), ca=pki().ca.cert)
    code, out, _ = run_verify(capsys, "--kubeconfig", write_kubeconfig(tmp_path, text))
    assert code == 0, out
    assert all(r.client_cert and not r.authorization for r in tls_api.requests)


def test_an_expired_client_certificate_is_named(
    tls_api: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = kubeconfig_text(tls_api.url, user=user_cert(pki().expired_client), ca=pki().ca.cert)
    code, _, err = run_verify(capsys, "--kubeconfig", write_kubeconfig(tmp_path, text))
    said = cannot_check_line(err)
    assert code == 2
    assert "client certificate expired on" in said
    assert all(command in said for command in FRESH_KUBECONFIG)
    assert "certificate-authority-data" not in said


def test_a_host_name_not_in_the_server_certificate_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving(TOKEN, pki().wrong_host_server) as api:
        path = write_kubeconfig(tmp_path, kubeconfig_text(api.url, ca=pki().ca.cert))
        code, _, err = run_verify(capsys, "--kubeconfig", path)
    said = cannot_check_line(err)
    assert code == 2
    assert "127.0.0.1 is not a name in the API server's certificate" in said
    assert all(command in said for command in FRESH_KUBECONFIG)
    assert "certificate-authority-data" not in said


def test_a_server_certificate_from_an_unknown_ca_is_named(
    tls_api: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_kubeconfig(tmp_path, kubeconfig_text(tls_api.url, ca=pki().other_ca.cert))
    code, out, _ = run_verify(capsys, "--kubeconfig", path, "--format", "json")
    said = json.loads(out)["error"]
    assert code == 2
    assert "not signed by the kubeconfig's certificate-authority-data" in said
    assert "az aks rotate-certs" in said
    assert all(command in said for command in FRESH_KUBECONFIG)


def test_a_server_that_never_completes_tls_is_a_handshake_timeout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tools.verify import read as verify_read

    monkeypatch.setattr(verify_read, "REQUEST_TIMEOUT", (0.1, 7))
    with silent_tls_port() as url:
        path = write_kubeconfig(tmp_path, kubeconfig_text(url, ca=pki().ca.cert))
        started = time.monotonic()
        code, _, err = run_verify(capsys, "--kubeconfig", path)
    said = cannot_check_line(err)
    assert code == 2 and time.monotonic() - started < 5
    assert "TLS handshake did not complete within 0.1 s" in said
    assert "7 s" not in said


# --- Exec credential plugins (kubelogin) ----------------------------------------------------


def test_an_exec_plugin_token_is_used(
    tls_api: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plugin = exec_plugin(tmp_path, TOKEN)
    text = kubeconfig_text(tls_api.url, user=user_exec(plugin), ca=pki().ca.cert)
    code, out, _ = run_verify(capsys, "--kubeconfig", write_kubeconfig(tmp_path, text))
    assert code == 0, out
    assert {r.authorization for r in tls_api.requests} == {f"Bearer {TOKEN}"}


@pytest.mark.parametrize("output", ["text", "json"])
def test_a_failing_exec_plugin_shows_its_own_message(
    output: str, tls_api: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plugin = exec_plugin(tmp_path, None, stderr=f"Error: failed to get token: {KUBELOGIN_SAYS}\n")
    text = kubeconfig_text(tls_api.url, user=user_exec(plugin), ca=pki().ca.cert)
    code, out, err = run_verify(
        capsys, "--kubeconfig", write_kubeconfig(tmp_path, text), "--format", output
    )
    said = json.loads(out)["error"] if output == "json" else cannot_check_line(err)
    assert code == 2
    assert KUBELOGIN_SAYS in said and "exec" in said
    assert tls_api.requests == []  # no anonymous request that can only end in 401


# --- Contexts and kubeconfig files ----------------------------------------------------------


def test_context_picks_the_cluster(
    tls_api: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with refused_port() as dead:
        text = kubeconfig_text(dead, ca=pki().ca.cert, more_contexts={"sandbox": tls_api.url})
        path = write_kubeconfig(tmp_path, text)
        code, out, _ = run_verify(capsys, "--kubeconfig", path, "--context", "sandbox")
        assert (code, verdicts(out)) == (0, ["PASS"] * 4)
        code, _, err = run_verify(capsys, "--kubeconfig", path)  # current context: refused
        assert code == 2 and "connection refused" in err


def test_an_unknown_context_lists_the_known_ones(
    tls_api: StandIn, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = kubeconfig_text(tls_api.url, more_contexts={"staging": tls_api.url})
    code, _, err = run_verify(
        capsys, "--kubeconfig", write_kubeconfig(tmp_path, text), "--context", "prod"
    )
    said = cannot_check_line(err)
    assert code == 2
    assert 'context "prod" is not in the kubeconfig' in said
    assert "aks-pod-sandboxing, staging" in said


def test_a_missing_kubeconfig_file_says_file_not_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_verify(capsys, "--kubeconfig", str(tmp_path / "nope"))
    assert code == 2
    assert f"kubeconfig file not found: {tmp_path / 'nope'}" in cannot_check_line(err)


def test_without_the_kubernetes_package_it_says_what_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "kubernetes", None)  # `import kubernetes` now fails
    path = write_kubeconfig(tmp_path, kubeconfig_text("https://127.0.0.1:1"))
    code, _, err = run_verify(capsys, "--kubeconfig", path)
    said = cannot_check_line(err)
    assert code == 2
    assert "kubernetes" in said and f"{sys.executable} -m pip install -r requirements.txt" in said
