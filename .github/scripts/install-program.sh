#!/usr/bin/env bash
# Install the program and the policy pack into the venvs Pulumi.yaml and policy/PulumiPolicy.yaml
# name (virtualenv: venv): the CLI would create ./venv itself, but never policy/venv for a local
# --policy-pack. Used by deploy.yml and pull-request.yml, in a step with STACK set.
set -euo pipefail
python -m venv venv
venv/bin/python -m pip install --disable-pip-version-check -r requirements.txt
python -m venv policy/venv
policy/venv/bin/python -m pip install --disable-pip-version-check -r policy/requirements.txt
# The stack's own policy config, if any (policy/config.prod.json makes digest pinning mandatory):
# pulumi/actions passes it as --policy-pack-config.
if [ -f "policy/config.$STACK.json" ]; then
  echo "policy-config=policy/config.$STACK.json" >> "$GITHUB_OUTPUT"
fi
