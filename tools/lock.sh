#!/usr/bin/env bash
# Re-make the four locks from the ranges, at the newest versions the ranges allow:
#   requirements-dev.in       -> requirements-dev.txt       (runtime + dev tools: resolved together)
#   requirements.in           -> requirements.txt           (what `pulumi up` installs)
#   policy/requirements.in    -> policy/requirements.txt    (the policy pack)
#   requirements-bootstrap.in -> requirements-bootstrap.txt (uv, the installer of the dev lock)
# The dev lock is resolved first, as the superset; the others take its versions for every
# package they share, so the tests, the program and the pack run the same code.
# Exact versions with the hashes of every file on PyPI (wheels for Linux, macOS and Windows), and a
# universal resolution, so one lock installs on every platform with Python 3.11 or later.
# Needs network access to PyPI. Usage: tools/lock.sh
set -euo pipefail
cd "$(dirname "$0")/.."

tool_venv=$(mktemp -d)
trap 'rm -rf "$tool_venv"' EXIT
python3 -m venv "$tool_venv"
# The locked uv (the new lock takes effect on the next run).
"$tool_venv/bin/python" -m pip install -q --disable-pip-version-check --require-hashes \
  -r requirements-bootstrap.txt

compile() {
  # PyPI only (pip settings of this machine, such as extra indexes, are not read by uv).
  UV_CUSTOM_COMPILE_COMMAND="tools/lock.sh" "$tool_venv/bin/uv" pip compile --quiet \
    --universal --python-version 3.11 --generate-hashes --upgrade \
    --default-index https://pypi.org/simple --no-config "$@"
}

compile requirements-dev.in -o requirements-dev.txt
compile requirements.in --constraint requirements-dev.txt -o requirements.txt
compile policy/requirements.in --constraint requirements-dev.txt -o policy/requirements.txt
compile requirements-bootstrap.in --constraint requirements-dev.txt -o requirements-bootstrap.txt
echo "locked: requirements.txt requirements-dev.txt policy/requirements.txt" \
  "requirements-bootstrap.txt"
