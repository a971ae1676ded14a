"""Two servers on MariaDB + Redis + Kafka, SIGKILLed at seeded random points under a mixed
workload and restarted: no acknowledged job lost, none run twice, every droplet explained by its
jobs, no lock left held (tests/integration/crash_harness.py).

CI runs a bounded number of kills with a fixed seed. The long run, whose figures are in
docs/RELIABILITY.md:
    CLUSTERGENIE_CRASH_KILLS=60 CLUSTERGENIE_CRASH_SEED=random \
        python -m pytest tests/integration/test_crash_harness.py -q -s
"""

from __future__ import annotations

import os
import random
from functools import partial

import pytest

from clustergenie_server.db import Database
from tests.redis_support import RedisServer

from .conftest import SpawnServer
from .crash_harness import run_harness
from .test_servers_share_jobs import shared_db  # noqa: F401 - a fixture

pytestmark = [pytest.mark.slow, pytest.mark.mysql]

KILLS = int(os.environ.get("CLUSTERGENIE_CRASH_KILLS", "4"))
_SEED = os.environ.get("CLUSTERGENIE_CRASH_SEED", "20261201")
SEED = random.randrange(2**31) if _SEED == "random" else int(_SEED)


@pytest.mark.timeout(max(180, KILLS * 10 + 150))  # the long run outlasts the suite's 180 s
async def test_two_servers_killed_at_random_points_lose_and_repeat_nothing(
    spawn_server: SpawnServer,
    shared_db: Database,  # noqa: F811
    mysql_url: str,
    kafka_bootstrap: str,
    redis_server: RedisServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A killed server's leases lapse soon, so the survivor takes its jobs over within the run.
    monkeypatch.setenv("CLUSTERGENIE_JOB_LEASE_SECONDS", "3")
    monkeypatch.setenv("CLUSTERGENIE_MUTATIONS_PER_SECOND", "0")  # the workload is the load
    flags = (
        "--listen", "127.0.0.1:0", "--database-url", mysql_url,
        "--kafka-bootstrap", kafka_bootstrap, "--redis-url", redis_server.url,
        "--time-scale", "40", "--failure-rate", "0", "--seed", "5",
    )  # fmt: skip
    figures = await run_harness(
        partial(spawn_server, *flags), shared_db, servers=2, kills=KILLS, seed=SEED
    )
    assert figures.kills == KILLS
    assert figures.jobs > 0
