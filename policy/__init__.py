"""Policy pack of aks-pod-sandboxing; validators in sandbox_policies, the pack in __main__."""
