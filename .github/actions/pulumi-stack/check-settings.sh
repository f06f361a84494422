#!/usr/bin/env bash
# Fail early, naming every missing or unusable setting at once; then hand the backend and Azure
# settings to the job's later steps (see action.yml for why each variable is there).
set -euo pipefail

problems=()
need() { problems+=("$1"); }

if [[ ! "$STACK" =~ ^([A-Za-z0-9][A-Za-z0-9._-]*/){0,2}[A-Za-z0-9][A-Za-z0-9._-]*$ ]]; then
  need "stack name '$STACK' (letters, digits, . _ -, optionally org/ or org/project/ first)"
fi
# Values below end up in $GITHUB_ENV: accept only their plain forms (no newline can slip in).
guid='^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'
[[ "$CLIENT_ID" =~ $guid ]] || need "variable AZURE_CLIENT_ID (a GUID, got '$CLIENT_ID')"
[[ "$TENANT_ID" =~ $guid ]] || need "variable AZURE_TENANT_ID (a GUID, got '$TENANT_ID')"
[[ "$SUBSCRIPTION_ID" =~ $guid ]] || need "variable AZURE_SUBSCRIPTION_ID (a GUID, got '$SUBSCRIPTION_ID')"
if [ -n "$STORAGE_ACCOUNT" ] && [[ ! "$STORAGE_ACCOUNT" =~ ^[a-z0-9]{3,24}$ ]]; then
  need "variable AZURE_STORAGE_ACCOUNT (3-24 lowercase letters and digits, got '$STORAGE_ACCOUNT')"
fi
if [ -z "${ACTIONS_ID_TOKEN_REQUEST_URL:-}" ] || [ -z "${ACTIONS_ID_TOKEN_REQUEST_TOKEN:-}" ]; then
  need "permission 'id-token: write' on this job (Azure OIDC login)"
fi

# The backend.
backend_kind="$BACKEND_URL"
if [[ "$BACKEND_URL" =~ [[:space:]] ]]; then
  backend_kind="invalid: contains spaces or line breaks"
fi
case "$backend_kind" in
  "" | https://*)
    backend=cloud
    [ "$HAS_ACCESS_TOKEN" = true ] ||
      need "secret PULUMI_ACCESS_TOKEN (variable PULUMI_BACKEND_URL is ${BACKEND_URL:-empty}, so the backend is Pulumi Cloud)"
    ;;
  azblob://*)
    backend=azblob
    if [ -z "$STORAGE_ACCOUNT" ] && [[ "$BACKEND_URL" != *storage_account=* ]]; then
      need "variable AZURE_STORAGE_ACCOUNT (the storage account of $BACKEND_URL)"
    fi
    ;;
  *)
    backend=unsupported
    need "variable PULUMI_BACKEND_URL = '$backend_kind': use empty (Pulumi Cloud) or azblob://<container>"
    ;;
esac

# The secrets provider: what the checked-in stack file says wins (it is what the CLI will use),
# then PULUMI_SECRETS_PROVIDER, then the backend's default (Pulumi Cloud: its own; azblob:
# passphrase).
stack_file="Pulumi.${STACK##*/}.yaml"
provider="$SECRETS_PROVIDER"
if [ -f "$stack_file" ]; then
  if grep -Eq '^secretsprovider: *azurekeyvault://' "$stack_file"; then
    provider=azurekeyvault
  elif grep -Eq '^encryptionsalt:' "$stack_file"; then
    provider=passphrase
  fi
fi
case "$provider" in
  "" | default)
    [ "$backend" != azblob ] || provider=passphrase
    ;;
  passphrase | azurekeyvault | azurekeyvault://*) ;;
  *)
    need "variable PULUMI_SECRETS_PROVIDER = '$provider': these workflows wire passphrase and azurekeyvault://<vault>.vault.azure.net/keys/<key>"
    ;;
esac
if [ "$provider" = passphrase ] && [ "$HAS_PASSPHRASE" != true ]; then
  need "secret PULUMI_CONFIG_PASSPHRASE (stack $STACK uses the passphrase secrets provider; or create it with PULUMI_SECRETS_PROVIDER=azurekeyvault://<vault>.vault.azure.net/keys/<key>)"
fi

if [ ${#problems[@]} -gt 0 ]; then
  for problem in "${problems[@]}"; do
    echo "::error::missing or unusable setting: $problem"
  done
  exit 1
fi

{
  [ -z "$BACKEND_URL" ] || echo "PULUMI_BACKEND_URL=$BACKEND_URL"
  [ -z "$STORAGE_ACCOUNT" ] || echo "AZURE_STORAGE_ACCOUNT=$STORAGE_ACCOUNT"
  echo "PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER=true"
  echo "PULUMI_SKIP_UPDATE_CHECK=true"
  echo "ARM_USE_OIDC=true"
  echo "ARM_CLIENT_ID=$CLIENT_ID"
  echo "ARM_TENANT_ID=$TENANT_ID"
  echo "ARM_SUBSCRIPTION_ID=$SUBSCRIPTION_ID"
  echo "AAD_LOGIN_METHOD=workloadidentity"
  echo "AZURE_CLIENT_ID=$CLIENT_ID"
  echo "AZURE_TENANT_ID=$TENANT_ID"
} >> "$GITHUB_ENV"
echo "backend: $backend, secrets provider: ${provider:-default}"
