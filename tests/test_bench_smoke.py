"""`python -m bench --quick` runs end to end and prints its table of figures and references."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_quick_bench_prints_every_figure_beside_a_reference() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=170,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    figures = {row.split("|")[1].strip() for row in rows[1:]}
    assert {"GetDroplet x1: rate", "CreateCluster x32: rate"} <= figures
    assert all(len(row.split("|")) == 6 for row in rows), "figure | value | reference | ratio"
