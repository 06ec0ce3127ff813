"""The benches are code too: each must import against today's modules.

Nothing else in the suite imports `bench/`, so a rename elsewhere would only show
when someone next ran `make bench`.
"""

import importlib
from pathlib import Path

import pytest

BENCHES = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "bench").glob("*.py"))


@pytest.mark.parametrize("name", BENCHES)
def test_bench_module_imports(name):
    importlib.import_module(f"bench.{name}")
