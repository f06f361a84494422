"""Kubeconfig rewrites the program needs (pure text in, text out)."""

from __future__ import annotations

LOGIN_FLAG = "--login"
UNUSED_WITH_AZURE_CLI = ("--client-id",)  # the CLI's own app signs in; a client id would be wrong


def use_azure_cli_login(kubeconfig: str) -> str:
    """Make kubelogin users sign in with the Azure CLI's login instead of a device code.

    AKS returns Entra-enabled kubeconfigs with `kubelogin get-token --login devicecode`, which
    would stop `pulumi up` at an interactive prompt. This is what
    `kubelogin convert-kubeconfig -l azurecli` does; other users are left alone.
    """
    import yaml  # only Entra-enabled clusters need it

    config = yaml.safe_load(kubeconfig)
    for user in config.get("users") or []:
        exec_config = (user.get("user") or {}).get("exec") or {}
        if exec_config.get("command") != "kubelogin":
            continue
        args = list(exec_config.get("args") or [])
        rewritten: list[str] = []
        skip = False
        for arg in args:
            if skip:
                skip = False
                continue
            if arg in UNUSED_WITH_AZURE_CLI or arg == LOGIN_FLAG:
                skip = True
                continue
            rewritten.append(arg)
        exec_config["args"] = [*rewritten, LOGIN_FLAG, "azurecli"]
    return yaml.safe_dump(config, sort_keys=False)
