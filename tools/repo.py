"""The repository root: the Pulumi project directory (Pulumi.yaml, __main__.py, the stack files).

Free of the Pulumi SDK on purpose: the isolation check uses it and does not load the SDK.
"""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
