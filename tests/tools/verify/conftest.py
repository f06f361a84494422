"""Fixtures of the isolation-check tests: a local API server stand-in and a kubeconfig for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from kube_standin import StandIn, serving
from verify_cluster import TOKEN, isolated, kubeconfig_text, write_kubeconfig


@pytest.fixture(scope="session", autouse=True)
def _kubernetes_client() -> None:
    """The official client, loaded before the first test here (most of a second, once): the
    --wait tests time the polling, not the import; and not while collecting, in every worker."""
    import kubernetes.client.api.core_v1_api  # noqa: F401


@pytest.fixture
def api() -> Iterator[StandIn]:
    """A cluster stand-in on 127.0.0.1 where the pods are isolated as intended."""
    with serving(TOKEN) as server:
        isolated(server.cluster)
        yield server


@pytest.fixture
def kubeconfig(api: StandIn, tmp_path: Path) -> str:
    return write_kubeconfig(tmp_path, kubeconfig_text(api.url))
