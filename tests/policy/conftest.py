"""Every policy test starts without stack config."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tools.harness.sdk_internals import no_stack_config


@pytest.fixture(autouse=True)
def without_stack_config(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Start every test without stack config: harness runs elsewhere leave theirs behind, and
    sandbox-pods-use-kata reads the stack's podNamespace."""
    monkeypatch.delenv("PULUMI_CONFIG", raising=False)
    with no_stack_config():
        yield
