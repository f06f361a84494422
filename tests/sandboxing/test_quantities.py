from __future__ import annotations

import pytest

from sandboxing.quantities import cpu_millicores, memory_mib, parse_quantity


@pytest.mark.parametrize(
    ("text", "millicores"),
    [("1", 1000), ("500m", 500), ("0.5", 500), ("2", 2000), ("1.25", 1250), ("100m", 100)],
)
def test_cpu(text: str, millicores: int) -> None:
    assert cpu_millicores(text) == millicores


@pytest.mark.parametrize(
    ("text", "mib"),
    [("1Gi", 1024), ("512Mi", 512), ("1048576", 1), ("1Ki", 1 / 1024), ("1e6", 1e6 / 2**20)],
)
def test_memory(text: str, mib: float) -> None:
    assert memory_mib(text) == pytest.approx(mib)


@pytest.mark.parametrize("text", ["", "one", "1 Gi", "1GB", "-1", "Gi", "1.2.3"])
def test_not_quantities(text: str) -> None:
    assert parse_quantity(text) is None
