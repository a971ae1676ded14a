"""The committed reference docs match their sources: docs/API.md the .proto comments (every
service, rpc, message and enum has one), docs/CONFIGURATION.md clustergenie_server/settings.py."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

from clustergenie_server.settings import Settings, env_var_names

ROOT = Path(__file__).resolve().parents[1]


def test_reference_docs_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, "docs/generate.py", "--check"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, f"run `python docs/generate.py`:\n{result.stderr}"


def test_the_configuration_reference_names_every_setting_and_variable() -> None:
    text = (ROOT / "docs" / "CONFIGURATION.md").read_text()
    for field in dataclasses.fields(Settings):
        assert f"`{field.name}`" in text or f"[{field.name}]" in text
    for name in env_var_names() - {"CLUSTERGENIE_CONFIG"}:
        assert f"`{name}`" in text, name


def test_the_api_reference_lists_every_rpc_with_its_role() -> None:
    from clustergenie_server.rpc.method_roles import METHOD_ROLES

    text = (ROOT / "docs" / "API.md").read_text()
    for method, role in METHOD_ROLES.items():
        name = method.rpartition("/")[2]
        assert f"| `{name}` |" in text, name
        row = next(line for line in text.splitlines() if line.startswith(f"| `{name}` |"))
        assert f"| {role.name.lower()} |" in row, row
