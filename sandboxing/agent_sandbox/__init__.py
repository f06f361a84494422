"""Sandboxes on demand with kubernetes-sigs/agent-sandbox, as pure data. No Pulumi.

- release: the vendored upstream release manifests (one directory per version, checksums in
  releases/releases.json) and the objects they declare;
- controller: those objects hardened for production (resources, security context, placement);
- sandboxes: this project's SandboxTemplate (its hardened Kata pod), the warm and cold pools,
  the claimant's RBAC and a SandboxClaim as a user writes it;
- admission: the ValidatingAdmissionPolicies on Sandboxes, SandboxTemplates and SandboxClaims;
- capacity: how many sandboxes fit the Kata pool; config: the rules of the agentSandbox keys;
- vendored: which releases are vendored and their checksums (no PyYAML); outputs: the
  `agentSandbox` stack output.
"""
