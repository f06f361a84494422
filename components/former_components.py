"""The alias of a resource that was the only child of a ComponentResource of its own.

Until December 2026 the subscription preflight, the reconcile and the runtime-class wait (one
dynamic resource each) and the Kata and User pools (one AgentPool each) each sat inside a
component that held nothing else and was named like it (`SubscriptionPreflight preflight`
holding `SubscriptionPreflight preflight-run`, `KataNodePool kata` holding `AgentPool
kata-pool`). They are registered at the top of the stack now; each keeps an alias to its old
parent. Without it `pulumi up` on a stack made before would take each for a new resource and the
old one for removed: a pool azure-native refuses to create (one of that name exists), a second
reconcile of the cluster, the untrusted pod replaced with the wait. The engine looks a resource
up by its URN, then by each alias (pulumi/pulumi @ 1b59498 pkg/resource/deploy/step_generator.go
`getOldResource`, `collapseAliasToUrn`), and deletes the emptied component, which holds nothing
in Azure. The aliases stay: a stack last updated before the move may be updated at any time.
"""

from __future__ import annotations

import pulumi


def former_component(type_token: str, name: str) -> pulumi.Alias:
    """An alias to the URN a resource had as the child of the top-level component `name`; a
    top-level resource's URN names no parent type (pulumi/pulumi @ 1b59498
    sdk/go/common/resource/urn/urn.go `New`)."""
    parent = f"urn:pulumi:{pulumi.get_stack()}::{pulumi.get_project()}::{type_token}::{name}"
    return pulumi.Alias(parent=parent)
