"""Offline plan: what `pulumi up` would create, without a cloud or the Pulumi CLI.

    python -m tools.plan [--stack dev] [--preview] [--format text|markdown|json]
                         [--manifests DIR] [--existing-cluster FILE.json]
                         [--diff-against PLAN.json]

Runs the real `__main__.py` with the stack's config under the Pulumi mock engine (tools.harness)
and prints the resource tree with key properties, the dependencies, an estimate of `pulumi up`
time from empty (tools.plan.critical_path) and the stack outputs (secrets masked; an output named
like a kubeconfig is masked even if it lost its secret flag). `--format markdown` is made for
a PR comment (adds a Mermaid dependency graph and the sandbox sizing); `--manifests DIR` also
writes every Kubernetes object as YAML (tools.plan.manifests). `--preview` runs as `pulumi preview`:
values not known before apply show as "(known after apply)". A `clusterMode: existing` stack is
checked against an assumed cluster, or the one `--existing-cluster FILE.json` describes
(tools.plan.offline_cluster). `--diff-against PLAN.json` (a JSON plan, e.g. of the base branch)
adds what changed (tools.plan.diff). On a bad configuration it prints every problem and exits 1,
in every format, and writes no manifests: first, as the Pulumi CLI would, the first value
whose type Pulumi.yaml refuses (tools.harness.cli_config), then the program's own list for the other
keys. An unknown stack or a bad option file exits 2.

JSON (`--format json`), schemaVersion 2. Fields are only added within a schema version; a
removed or changed field bumps it (2: properties as leaf paths, error as a list).
    schemaVersion  2
    stack          the stack name
    preview        true when run as `pulumi preview` (values of new resources unknown)
    error          [] or the problems that stopped the program (then exit code 1), each
                   {key, value, message}; key and value are null for an error that is not
                   about one config key
    errorSummary   null, or the error text as the program reports it
    warnings       validation warnings, strings
    existingCluster  null for a new cluster, else the cluster checked against: {source
                   ("assumed" or the file), assumed, resourceGroupName, clusterName,
                   kubernetesVersion, pools (names), entra}
    resources      list sorted by urn, each:
        urn, type, name, parent (urn; the stack's for top-level components)
        custom       false for components
        operation    "create", or "read" for a lookup of an existing object (`.get`)
        properties   key inputs for review, one per leaf: {"agentPoolProfiles[0].vmSize": value};
                     an empty object/list is a leaf; secrets "[secret]", unknown
                     "(known after apply)"
        dependsOn    urns it waits for directly: dependencies, provider, custom parent
    outputs        {name: value}; secrets "[secret]", unknown "(known after apply)"
    sandboxSizing  the sandboxSizing stack output (snake_case fields of
                   sandboxing.sizing.SandboxSizing), or null when not available
    estimate       null on error, else:
        totalSeconds  estimated `pulumi up` time from empty
        summary       "ResourceGroup cluster-rg (10s) -> ... = ~14 min"
        criticalPath  [{urn, label, operation, seconds, start, finish}], first to last
        timeline      {urn: {seconds, start, finish}} for every resource (seconds since start)
    diff           null without --diff-against, else (tools.plan.diff):
        baseStack, baseFailed (the base plan had an error), summary (one line)
        added, removed  [{urn, type, name}] of custom resources
        changed    [{urn, type, name, effect, properties}]; effect "update", "replace" or
                   "refused" (an update Azure refuses); properties [{path, change ("modified",
                   "added", "removed"), old, new, effect, reason}]
        outputs    [{path, change, old, new}] of the stack outputs, by leaf path
"""
