"""The committed gRPC and Qt resource code match their sources; the layers import only what they
may."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("generator", ["protos/generate.py", "resources/generate.py"])
def test_generated_code_is_up_to_date(generator: str) -> None:
    # gRPC code from protos/, the Qt resource module from resources/: both committed.
    result = subprocess.run(
        [sys.executable, generator, "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"run `python {generator}`:\n{result.stderr}"


def test_layer_contracts_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
