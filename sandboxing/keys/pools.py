"""The node pools' keys: where Kata runs, the System, Kata and User pools, and their disks."""

from __future__ import annotations

import re

from sandboxing import catalog, names, vm_sizes
from sandboxing.agent_sandbox.capacity import SANDBOX_CAPACITY
from sandboxing.config.key import ConfigKey, Unused
from sandboxing.config.kinds import Between, Matches, OneOf, SandboxRuntimeName, VmSizeName
from sandboxing.config.settings import Settings
from sandboxing.rules.cloud import AZURE_CLOUD
from sandboxing.rules.placement import ONE_POOL_NEEDS_NEW_CLUSTER
from sandboxing.rules.pods import POD_FITS_KATA_NODE, RUNTIME_CLASS_OVERRIDE
from sandboxing.rules.pools import (
    KATA_POOL_NAME,
    KATA_SYSTEM_POOL_SIZE,
    KATA_VM_SIZE,
    SYSTEM_POOL_MINIMUM,
)
from sandboxing.rules.production import EPHEMERAL_OS_DISK, NEW_CLUSTER_OPTIONS, USER_POOL
from sandboxing.rules.scaling import CLUSTER_NODES, POOL_SCALING
from sandboxing.rules.upgrades import KATA_UPGRADE
from sandboxing.rules.versions import KATA_OS_SKU_VERSION, OS_SKU_UPGRADE_CEILING
from sandboxing.rules.zones import AVAILABILITY_ZONES
from sandboxing.tenants.capacity_rule import TENANT_CAPACITY

# The rules of capacity that follows demand (sandboxing/keys/scaling.py) read these keys too.
SIZE_RULES = (CLUSTER_NODES.allows(), AVAILABILITY_ZONES.allows())
SCALING_RULES = (POOL_SCALING.allows(), *SIZE_RULES, KATA_UPGRADE.allows())

KATA_POOL_PLACEMENTS = ("dedicated", "system")
KATA_GA = catalog.KATA_GA


def _one_pool(why: str, quiet: tuple[object, ...] = ()) -> Unused:
    """Not used by the docs' one-pool cluster (kataPoolPlacement system), and not checked."""

    def one_pool(settings: Settings) -> bool:
        # With an existing cluster, `system` is refused (ONE_POOL_NEEDS_NEW_CLUSTER) on its own.
        return settings.kata_on_system_pool and not settings.existing_cluster

    return Unused(one_pool, f"with kataPoolPlacement system ({why})", unchecked=True, quiet=quiet)


def _no_user_pool(settings: Settings) -> bool:
    return not settings.user_pool


NO_USER_POOL = Unused(_no_user_pool, "without systemPoolCriticalAddonsOnly: true", unchecked=True)
# The refusal and the "allowed" words of the Kata VM size, from the catalog's families.
KATA_FAMILIES = ", ".join(vm_sizes.KATA_VM_FAMILIES)
OS_DISK_TYPES = "|".join(catalog.OS_DISK_TYPES)
MAX_NODES_WHY = "the most nodes one pool can have: the ARM API's node count maximum"

