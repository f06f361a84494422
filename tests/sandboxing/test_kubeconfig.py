from __future__ import annotations

import yaml

from sandboxing.kubeconfig import use_azure_cli_login
from tools.harness import mock_kubeconfig


def test_static_token_kubeconfig_is_unchanged() -> None:
    original = yaml.safe_load(mock_kubeconfig("aks"))
    assert yaml.safe_load(use_azure_cli_login(mock_kubeconfig("aks"))) == original


def test_device_code_becomes_azure_cli() -> None:
    converted = yaml.safe_load(use_azure_cli_login(mock_kubeconfig("aks", exec_format=True)))
    args = converted["users"][0]["user"]["exec"]["args"]
    assert args == [
        "get-token",
        "--environment",
        "AzurePublicCloud",
        "--server-id",
        "6dae42f8-4368-4678-94ff-3960e28e3630",
        "--tenant-id",
        "72f988bf-86f1-41af-91ab-2d7cd011db47",
        "--login",
        "azurecli",
    ]
