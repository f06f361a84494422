"""Pulumi ComponentResources of aks-pod-sandboxing, one concern per module."""
