"""Crash safety: SIGKILL the real server at seeded random points while it provisions, scales and
acts on droplets; the restarted server must converge to a consistent state without losing or
repeating work. One server here, on SQLite and on MariaDB; two servers with Redis and Kafka in
test_crash_harness.py; both through tests/integration/crash_harness.py."""

from __future__ import annotations

from functools import partial

import pytest

from clustergenie_server.db import Database

from .conftest import SpawnServer
from .crash_harness import run_harness

SEED = 20240605
KILLS = 5
# Fast enough that kills land in every step of provisioning and scaling, slow enough that a
# job spans several kill points.
SERVER_FLAGS = (
    "--time-scale",
    "40",
    "--failure-rate",
    "0",
    "--seed",
    "7",
    "--listen",
    "127.0.0.1:0",
)


@pytest.mark.slow
async def test_killed_server_restarts_into_a_consistent_state(
    spawn_server: SpawnServer,
    database: Database,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLUSTERGENIE_MUTATIONS_PER_SECOND", "0")  # the workload is the load
    spawn = partial(spawn_server, "--database-url", database_url, *SERVER_FLAGS)
    figures = await run_harness(spawn, database, servers=1, kills=KILLS, seed=SEED)
    assert figures.kills == KILLS
    assert figures.jobs > 0
