"""The operator's files: the systemd unit verifies and is hardened, its example TOML is a valid
configuration, and the Dockerfile serves metrics on a port it exposes."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.redis_support import missing

ROOT = Path(__file__).resolve().parents[1]
UNIT = ROOT / "packaging" / "clustergenie-server.service"
HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "CapabilityBoundingSet": "",
    "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
    "SystemCallFilter": "~@privileged @resources",
}


def _unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are CamelCase
    parser.read(UNIT)
    return parser


def test_the_unit_checks_its_configuration_first_and_is_hardened() -> None:
    service = _unit()["Service"]
    assert service["ExecStartPre"].endswith("clustergenie-server --check-config")
    assert service["ExecStart"].endswith("clustergenie-server")
    assert service["KillSignal"] == "SIGTERM"
    assert service["User"] == "clustergenie"
    for key, value in HARDENING.items():
        assert service[key] == value, key


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        missing("systemd-analyze not found (package systemd)")
        raise AssertionError("unreachable")
    program = tmp_path / "clustergenie-server"
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    unit = tmp_path / "clustergenie-server.service"
    unit.write_text(UNIT.read_text().replace("/usr/local/bin/clustergenie-server", str(program)))
    result = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


def test_the_example_configuration_passes_check_config(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text("ops admin ops-token-0123456789abcdef\n")
    tokens.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERGENIE_")}
    # The unit's own environment, with the tokens file (an /etc path) and database moved here.
    env |= {
        "CLUSTERGENIE_CONFIG": str(ROOT / "packaging" / "server.toml"),
        "CLUSTERGENIE_TOKENS_FILE": str(tokens),
        "CLUSTERGENIE_DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "-m", "clustergenie_server", "--check-config"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "metrics 127.0.0.1:9464" in result.stdout


def test_the_image_serves_metrics_on_an_exposed_port() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    listen = re.search(r"^ENV CLUSTERGENIE_METRICS_LISTEN=\S+:(\d+)$", dockerfile, re.M)
    assert listen is not None
    exposed = re.search(r"^EXPOSE (.+)$", dockerfile, re.M)
    assert exposed is not None
    assert listen.group(1) in exposed.group(1).split()
    assert "COPY clustergenie_cli" in dockerfile


@pytest.mark.parametrize("name", ["clustergenie_cli", "clustergenie_gui/client"])
def test_the_image_context_keeps_what_the_cli_needs(name: str) -> None:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    assert f"!{name}" in lines or name not in {line.rstrip("/*") for line in lines}
