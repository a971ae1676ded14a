"""`clustergenie-ctl demo ...` against `clustergenie-server --demo` run headless, and against a
server that plays no demo."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from clustergenie_cli.app import main
from clustergenie_cli.exit_codes import ExitCode
from tests.cli.conftest import Ctl, Result

pytestmark = pytest.mark.slow


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`clustergenie-server --demo` at 100x with an admin token file."""
    token = tmp_path / "admin.token"
    token.write_text("demo-admin-token-0123456789\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERGENIE_")}
    env["CLUSTERGENIE_TOKEN"] = token.read_text().strip()
    args = [
        sys.executable, "-m", "clustergenie_server", "--demo", "--time-scale", "100",
        "--listen", "127.0.0.1:0", "--database-url", f"sqlite:///{tmp_path}/demo.db",
        "--failure-rate", "0", "--log-level", "WARNING",
    ]  # fmt: skip
    with open(tmp_path / "server.log", "w") as log:
        process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log, text=True, env=env
        )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith("CLUSTERGENIE_READY "), (tmp_path / "server.log").read_text()
    yield line.split()[1], token
    process.terminate()
    process.wait(timeout=30)


def _demo(capsys: pytest.CaptureFixture[str], server: str, token: Path, *args: str) -> Result:
    capsys.readouterr()
    code = main(["--server", server, "--token-file", str(token), "demo", *args, "-o", "json"])
    out, err = capsys.readouterr()
    return Result(code, out, err)


def test_a_headless_demo_is_followed_and_steered_from_the_command_line(
    demo_server: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    server, token = demo_server
    deadline = time.monotonic() + 60
    while True:  # the first step provisions the clusters, then the countdown starts
        state = _demo(capsys, server, token, "status").json()
        if state["seconds_to_next"] > 0 or time.monotonic() > deadline:
            break
    assert state["running"]
    assert state["step"] == 1
    assert state["next_title"] == "A traffic spike on shop"
    paused = _demo(capsys, server, token, "pause").json()
    assert paused["paused"]
    skipped = _demo(capsys, server, token, "skip").json()
    assert skipped["seconds_to_next"] == 0  # due now; the story moves on at once
    deadline = time.monotonic() + 30
    while state["step"] < 2 and time.monotonic() < deadline:
        state = _demo(capsys, server, token, "status").json()
    assert state["title"] == "A traffic spike on shop"
    assert not state["paused"]  # skipping ended the pause


def test_a_server_without_a_demo_says_so(ctl: Ctl) -> None:
    status = ctl("demo", "status", "-o", "json")
    assert status.code == 0
    assert status.json()["running"] is False
    refused = ctl("demo", "skip")
    assert refused.code == ExitCode.CONFLICT
    assert "--demo" in refused.err
    assert ctl("demo", "pause", role="viewer").code == ExitCode.DENIED
