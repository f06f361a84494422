"""The aks-pod-sandboxing policy pack: `pulumi preview --policy-pack policy`.

The only place that constructs the PolicyPack: constructing it starts the analyzer's gRPC server
and blocks, so the validators live in `sandbox_policies`, where the tests import them.
"""

import importlib.util
import sys
from pathlib import Path

# The CLI runs the pack as `python <this directory>` with its own venv (policy/venv), so only
# this directory is on sys.path. The policies must use the program's own facts and rules
# (`sandboxing`, one level up), not copies: put the repository root on the path first.
REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

# Run by hand outside its venv: say what to install (docs/policy-pack.md's command), not an
# ImportError.
# Inline, since the pack imports nothing of tools/.
if importlib.util.find_spec("pulumi_policy") is None:
    sys.exit(
        f"policy pack: this Python ({sys.executable}) lacks pulumi_policy.\n"
        "The Pulumi CLI runs the pack in policy/venv; create it once (docs/policy-pack.md):\n"
        "    python3.11 -m venv policy/venv && policy/venv/bin/pip install -r "
        "policy/requirements.txt"
    )

from pulumi_policy import EnforcementLevel, PolicyPack  # noqa: E402

from policy.sandbox_policies import POLICIES  # noqa: E402

PolicyPack(
    name="aks-pod-sandboxing",
    policies=list(POLICIES),
    # Each policy sets its own level (three mandatory, one advisory); this is only the fallback.
    enforcement_level=EnforcementLevel.ADVISORY,
)
