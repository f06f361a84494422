"""Fences for a namespace whose pods run untrusted code in Kata VMs. Pure data, no Pulumi.

Each builder takes a `FenceProfile` (what the namespace may use), not a tenant, so the same
fences serve any kind of sandboxed namespace: `profile` (the profile and the namespace
annotations the admission policies read), `network` (egress allow-list, DNS, the ranges no entry
may open), `quota` (ResourceQuotas and the LimitRange), and the admission rules: `pod_volumes`,
`pod_placement` (pod policy), `storage_admission` (PVCs) and `secret_admission` (Secrets), built
on `cel`.
"""
