"""Child processes for the servers under test: started with a READY handshake, always stopped."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from grpc import aio

from clustergenie_gui.client.channel import open_channel

# The children import `bench` as the bench process did: from the repository root.
REPO_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_SECONDS = 60.0  # imports plus migrations; MariaDB migrations take a few seconds
STOP_TIMEOUT_SECONDS = 15.0
# Every server child of this run accepts this admin token, and bench_channel sends it.
BENCH_TOKEN = secrets.token_urlsafe(24)


class ChildFailed(RuntimeError):
    """A server child did not start; the message carries the tail of its log."""


@dataclass(frozen=True, slots=True)
class Child:
    """A running server child and the loopback address it serves on."""

    process: asyncio.subprocess.Process
    address: str
    log_path: Path


def bench_channel(address: str) -> aio.Channel:
    """A channel to a child that sends BENCH_TOKEN (the bare reference server ignores it)."""
    return open_channel(address, BENCH_TOKEN)


@contextlib.asynccontextmanager
async def spawn(
    module: str,
    args: Sequence[str],
    ready_prefix: str,
    log_path: Path,
    env: Mapping[str, str] | None = None,
) -> AsyncIterator[Child]:
    """Run `python -m module args`, wait for its READY line, and stop it on exit."""
    env = {
        **os.environ,
        # Every bench client shares BENCH_TOKEN, so the per-token stream limit would count the
        # load bench's 50 clients as one.
        "CLUSTERGENIE_MAX_STREAMS_PER_CLIENT": "0",
        **(env or {}),
        "PYTHONUNBUFFERED": "1",
        "CLUSTERGENIE_TOKEN": BENCH_TOKEN,
    }
    with log_path.open("wb") as log_file:
        # stdin stays a pipe: if the bench dies, the child sees EOF and exits on its own.
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            module,
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=log_file,
            env=env,
            cwd=REPO_ROOT,
        )
    try:
        address = await _ready_address(process, module, ready_prefix, log_path)
        yield Child(process, address, log_path)
    finally:
        await _stop(process)


async def _ready_address(
    process: asyncio.subprocess.Process, module: str, prefix: str, log_path: Path
) -> str:
    assert process.stdout is not None
    try:
        async with asyncio.timeout(START_TIMEOUT_SECONDS):
            while line := (await process.stdout.readline()).decode():
                if line.startswith(prefix + " "):
                    return line.split()[1]
    except TimeoutError:
        pass
    tail = _tail(log_path)
    raise ChildFailed(
        f"{module} printed no {prefix} line within {START_TIMEOUT_SECONDS:g}s; "
        f"the end of its log ({log_path}):\n{tail}"
    )


def _tail(log_path: Path) -> str:
    """The end of a child's log, for the error message."""
    return log_path.read_text(errors="replace")[-2000:]


async def _stop(process: asyncio.subprocess.Process) -> None:
    """SIGTERM for a graceful stop; SIGKILL if it has not ended in time."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            async with asyncio.timeout(STOP_TIMEOUT_SECONDS):
                await process.wait()
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
