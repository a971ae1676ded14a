"""Redis for tests: the machine's shared Redis (own db and prefix) or a private redis-server."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from clustergenie_server.cache.redis_cache import RedisCache

# Database 13: away from the default 0 that a developer's own server data would use.
TEST_REDIS_URL = os.environ.get("CLUSTERGENIE_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def missing(reason: str) -> None:
    """Skip outside CI; in CI a missing back end must never pass as a skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
async def redis_cache() -> AsyncIterator[RedisCache]:
    """A RedisCache on the shared test Redis, under a prefix of its own, emptied afterwards."""
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        missing(
            f"Redis at {TEST_REDIS_URL} is unreachable ({exc}); start it or set "
            "CLUSTERGENIE_TEST_REDIS_URL"
        )
    finally:
        client.close()
    cache = RedisCache(TEST_REDIS_URL, prefix=f"cgtest:{secrets.token_hex(4)}:")
    yield cache
    await cache.delete_prefix("")
    await cache.aclose()


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class RedisServer:
    """A private redis-server child on a free port; stop() and start() it at will."""

    port: int
    workdir: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Its URL."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start it and wait until it answers."""
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Timeouts on every test client: a server that accepts but never answers must fail the
        # test, not hang it.
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2, socket_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise AssertionError(
                        f"redis-server on port {self.port} did not start"
                    ) from None
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        """Stop it outright (its data is gone: nothing is saved)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A private, started redis-server; stopped at the end of the test."""
    if shutil.which("redis-server") is None:
        missing("redis-server is not installed; install it (apt-get install redis-server)")
    server = RedisServer(free_port(), tmp_path)
    server.start()
    yield server
    server.stop()
