"""The shapes of the Azure and Kubernetes names and values the config carries, as patterns, and
how a config key's name maps to its snake_case field (`snake`, `camel`).

Sources: ARM's agentPool name pattern and the resource-group and managed-cluster name rules
(Azure/azure-rest-api-specs, Microsoft.ContainerService and Microsoft.Resources specs); Kubernetes'
DNS-1123 label and subdomain (kubernetes/kubernetes @ 008b365
staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go) and taint syntax (`kubectl
taint`, key=value:Effect).
"""

from __future__ import annotations

import functools
import re

DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS1123_LABEL_MAX = 63
DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
DNS1123_SUBDOMAIN_MAX = 253
AGENT_POOL_NAME = re.compile(r"^[a-z][a-z0-9]{0,11}$")
# 1-90 word characters, '.', '-', '(' or ')', not ending with '.'.
RESOURCE_GROUP_NAME = re.compile(r"^[-\w.()]{0,89}[-\w()]$")
CLUSTER_NAME = re.compile(r"^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$")
KUBERNETES_VERSION = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?$")
TAINT = re.compile(
    r"^(?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?"
    r"=[A-Za-z0-9]?([-A-Za-z0-9_.]*[A-Za-z0-9])?:(NoSchedule|PreferNoSchedule|NoExecute)$"
)
IMAGE_REFERENCE = re.compile(
    r"^[a-z0-9][a-z0-9._/:-]*[a-z0-9](?::[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$"
)
# An image reference pinned to its content: what the policy pack's images-pinned-by-digest
# looks for, and the offline plan with it (tools.plan.policy_config).
IMAGE_DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


def parse_kubernetes_version(text: str) -> tuple[int, int] | None:
    """ "1.33" or "1.33.2" -> (1, 33); None when it is neither."""
    match = KUBERNETES_VERSION.match(text)
    return (int(match[1]), int(match[2])) if match else None


# A Log Analytics workspace's resource ID (workspace names: 4-63 letters, digits and '-',
# starting and ending alphanumeric).
LOG_ANALYTICS_WORKSPACE_ID = re.compile(
    r"^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[-\w.()]{1,90}/providers/"
    r"Microsoft\.OperationalInsights/workspaces/[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$",
    re.IGNORECASE,
)


@functools.cache
def snake(name: str) -> str:
    """`kataNodeVmSize` -> `kata_node_vm_size`; a run of capitals is one word (`osDiskSizeGB`)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def camel(name: str) -> str:
    """`max_pods` -> `maxPods`: a snake_case field as the config and the outputs spell it."""
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)
