import signal
import sys

from tools.verify.cli import main

# Piped into `head` and the like: end quietly when the reader goes away, as shell tools do.
if hasattr(signal, "SIGPIPE"):
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
sys.exit(main())
