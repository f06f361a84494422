"""What the fake Azure Resource Manager and Kubernetes API server answer under the mock engine.

The mocks answer like the services would (computed names, ids, the kubeconfig invoke, the
RuntimeClass AKS installs, what the dynamic providers' `create` returns), because a mock that
returns nothing leaves downstream inputs unknown and the engine silently drops them.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import yaml
from pulumi.runtime import mocks as pulumi_mocks

from tools.harness.records import Invoke
from tools.harness.sdk_internals import UNKNOWN, Unknown

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
# The login azure-native would report (getClientConfig): a service principal of a test tenant.
TENANT_ID = "72f988bf-0000-0000-0000-000000000000"
CLIENT_ID = "c0ffee00-0000-0000-0000-000000000001"
OBJECT_ID = "c0ffee00-0000-0000-0000-000000000002"
MOCK_KUBERNETES_VERSION = "1.33.3"
CRD_TYPE = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition"

# Whether a CustomResourceDefinition's state echoes the schemas of its versions, as the API
# server's answer does. The program reads no CRD output, and the agent-sandbox release's schemas
# are ~300 KB that the mock engine serializes and the SDK deserializes again (~0.1 s a run):
# the tests turn the echo off (tests/conftest.py); the offline plan keeps it.
ECHO_CRD_SCHEMAS = True


def _suffix(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:8]


def _explicit_name(typ: str, inputs: dict[str, Any]) -> bool:
    name_input = {
        "azure-native:resources:ResourceGroup": "resourceGroupName",
        "azure-native:containerservice:ManagedCluster": "resourceName",
        "azure-native:containerservice:AgentPool": "agentPoolName",
    }.get(typ, "name")
    return bool(inputs.get(name_input))


def _has_unknown(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_unknown(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_unknown(item) for item in value)
    return isinstance(value, Unknown)


def _unknown_provider(reference: str | None) -> bool:
    """True for a provider reference `urn::id` whose id is not known yet."""
    return bool(reference) and (reference or "").rsplit("::", 1)[-1] in ("", UNKNOWN)


def mock_kubeconfig(cluster: str, exec_format: bool = False) -> str:
    """A kubeconfig as AKS returns it: static token, or kubelogin exec for Entra clusters."""
    user: dict[str, Any] = {"token": "mock-secret-token"}
    if exec_format:
        user = {
            "exec": {
                "apiVersion": "client.authentication.k8s.io/v1beta1",
                "command": "kubelogin",
                "args": [
                    "get-token",
                    "--environment",
                    "AzurePublicCloud",
                    "--server-id",
                    "6dae42f8-4368-4678-94ff-3960e28e3630",
                    "--client-id",
                    "80faf920-1908-4b52-b5ef-a8e7bedfc67a",
                    "--tenant-id",
                    "72f988bf-86f1-41af-91ab-2d7cd011db47",
                    "--login",
                    "devicecode",
                ],
                "provideClusterInfo": False,
            }
        }
    return yaml.safe_dump(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {
                    "name": cluster,
                    "cluster": {
                        "server": f"https://{cluster}.hcp.mock:443",
                        "certificate-authority-data": "bW9jaw==",
                    },
                }
            ],
            "users": [{"name": f"clusterUser_{cluster}", "user": user}],
            "contexts": [
                {"name": cluster, "context": {"cluster": cluster, "user": f"clusterUser_{cluster}"}}
            ],
            "current-context": cluster,
        }
    )


# The one System pool of a cluster someone already runs (its name aside).
SYSTEM_POOL = {
    "mode": "System",
    "osType": "Linux",
    "osSKU": "AzureLinux",
    "vmSize": "Standard_D2s_v5",
    "count": 1,
    "workloadRuntime": "OCIContainer",
}


def existing_cluster_state(
    resource_group: str,
    name: str,
    kubernetes_version: str = MOCK_KUBERNETES_VERSION,
    pools: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """What getManagedCluster returns for a cluster someone already runs."""
    return {
        "id": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{resource_group}/providers/"
        f"Microsoft.ContainerService/managedClusters/{name}",
        "name": name,
        "location": "westeurope",
        "kubernetesVersion": kubernetes_version,
        "currentKubernetesVersion": kubernetes_version,
        "provisioningState": "Succeeded",
        "agentPoolProfiles": pools if pools is not None else [{"name": "nodepool1", **SYSTEM_POOL}],
    }


class CloudMocks(pulumi_mocks.Mocks):
    """Realistic answers from Azure Resource Manager and the Kubernetes API server."""

    def __init__(
        self,
        existing_clusters: dict[tuple[str, str], dict[str, Any]] | None = None,
        preview: bool = False,
        served_runtime_classes: frozenset[str] | None = None,
    ):
        from sandboxing.catalog import KATA_RUNTIME_CLASSES

        self.existing_clusters = existing_clusters or {}
        self.preview = preview
        # RuntimeClasses the cluster serves once a Kata pool exists (AKS installs them).
        self.served_runtime_classes = (
            KATA_RUNTIME_CLASSES if served_runtime_classes is None else served_runtime_classes
        )
        self.invokes: list[Invoke] = []

    def new_resource(self, args: pulumi_mocks.MockResourceArgs) -> tuple[str | None, dict]:
        inputs = dict(args.inputs)
        state = dict(inputs)
        typ, name = args.typ, args.name
        if typ.startswith("azure-native:"):
            computed = self._azure_state(typ, name, inputs)
            if self.preview:
                # Nothing exists yet: only names the program chose itself are known.
                known = {k: computed[k] for k in ("name",) if _explicit_name(typ, inputs)}
                return "", {**state, **known}
            state.update(computed)
            return state["id"], state
        if typ.startswith("kubernetes:"):
            if args.resource_id and self.preview and _unknown_provider(args.provider):
                # A `.get` through a provider whose kubeconfig is not known yet (the cluster is
                # still to be created): the engine cannot read, everything read is unknown.
                return args.resource_id, {}
            return self._kubernetes_state(typ, name, inputs, args.resource_id)
        if self.preview and typ.startswith("pulumi:providers:") and _has_unknown(inputs):
            # The engine gives a provider whose configuration is not known yet an unknown ID.
            return "", state
        if typ.startswith("pulumi-python:dynamic"):
            return self._dynamic_state(typ, name, inputs)
        return f"{name}-id", state

    def _dynamic_state(self, typ: str, name: str, inputs: dict[str, Any]) -> tuple[str, dict]:
        """What the dynamic providers' `create` returns (the engine adds `__provider`)."""
        from cloud.runtime_class_wait import WaitFor, timeout_message
        from components.cluster_reconcile import RECONCILE_TYPE
        from components.kata_runtime_class import IDENTITY, WAIT_TYPE
        from components.preflight import PREFLIGHT_TYPE

        provider = {"__provider": inputs.get("__provider")}
        if self.preview:  # not created in a preview: the engine shows the inputs
            return "", {k: v for k, v in inputs.items() if k != "kubeconfig"}
        if typ == RECONCILE_TYPE:
            outs = {
                "cluster_id": inputs["cluster_id"],
                "provisioning_state": "Succeeded",
                "login": "the Azure CLI login (az login)",
            }
            return f"reconcile-{_suffix(name)}", {**provider, **outs}
        if typ == PREFLIGHT_TYPE:  # its create keeps the inputs (the needs) as outputs
            return f"preflight-{_suffix(name)}", dict(inputs)
        if typ == WAIT_TYPE:
            target = WaitFor(
                inputs["class_name"],
                inputs["cluster_name"],
                inputs["resource_group_name"],
                inputs["handler"],
                float(inputs["timeout_seconds"]),
            )
            if target.class_name not in self.served_runtime_classes:
                # What the provider's create raises when the class never appears.
                raise Exception(timeout_message(target, "not found (HTTP 404)"))
            outs = {key: inputs[key] for key in IDENTITY}
            return f"runtimeclass/{target.class_name}", {**provider, **outs}
        return f"{name}-id", {**provider}

    def _azure_state(self, typ: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        rg = inputs.get("resourceGroupName") or f"{name}{_suffix(name)}"
        if typ == "azure-native:resources:ResourceGroup":
            return {
                "name": rg,
                "location": inputs.get("location", "westeurope"),
                "id": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{rg}",
            }
        base = (
            f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{rg}"
            "/providers/Microsoft.ContainerService"
        )
        if typ == "azure-native:containerservice:ManagedCluster":
            cluster = inputs.get("resourceName") or f"{name}{_suffix(name)}"
            version = inputs.get("kubernetesVersion") or MOCK_KUBERNETES_VERSION
            return {
                "name": cluster,
                "id": f"{base}/managedClusters/{cluster}",
                "fqdn": f"{inputs.get('dnsPrefix', cluster)}-{_suffix(cluster)}.hcp.mock",
                "kubernetesVersion": version,
                "currentKubernetesVersion": version,
                "provisioningState": "Succeeded",
                "powerState": {"code": "Running"},
                "identity": {**inputs.get("identity", {}), "principalId": "p1"},
            }
        if typ == "azure-native:containerservice:AgentPool":
            pool = inputs.get("agentPoolName") or name
            version = inputs.get("orchestratorVersion") or MOCK_KUBERNETES_VERSION
            return {
                "name": pool,
                "id": f"{base}/managedClusters/{inputs.get('resourceName')}/agentPools/{pool}",
                "provisioningState": "Succeeded",
                "currentOrchestratorVersion": version,
                "orchestratorVersion": version,
            }
        if typ == "azure-native:operationalinsights:Workspace":
            workspace = inputs.get("workspaceName") or f"{name}{_suffix(name)}"
            return {
                "name": workspace,
                "customerId": f"ws-{_suffix(workspace)}",
                "id": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{rg}/providers/"
                f"Microsoft.OperationalInsights/workspaces/{workspace}",
            }
        if typ == "azure-native:monitor:DataCollectionRule":
            rule = inputs.get("dataCollectionRuleName") or f"{name}{_suffix(name)}"
            return {
                "name": rule,
                "id": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{rg}/"
                f"providers/Microsoft.Insights/dataCollectionRules/{rule}",
            }
        return {"name": inputs.get("name", name), "id": f"{base}/{name}"}

    def _kubernetes_state(
        self, typ: str, name: str, inputs: dict[str, Any], read_id: str | None
    ) -> tuple[str, dict]:
        state = dict(inputs)
        metadata = dict(state.get("metadata") or {})
        if read_id:  # a `.get` of an object the cluster already serves
            object_name = read_id.split("/")[-1]
            if typ == "kubernetes:node.k8s.io/v1:RuntimeClass":
                if object_name not in self.served_runtime_classes:
                    # What pulumi-kubernetes reports for a `.get` of a missing object.
                    raise Exception(
                        f"resource 'kubernetes:node.k8s.io/v1:RuntimeClass::{name}' does not "
                        f'exist: runtimeclasses.node.k8s.io "{object_name}" not found'
                    )
                state.update(aks_runtime_class(object_name))
            metadata = dict(state.get("metadata") or {}, name=object_name)
        metadata.setdefault("name", f"{name}-{_suffix(name)}")
        metadata.setdefault("uid", f"uid-{_suffix(typ + name)}")
        state["metadata"] = metadata
        if typ == CRD_TYPE and not ECHO_CRD_SCHEMAS:
            state["spec"] = without_schemas(state.get("spec") or {})
        ns = metadata.get("namespace")
        return (f"{ns}/{metadata['name']}" if ns else metadata["name"]), state

    def call(self, args: pulumi_mocks.MockCallArgs) -> dict:  # type: ignore[override]
        self.invokes.append(Invoke(args.token, dict(args.args)))
        if args.token == "azure-native:containerservice:listManagedClusterUserCredentials":
            cluster = args.args.get("resourceName", "cluster")
            kubeconfig = mock_kubeconfig(cluster, exec_format=args.args.get("format") == "exec")
            value = base64.b64encode(kubeconfig.encode()).decode()
            return {"kubeconfigs": [{"name": "clusterUser", "value": value}]}
        if args.token == "azure-native:authorization:getClientConfig":
            return {
                "clientId": CLIENT_ID,
                "objectId": OBJECT_ID,
                "subscriptionId": SUBSCRIPTION,
                "tenantId": TENANT_ID,
            }
        if args.token == "azure-native:containerservice:getManagedCluster":
            key = (args.args.get("resourceGroupName", ""), args.args.get("resourceName", ""))
            if key not in self.existing_clusters:
                raise Exception(
                    f"ResourceNotFound: The Resource 'Microsoft.ContainerService/managedClusters/"
                    f"{key[1]}' under resource group '{key[0]}' was not found."
                )
            return self.existing_clusters[key]
        return {}


def without_schemas(crd_spec: dict[str, Any]) -> dict[str, Any]:
    """A CRD's spec with each version's `schema` left out."""
    versions = [
        {k: v for k, v in version.items() if k != "schema"}
        for version in crd_spec.get("versions") or []
    ]
    return {**crd_spec, "versions": versions}


def aks_runtime_class(name: str) -> dict[str, Any]:
    """The RuntimeClass AKS installs with a Kata pool (handler kata, Kata node selector)."""
    from sandboxing.catalog import (
        KATA_GA,
        KATA_HANDLER,
        RUNTIME_CLASS_OVERHEAD_MIB,
        SANDBOX_RUNTIMES,
    )

    label = next(
        (r.node_label for r in SANDBOX_RUNTIMES.values() if r.runtime_class == name),
        KATA_GA.node_label,
    )
    return {
        "apiVersion": "node.k8s.io/v1",
        "kind": "RuntimeClass",
        "handler": KATA_HANDLER,
        "overhead": {"podFixed": {"memory": f"{RUNTIME_CLASS_OVERHEAD_MIB}Mi"}},
        "scheduling": {"nodeSelector": {label: "true"}},
    }
