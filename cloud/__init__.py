"""Calls to Azure Resource Manager and the Kubernetes API made during `pulumi up` (no Pulumi)."""
