"""Database: engine options, units of work on and off the event loop, and failure mapping."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.db import ClusterRepository, Database, redacted_url
from clustergenie_server.domain.errors import Unavailable
from tests.server.db.conftest import NOW


async def test_run_works_off_the_event_loop_thread(database: Database) -> None:
    loop_thread = threading.get_ident()

    def unit(session: Session) -> tuple[int, int]:
        return threading.get_ident(), session.execute(sa.text("SELECT 1")).scalar_one()

    thread, one = await database.run(unit)

    assert one == 1
    assert thread != loop_thread


async def test_run_rolls_back_when_the_unit_raises(database: Database, now: datetime) -> None:
    def add_then_fail(session: Session) -> None:
        ClusterRepository(session).add(
            name="web",
            region="nyc1",
            size="s",
            image="i",
            tags=(),
            now=now,
        )
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await database.run(add_then_fail)

    assert await database.run(lambda s: ClusterRepository(s).list()) == []


async def test_a_refused_connection_is_unavailable_without_the_password() -> None:
    # Port 1 is closed: the connection is refused at once, with no waiting.
    database = Database.connect("mysql+pymysql://clustergenie:s3cret@127.0.0.1:1/clustergenie")
    try:
        with pytest.raises(Unavailable, match="127.0.0.1:1") as caught:
            await database.run(lambda s: s.execute(sa.text("SELECT 1")).scalar_one())
    finally:
        await database.aclose()

    assert "s3cret" not in str(caught.value)
    assert "try again" in str(caught.value)


def test_redacted_url_hides_the_password() -> None:
    shown = redacted_url("mysql+pymysql://admin:s3cret@db.example:3306/cg")

    assert shown == "mysql+pymysql://admin:***@db.example:3306/cg"


def test_mysql_urls_get_utf8mb4_unless_a_charset_is_given() -> None:
    plain = Database.connect("mysql+pymysql://root@127.0.0.1/cg")
    latin = Database.connect("mysql+pymysql://root@127.0.0.1/cg?charset=latin1")
    try:
        assert plain.engine.url.query["charset"] == "utf8mb4"
        assert latin.engine.url.query["charset"] == "latin1"
    finally:
        plain.close()
        latin.close()


def test_sqlite_creates_its_folder_and_sets_its_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "cg.db"
    database = Database.connect(f"sqlite:///{path}")
    try:

        def pragmas(session: Session) -> tuple[object, ...]:
            return tuple(
                session.execute(sa.text(f"PRAGMA {name}")).scalar_one()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            )

        assert database.run_sync(pragmas) == ("wal", 1, 15000)
        assert path.exists()
    finally:
        database.close()


def test_in_memory_sqlite_works_for_quick_tools() -> None:
    database = Database.connect("sqlite://")
    try:
        database.migrate()
        assert database.run_sync(lambda s: ClusterRepository(s).list()) == []
    finally:
        database.close()


def test_unsupported_urls_are_refused_with_the_accepted_forms() -> None:
    with pytest.raises(ValueError, match=r"use sqlite:///PATH or mysql\+pymysql://"):
        Database.connect("postgresql://user:pw@host/db")


def test_a_read_on_sqlite_does_not_wait_for_a_writer(tmp_path: Path) -> None:
    database = Database.connect(f"sqlite:///{tmp_path / 'cg.db'}")
    try:
        database.migrate()
        with database.sessions.begin() as writer:
            writer.execute(sa.text("SELECT 1"))  # the write lock is held from here to the end
            # Were the read to begin IMMEDIATE too, it would wait for the lock and then fail.
            clusters = database.read_sync(lambda s: ClusterRepository(s).list())
        assert clusters == []
    finally:
        database.close()


async def test_read_runs_off_the_event_loop_thread(database: Database) -> None:
    loop_thread = threading.get_ident()

    thread = await database.read(lambda s: threading.get_ident())

    assert thread != loop_thread


async def test_a_write_does_not_queue_behind_the_reads_in_flight(tmp_path: Path) -> None:
    # 50 clients opening their streams queue ~150 snapshot reads; a CreateCluster behind them
    # missed its deadline although the write lock was free. Writes have a lane of their own.
    database = Database.connect(f"sqlite:///{tmp_path / 'cg.db'}", pool_workers=2)
    release = threading.Event()
    reads: list[asyncio.Future[bool]] = []
    try:
        database.migrate()
        # Every read thread busy, and more reads waiting for one.
        reads += [asyncio.ensure_future(database.read(lambda s: release.wait())) for _ in range(4)]
        cluster = await asyncio.wait_for(
            database.run(
                lambda s: ClusterRepository(s).add(
                    name="web", region="nyc1", size="s-1vcpu-1gb", image="ubuntu-24-04-x64",
                    tags=(), now=NOW,
                )
            ),
            timeout=30,  # only so that a regression fails instead of hanging
        )  # fmt: skip
        assert cluster.name == "web"
        assert not any(read.done() for read in reads)
    finally:
        release.set()
        await asyncio.gather(*reads)
        database.close()


def _deadlock() -> sa.exc.OperationalError:
    """What PyMySQL raises when InnoDB picks the transaction as a deadlock's victim."""
    orig = Exception(1213, "Deadlock found when trying to get lock; try restarting transaction")
    return sa.exc.OperationalError("UPDATE jobs ...", {}, orig)


async def test_a_deadlock_victim_is_run_again_in_a_new_transaction(database: Database) -> None:
    tries: list[int] = []

    def unit(session: Session) -> str:
        ClusterRepository(session).add(
            name=f"try-{len(tries)}", region="nyc1", size="s-1vcpu-1gb", image="img", tags=(),
            now=NOW,
        )  # fmt: skip
        tries.append(1)
        if len(tries) < 3:
            raise _deadlock()
        return "done"

    assert await database.run(unit) == "done"
    names = await database.read(lambda s: [c.name for c in ClusterRepository(s).list()])
    assert names == ["try-2"]  # the victims' changes were rolled back


async def test_a_lasting_deadlock_is_unavailable_not_an_internal_error(database: Database) -> None:
    def unit(session: Session) -> None:
        raise _deadlock()

    with pytest.raises(Unavailable, match="deadlock 4 times; try again"):
        await database.run(unit)
