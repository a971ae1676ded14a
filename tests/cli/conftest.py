"""A real server for the CLI's tests (one per module, as a child process) and a way to run
`clustergenie-ctl` in the test process and read what it printed."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from clustergenie_cli.app import main
from tests.auth_support import ROLE_TOKENS, write_tokens_file


@dataclass(frozen=True)
class CtlServer:
    """A running clustergenie-server and a token file per role."""

    address: str
    token_files: dict[str, Path]


@dataclass(frozen=True)
class Result:
    """What one clustergenie-ctl run returned and printed."""

    code: int
    out: str
    err: str

    def json(self) -> Any:  # noqa: ANN401 - parsed JSON: the test indexes what it expects
        """stdout parsed as JSON."""
        return json.loads(self.out)


Ctl = Callable[..., Result]


@pytest.fixture(scope="module")
def ctl_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CtlServer]:
    """A fast server (no simulated failures) with viewer, operator and admin tokens."""
    folder = tmp_path_factory.mktemp("ctl-server")
    tokens = write_tokens_file(folder / "tokens")
    token_files = {}
    for role, token in ROLE_TOKENS.items():
        token_files[role] = folder / f"{role}.token"
        token_files[role].write_text(token + "\n")
    args = [
        sys.executable, "-m", "clustergenie_server", "--listen", "127.0.0.1:0",
        "--database-url", f"sqlite:///{folder}/ctl.db", "--tokens-file", str(tokens),
        "--time-scale", "80", "--failure-rate", "0", "--log-level", "WARNING",
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERGENIE_")}
    with open(folder / "server.log", "w") as log:
        process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log, text=True, env=env
        )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("CLUSTERGENIE_READY "):
        process.kill()
        raise AssertionError(
            f"server did not start: {line!r}\n{(folder / 'server.log').read_text()}"
        )
    yield CtlServer(line.split()[1], token_files)
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(autouse=True)
def isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Contexts (and the generated-token and desktop-app lookups) in the test's own dirs; no
    CLUSTERGENIE_* from the environment running the tests."""
    for name in list(os.environ):
        if name.startswith("CLUSTERGENIE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    # No desktop app running on this machine is picked up as the default server.
    (tmp_path / "runtime").mkdir(mode=0o700)  # as logind makes it; platformdirs checks
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "runtime"))
    return tmp_path / "config"


@pytest.fixture
def ctl(capsys: pytest.CaptureFixture[str], ctl_server: CtlServer) -> Ctl:
    """Run clustergenie-ctl against the test server as ROLE (default admin)."""

    def run(*args: str, role: str | None = "admin", server: str | None = None) -> Result:
        prefix = ["--server", server or ctl_server.address]
        if role is not None:
            prefix += ["--token-file", str(ctl_server.token_files[role])]
        capsys.readouterr()
        code = main([*prefix, *args])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


def free_port() -> int:
    """A loopback port nothing listens on (bound and released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
