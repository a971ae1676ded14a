"""Token sources of the real command: generated file, --issue-token, refusals, secrets in logs."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clustergenie_gui.client.channel import open_channel
from clustergenie_server.api.v1 import auth_pb2, auth_pb2_grpc
from tests.auth_support import authed_channel
from tests.tls_support import make_tls_files

SERVER = [sys.executable, "-m", "clustergenie_server"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment without any token, with a private config dir for generated files."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERGENIE_")}
    return {**env, "XDG_CONFIG_HOME": str(tmp_path / "config"), "PYTHONUNBUFFERED": "1", **extra}


def _start(tmp_path: Path, *args: str, env: dict[str, str]) -> tuple[subprocess.Popen[str], Path]:
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                *SERVER,
                "--listen",
                "127.0.0.1:0",
                "--database-url",
                f"sqlite:///{tmp_path / 'db.sqlite'}",
                *args,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env=env,
        )
    return process, log_path


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.wait(timeout=20)


async def _who(address: str, token: str) -> auth_pb2.Identity:
    async with authed_channel(address, token) as channel:
        return await auth_pb2_grpc.AuthServiceStub(channel).WhoAmI(auth_pb2.WhoAmIRequest())


async def test_without_tokens_an_admin_token_is_generated_into_a_private_file(
    tmp_path: Path,
) -> None:
    process, log_path = _start(tmp_path, env=_env(tmp_path))
    try:
        assert process.stdout is not None
        ready = process.stdout.readline()
        assert ready.startswith("CLUSTERGENIE_READY ")
        token_file = tmp_path / "config" / "ClusterGenie" / "server-token"
        assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
        token = token_file.read_text().strip()
        me = await _who(ready.split()[1], token)
        assert (me.name, me.role) == ("admin", auth_pb2.ROLE_ADMIN)
    finally:
        _stop(process)
    log = log_path.read_text()
    assert str(token_file) in log
    assert token not in log


async def test_issue_token_hands_a_fresh_token_over_stdout_only(tmp_path: Path) -> None:
    env = _env(tmp_path, CLUSTERGENIE_TOKEN="ignored-env-token-0123456789")
    tokens = []
    for _ in range(2):
        process, log_path = _start(tmp_path, "--issue-token", "--exit-with-stdin", env=env)
        try:
            assert process.stdout is not None
            first, ready = process.stdout.readline(), process.stdout.readline()
            assert first.startswith("CLUSTERGENIE_TOKEN ")
            assert ready.startswith("CLUSTERGENIE_READY ")
            token = first.split()[1]
            assert (await _who(ready.split()[1], token)).role == auth_pb2.ROLE_ADMIN
            with pytest.raises(Exception, match="UNAUTHENTICATED"):
                await _who(ready.split()[1], "ignored-env-token-0123456789")
            tokens.append(token)
        finally:
            _stop(process)
        assert token not in log_path.read_text()
    assert tokens[0] != tokens[1]  # fresh per launch
    assert not (tmp_path / "config").exists()  # nothing written to disk


def test_a_non_loopback_address_without_tls_is_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [*SERVER, "--listen", "0.0.0.0:0"],
        capture_output=True,
        text=True,
        timeout=30,
        env=_env(tmp_path),
    )
    assert result.returncode == 2
    assert "refusing to listen on 0.0.0.0:0 without TLS" in result.stderr
    assert "--insecure" in result.stderr


def test_a_broken_tokens_file_is_named_with_its_line(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text("ok admin ok-token-0123456789abcd\nbad boss bad-token-0123456789abc\n")
    result = subprocess.run(
        [*SERVER, "--tokens-file", str(tokens)],
        capture_output=True,
        text=True,
        timeout=30,
        env=_env(tmp_path),
    )
    assert result.returncode == 2
    assert f"{tokens}:2: unknown role 'boss'" in result.stderr
    assert "token-0123456789" not in result.stderr


def test_tokens_and_database_passwords_never_reach_the_log(tmp_path: Path) -> None:
    token, password = "env-admin-token-abcdefghijklmnop", "db-pa55word-xyz"
    env = _env(tmp_path, CLUSTERGENIE_TOKEN=token)
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                *SERVER,
                "--log-level",
                "DEBUG",
                "--listen",
                "127.0.0.1:0",
                "--database-url",
                f"mysql+pymysql://root:{password}@127.0.0.1:1/x",
            ],
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
            env=env,
        )
    try:
        deadline = time.monotonic() + 30
        while log_path.read_text().count("retrying") < 2:  # two failed connects, logged
            assert time.monotonic() < deadline, log_path.read_text()
            assert process.poll() is None
            time.sleep(0.1)
    finally:
        _stop(process)
    text = log_path.read_text()
    assert "127.0.0.1:1" in text
    assert password not in text
    assert token not in text


async def test_with_tls_a_non_loopback_address_is_served(tmp_path: Path) -> None:
    tls = make_tls_files(tmp_path / "tls")
    token = "tls-admin-token-0123456789abcdef"
    process, _log = _start(  # the later --listen wins over _start's loopback one
        tmp_path,
        "--listen",
        "0.0.0.0:0",
        "--tls-cert",
        str(tls.cert),
        "--tls-key",
        str(tls.key),
        env=_env(tmp_path, CLUSTERGENIE_TOKEN=token),
    )
    try:
        assert process.stdout is not None
        ready = process.stdout.readline()
        assert ready.startswith("CLUSTERGENIE_READY 0.0.0.0:")
        port = ready.split()[1].rpartition(":")[2]
        async with open_channel(f"127.0.0.1:{port}", token, tls.ca.read_bytes()) as channel:
            me = await auth_pb2_grpc.AuthServiceStub(channel).WhoAmI(auth_pb2.WhoAmIRequest())
        assert me.role == auth_pb2.ROLE_ADMIN
    finally:
        _stop(process)
