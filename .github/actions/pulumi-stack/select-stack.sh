#!/usr/bin/env bash
# Log in (the backend comes from PULUMI_BACKEND_URL, else Pulumi Cloud with PULUMI_ACCESS_TOKEN;
# the login is stored for the job's later steps) and select the stack.
#
# A secrets provider is only ever applied when a stack is created (pulumi/pulumi
# pkg/cmd/pulumi/stack/stack_select.go: --secrets-provider goes with --create); the creation
# writes secretsprovider/encryptedkey/encryptionsalt into the runner's Pulumi.<stack>.yaml and
# stores the same secrets manager in the stack's state. The runner's copy is lost with the job,
# so later runs read it back from the state (PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER); the lines
# are also printed here so they can be committed for people working from a checkout.
set -euo pipefail

pulumi login --non-interactive

if [ "$CREATE" != true ]; then
  if ! pulumi stack select --non-interactive "$STACK"; then
    echo "::error::stack $STACK does not exist in this backend (nothing to do)"
    exit 1
  fi
  echo "created=false" >> "$GITHUB_OUTPUT"
  exit 0
fi

output=$(pulumi stack select --non-interactive --create \
  --secrets-provider "${SECRETS_PROVIDER:-default}" "$STACK" 2>&1) || {
  echo "$output"
  echo "::error::could not select or create stack $STACK (see above)"
  exit 1
}
echo "$output"
if ! grep -q "Created stack" <<< "$output"; then
  echo "created=false" >> "$GITHUB_OUTPUT"
  exit 0
fi
echo "created=true" >> "$GITHUB_OUTPUT"

stack_file="Pulumi.${STACK##*/}.yaml"
secrets_lines=$(grep -E '^(secretsprovider|encryptedkey|encryptionsalt):' "$stack_file" || true)
if [ -n "$secrets_lines" ]; then
  echo "::notice::created stack $STACK; commit its secrets settings to $stack_file (see the job summary)"
  {
    echo "### Stack $STACK created"
    echo "Commit these lines to \`$stack_file\` so local runs use the same secrets provider"
    echo "(the workflows read it from the stack's state either way):"
    echo '```yaml'
    echo "$secrets_lines"
    echo '```'
  } >> "$GITHUB_STEP_SUMMARY"
fi
