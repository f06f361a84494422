"""The aks-pod-sandboxing policy pack: `pulumi preview --policy-pack policy`.

The only place that constructs the PolicyPack: constructing it starts the analyzer's gRPC server
and blocks, so the validators live in `sandbox_policies`, where the tests import them.
"""

import sys
from pathlib import Path

# The CLI runs the pack as `python <this directory>` with its own venv (policy/venv), so only
# this directory is on sys.path. The policies must use the program's own facts and rules
# (`sandboxing`, one level up), not copies: put the repository root on the path first.
REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from pulumi_policy import EnforcementLevel, PolicyPack  # noqa: E402

from policy.sandbox_policies import POLICIES  # noqa: E402

PolicyPack(
    name="aks-pod-sandboxing",
    policies=list(POLICIES),
    # Each policy sets its own level (three mandatory, one advisory); this is only the fallback.
    enforcement_level=EnforcementLevel.ADVISORY,
)
