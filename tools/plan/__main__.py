import signal
import sys

from tools.venv_check import require

require("python -m tools.plan", "pulumi", "pulumi_azure_native", "pulumi_kubernetes", "yaml")

from tools.plan.cli import main  # noqa: E402

# Piped into `head` and the like: end quietly when the reader goes away, as shell tools do.
if hasattr(signal, "SIGPIPE"):
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
sys.exit(main())
