"""Isolation check: is the untrusted pod really in its own Kata VM, next to the trusted one?

    python -m tools.verify --stack dev                  # kubeconfig and names from the stack
    python -m tools.verify --kubeconfig kubeconfig      # or $KUBECONFIG, ~/.kube/config
    python -m tools.verify --stack dev --wait 300 --format json
    python -m tools.verify --stack agents --claim       # sandboxes on demand (tools.verify.claim)

Reads the RuntimeClass, both pods, their nodes and the `kernel=` line at the end of each pod's
log with plain API GETs (tools.verify.connect, tools.verify.read), decides four checks
(tools.verify.checks) and prints each as PASS/FAIL/UNKNOWN with its evidence. Exit codes: 0
isolated, 1 a check failed (also: a pod crash-loops), 2 cannot check (unreachable cluster,
credentials, permissions, missing pods, pods not running yet, kernel line not in the log, a
missing Python package).
"""
