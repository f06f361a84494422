"""Offline plan: what `pulumi up` would create, without a cloud or the Pulumi CLI.

    python -m tools.plan [--stack dev] [--preview] [--format text|markdown|json]
                         [--manifests DIR] [--existing-cluster FILE.json]
                         [--diff-against PLAN.json [--fail-on-refused]]

Runs the real `__main__.py` with the stack's config under the Pulumi mock engine (tools.harness)
and prints the resource tree with key properties, the dependencies, an estimate of `pulumi up`
time from empty (tools.plan.critical_path) and the stack outputs (secrets masked; an output named
like a kubeconfig is masked even if it lost its secret flag). `--format markdown` is made for
a PR comment (adds a Mermaid dependency graph and the sandbox sizing); `--manifests DIR` also
writes every Kubernetes object as YAML (tools.plan.manifests). `--preview` runs as `pulumi preview`:
values not known before apply show as "(known after apply)". A `clusterMode: existing` stack is
checked against an assumed cluster, or the one `--existing-cluster FILE.json` describes
(tools.plan.offline_cluster). `--diff-against PLAN.json` (a JSON plan, e.g. of the base branch)
adds what changed, with cascaded replacements, times and effects on running pods (tools.plan.diff;
`--fail-on-refused` exits 3 on a change Azure refuses). On a bad configuration it prints every
problem and exits 1, in every format, and writes no manifests (nor compares anything): first a
stack file the CLI cannot read (tools.harness.yaml_errors), or, as the Pulumi CLI would, the first
value whose type Pulumi.yaml refuses (tools.harness.cli_config), then the program's own list for
the other keys. An unknown stack, an option that does not apply or a bad option file exits 2.
Exit codes: tools.plan.cli.

JSON (`--format json`) carries `schemaVersion` (tools.plan.build.SCHEMA_VERSION); fields are only
added within a schema version, and a removed or changed field bumps it. Its fields are described
once, in docs/offline-plan.md ("JSON fields"); a test checks every field the plan writes is there.
"""
