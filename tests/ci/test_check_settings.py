"""The stack action's settings check: every missing setting named at once, env handed on."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tools.repo import REPO

SCRIPT = REPO / ".github" / "actions" / "pulumi-stack" / "check-settings.sh"
GUID = "00000000-0000-0000-0000-000000000001"
COMPLETE = {
    "STACK": "dev",
    "CLIENT_ID": GUID,
    "TENANT_ID": GUID,
    "SUBSCRIPTION_ID": GUID,
    "BACKEND_URL": "",
    "STORAGE_ACCOUNT": "",
    "SECRETS_PROVIDER": "",
    "HAS_ACCESS_TOKEN": "true",
    "HAS_PASSPHRASE": "false",
    "ACTIONS_ID_TOKEN_REQUEST_URL": "https://token.example",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "t",
}


def check(tmp_path: Path, **settings: str) -> tuple[int, str, dict[str, str]]:
    env_file = tmp_path / "github_env"
    env = {"PATH": "/usr/bin:/bin", "GITHUB_ENV": str(env_file), **COMPLETE, **settings}
    done = subprocess.run(
        ["bash", str(SCRIPT)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=10
    )
    lines = env_file.read_text().splitlines() if env_file.exists() else []
    exported = dict(line.split("=", 1) for line in lines)
    return done.returncode, done.stdout, exported


def test_pulumi_cloud_with_a_token_passes_and_hands_on_oidc_settings(tmp_path: Path) -> None:
    code, _, exported = check(tmp_path)
    assert code == 0
    assert exported["ARM_USE_OIDC"] == "true" and exported["ARM_CLIENT_ID"] == GUID
    assert exported["AAD_LOGIN_METHOD"] == "workloadidentity"
    assert exported["PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER"] == "true"
    assert "PULUMI_BACKEND_URL" not in exported


def test_azblob_without_passphrase_or_account_names_both_and_exports_nothing(
    tmp_path: Path,
) -> None:
    code, out, exported = check(
        tmp_path, BACKEND_URL="azblob://state", HAS_ACCESS_TOKEN="false", CLIENT_ID=""
    )
    assert code == 1 and exported == {}
    errors = [line for line in out.splitlines() if line.startswith("::error::")]
    assert len(errors) == 3
    assert "variable AZURE_CLIENT_ID" in errors[0]
    assert "variable AZURE_STORAGE_ACCOUNT" in out
    assert "secret PULUMI_CONFIG_PASSPHRASE" in out
    assert "PULUMI_ACCESS_TOKEN" not in out  # not needed with azblob


def test_azblob_with_key_vault_needs_no_passphrase(tmp_path: Path) -> None:
    code, _, exported = check(
        tmp_path,
        BACKEND_URL="azblob://state",
        STORAGE_ACCOUNT="pulumistate01",
        SECRETS_PROVIDER="azurekeyvault://kv.vault.azure.net/keys/pulumi",
        HAS_ACCESS_TOKEN="false",
    )
    assert code == 0
    assert exported["PULUMI_BACKEND_URL"] == "azblob://state"
    assert exported["AZURE_STORAGE_ACCOUNT"] == "pulumistate01"


def test_a_committed_passphrase_stack_file_wins_over_the_variable(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.dev.yaml").write_text("encryptionsalt: v1:abc:def\nconfig: {}\n")
    code, out, _ = check(
        tmp_path, SECRETS_PROVIDER="azurekeyvault://kv.vault.azure.net/keys/pulumi"
    )
    assert code == 1 and "secret PULUMI_CONFIG_PASSPHRASE" in out


def test_values_that_could_inject_into_github_env_are_refused(tmp_path: Path) -> None:
    code, out, exported = check(tmp_path, CLIENT_ID=f"{GUID}\nLD_PRELOAD=/tmp/x")
    assert code == 1 and exported == {}
    assert "variable AZURE_CLIENT_ID (a GUID" in out


def test_unsupported_backend_and_provider_and_missing_oidc_permission(tmp_path: Path) -> None:
    code, out, _ = check(
        tmp_path,
        BACKEND_URL="s3://bucket",
        SECRETS_PROVIDER="awskms://alias/x",
        ACTIONS_ID_TOKEN_REQUEST_URL="",
    )
    assert code == 1
    assert "PULUMI_BACKEND_URL = 's3://bucket'" in out
    assert "PULUMI_SECRETS_PROVIDER = 'awskms://alias/x'" in out
    assert "id-token: write" in out
