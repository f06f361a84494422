"""Options every pool the program creates shares: host encryption and the OS disk.

The same keyword arguments fit the inline System pool (ManagedClusterAgentPoolProfileArgs) and
an AgentPool resource; a value left at its default is not sent, so AKS keeps its own default.
"""

from __future__ import annotations

from typing import Any

from sandboxing.contract import Settings


def host_and_disk(settings: Settings) -> dict[str, Any]:
    """enable_encryption_at_host, os_disk_type, os_disk_size_gb, as far as they are set."""
    return {
        "enable_encryption_at_host": settings.enable_encryption_at_host or None,
        "os_disk_type": settings.os_disk_type or None,
        "os_disk_size_gb": settings.os_disk_size_gb or None,
    }