# Laid out by hand (fmt: skip): each key's name, type and default on one line reads as a table;
# the formatter would split them one per line.
KEYS: tuple[ConfigKey, ...] = (
    ConfigKey(
        "kataPoolPlacement", "string", "dedicated",
        "Where Kata runs: a Kata User pool beside a small OCI System pool (dedicated), or the "
        "new cluster's one System pool itself (system, the docs' one-pool cluster).",
        OneOf(KATA_POOL_PLACEMENTS, {"system": "new mode only"}),
        rules=(ONE_POOL_NEEDS_NEW_CLUSTER.allows(), KATA_SYSTEM_POOL_SIZE.allows(),
               KATA_POOL_NAME.allows(), EPHEMERAL_OS_DISK.allows(), USER_POOL.allows(),
               AZURE_CLOUD.allows(), *SCALING_RULES, TENANT_CAPACITY.allows(),
               SANDBOX_CAPACITY.allows()),
    ),
    ConfigKey(
        "systemNodeVmSize", "string", "Standard_D2s_v5",
        "VM size of the inline System pool (OCI runtime, AzureLinux; dedicated placement).",
        VmSizeName("Standard_D2s_v5", catalog.SYSTEM_POOL_MIN_VCPUS, SYSTEM_POOL_MINIMUM),
        rules=(EPHEMERAL_OS_DISK.allows(), CLUSTER_NODES.allows()),
        unused=(_one_pool("the one System pool uses kataNodeVmSize"),),
    ),
    ConfigKey(
        "systemNodeCount", "integer", 1,
        "Node count of the OCI System pool (dedicated placement).",
        Between(1, catalog.MAX_NODES_PER_POOL, why_high=MAX_NODES_WHY),
        rules=(EPHEMERAL_OS_DISK.allows(), *SIZE_RULES),
        unused=(_one_pool("the one System pool has kataNodeCount nodes"),),
    ),
    ConfigKey(
        "kataNodePoolName", "string", "katapool",
        "Name of the Kata node pool (dedicated placement; with system it is the System pool, "
        "named system).",
        Matches(
            names.AGENT_POOL_NAME,
            f"`{names.AGENT_POOL_NAME.pattern}`",
            "a lower-case letter, then up to 11 lower-case letters or digits "
            f"({names.AGENT_POOL_NAME.pattern})",
        ),
        rules=(KATA_POOL_NAME.allows(
            f"not `{catalog.SYSTEM_POOL_NAME}` (nor `{catalog.USER_POOL_NAME}` with a User pool)"
        ),),
        unused=(_one_pool("no separate Kata pool is made; the System pool is named "
                          f"{catalog.SYSTEM_POOL_NAME}"),),
    ),
    ConfigKey(
        "kataNodeVmSize", "string", "Standard_D4s_v3",
        "VM size of the Kata pool (with placement system: of the System pool): Gen2 with "
        "nested virtualization.",
        VmSizeName("Standard_D4s_v3"),
        rules=(
            KATA_VM_SIZE.allows(f"a size of a listed family ({KATA_FAMILIES})"),
            KATA_SYSTEM_POOL_SIZE.allows(),
            POD_FITS_KATA_NODE.allows(), EPHEMERAL_OS_DISK.allows(), TENANT_CAPACITY.allows(),
            CLUSTER_NODES.allows(),
            SANDBOX_CAPACITY.allows(),
        ),
    ),
    ConfigKey(
        "kataNodeCount", "integer", 1,
        "Node count of the Kata pool (with placement system: of the System pool); with "
        "kataEnableAutoScaling its initial size.",
        Between(1, catalog.MAX_NODES_PER_POOL,
                why_low="a Kata pool with no node cannot run the untrusted pod",
                why_high=MAX_NODES_WHY),
        rules=(TENANT_CAPACITY.allows(), EPHEMERAL_OS_DISK.allows(),
               POOL_SCALING.allows(), *SIZE_RULES, KATA_UPGRADE.allows(),
               SANDBOX_CAPACITY.allows()),
    ),
    ConfigKey(
        "allowUnlistedVmSize", "boolean", False,
        "Accept a Kata VM size whose family is not in the known list (warning only).",
        rules=(KATA_VM_SIZE.allows(),),
    ),
    ConfigKey(
        "kataOsSku", "string", "AzureLinux", "OS SKU of the Kata pool.",
        OneOf(tuple(catalog.KATA_OS_SKUS),
              {sku: "with a warning" for sku, warning in catalog.KATA_OS_SKUS.items() if warning},
              {sku: warning for sku, warning in catalog.KATA_OS_SKUS.items() if warning},
              must_be="Pod Sandboxing needs osSKU " + ", ".join(
                  sku for sku, warning in catalog.KATA_OS_SKUS.items() if not warning)
              + " (Ubuntu, Windows and others are not supported)"),
        rules=(KATA_OS_SKU_VERSION.allows("`AzureLinux3` on Kubernetes 1.28 to 1.36 only"),
               OS_SKU_UPGRADE_CEILING.allows()),
    ),
    ConfigKey(
        "workloadRuntime", "string", KATA_GA.workload_runtime,
        "Workload runtime of the Kata pool.",
        SandboxRuntimeName(),
        rules=(RUNTIME_CLASS_OVERRIDE.allows(),),
    ),
    ConfigKey(
        "kataNodeTaint", "string", "pod-sandboxing.aks.io/kata=true:NoSchedule",
        "Taint on the Kata nodes so ordinary pods stay off them (empty: no taint; dedicated "
        "placement only).",
        Matches(
            names.TAINT,
            "`key=value:Effect` with Effect NoSchedule, PreferNoSchedule or NoExecute, or empty",
            "key=value:Effect (Effect NoSchedule, PreferNoSchedule or NoExecute), or empty for "
            "no taint",
            empty_ok=True,
        ),
        rules=(USER_POOL.allows(),),
        unused=(_one_pool("the Kata nodes are the System pool, which the system pods and the "
                          "trusted pod run on: no taint is set and the untrusted pod gets no "
                          "toleration", quiet=("",)),),
    ),
    ConfigKey(
        "enableEncryptionAtHost", "boolean", False,
        "Encrypt the nodes' temp disks and OS disk caches on the VM host, on every pool the "
        "program creates (needs the subscription feature Microsoft.Compute/EncryptionAtHost; "
        "set at pool creation only).",
    ),
    ConfigKey(
        "osDiskType", "string", "",
        "OS disk type of every pool the program creates (empty: AKS picks, Ephemeral when the "
        "size's cache or temp disk holds the OS disk).",
        Matches(re.compile(f"^(?:{OS_DISK_TYPES})$"),
                ", ".join(f"`{t}`" for t in catalog.OS_DISK_TYPES) + ", or empty (AKS picks)",
                "one of " + ", ".join(catalog.OS_DISK_TYPES) + ", or empty (AKS picks)",
                empty_ok=True),
        rules=(EPHEMERAL_OS_DISK.allows(
            "`Ephemeral` only on sizes whose cache (else temp) disk holds the OS disk"),),
    ),
    ConfigKey(
        "osDiskSizeGB", "integer", 0,
        "OS disk size of every pool the program creates (0: the AKS default, "
        f"{catalog.DEFAULT_OS_DISK_GIB} GiB for an ephemeral disk on a cache).",
        Between(catalog.MIN_OS_DISK_GIB, catalog.MAX_OS_DISK_GIB, "GiB",
                zero_means="the AKS default"),
        # tenants: ephemeral storage quotas against the Kata nodes' disks
        rules=(EPHEMERAL_OS_DISK.allows(), TENANT_CAPACITY.allows(), SANDBOX_CAPACITY.allows()),
    ),
    ConfigKey(
        "systemPoolCriticalAddonsOnly", "boolean", False,
        "Taint the System pool CriticalAddonsOnly=true:NoSchedule and add a User pool for the "
        "trusted pod and other ordinary workloads (new mode, dedicated placement).",
        rules=(USER_POOL.allows(), NEW_CLUSTER_OPTIONS.allows(), KATA_POOL_NAME.allows(),
               EPHEMERAL_OS_DISK.allows(), POOL_SCALING.allows(), *SIZE_RULES),
    ),
    ConfigKey(
        "userNodeVmSize", "string", "Standard_D2s_v5",
        "VM size of the User pool (systemPoolCriticalAddonsOnly).",
        VmSizeName("Standard_D2s_v5"),
        rules=(EPHEMERAL_OS_DISK.allows(), CLUSTER_NODES.allows()),
        unused=(NO_USER_POOL,),
    ),
    ConfigKey(
        "userNodeCount", "integer", 1,
        "Node count of the User pool (systemPoolCriticalAddonsOnly); with "
        "userEnableAutoScaling its initial size.",
        Between(1, catalog.MAX_NODES_PER_POOL, why_low="the trusted pod needs a node",
                why_high=MAX_NODES_WHY),
        rules=(EPHEMERAL_OS_DISK.allows(),
               POOL_SCALING.allows("with userEnableAutoScaling: between userNodeMinCount and "
                                   "userNodeMaxCount"), *SIZE_RULES),
        unused=(NO_USER_POOL,),
    ),
)  # fmt: skip
