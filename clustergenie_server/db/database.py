"""The database handle: engine, sessions, migrations and an executor for units of work."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from clustergenie_server.db.audit_repository import current_call_audit
from clustergenie_server.db.schema_heads import is_at_heads, script_heads
from clustergenie_server.domain.errors import Unavailable

T = TypeVar("T")


class UnitsOfWork(Protocol):
    """What a service needs of Database to run its units of work (a test may hand it a fake)."""

    async def run(self, fn: Callable[[Session], T]) -> T:
        """Run fn(session) as one transaction and return its result."""
        ...

    async def read(self, fn: Callable[[Session], T]) -> T:
        """Like run, for a unit of work that only reads."""
        ...


log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# MySQL client error codes that mean "no server to talk to", as opposed to a bad statement.
_MYSQL_UNREACHABLE = frozenset({1040, 1053, 2002, 2003, 2005, 2006, 2013, 2055})
# Below MariaDB's default wait_timeout (8 h), so the pool never hands out a connection the
# server has already closed; pre-ping covers restarts in between.
_POOL_RECYCLE_SECONDS = 1800
# InnoDB's deadlock (1213): the server rolled one transaction back and asks to restart it. Two
# servers writing job rows meet it under load (found by the crash harness); a unit of work is a
# function of its session only, so it is simply run again, a few times.
_MYSQL_DEADLOCK = 1213
_DEADLOCK_ATTEMPTS = 4
_SQLITE_BUSY_TIMEOUT_MS = 15_000
# The execution option that marks a read-only unit of work (see Database.read).
_READ_ONLY = "clustergenie_read_only"


def redacted_url(url: str | URL) -> str:
    """Render a database URL for logs and messages, with any password hidden."""
    return make_url(url).render_as_string(hide_password=True)


class Database:
    """Owns the engine, the session factory and the executors that run blocking database work
    (one lane for reads, one for writes)."""

    def __init__(self, engine: Engine, *, pool_workers: int = 8) -> None:
        self.engine = engine
        self.sessions = sessionmaker(bind=engine, expire_on_commit=False)
        # Same pool; the option only changes how SQLite begins the transaction.
        self._read_sessions = sessionmaker(
            bind=engine.execution_options(**{_READ_ONLY: True}), expire_on_commit=False
        )
        # grpc.aio serves every RPC on one event loop; sync SQLAlchemy must never block it, and
        # a bounded pool keeps a burst of requests from opening more connections than the pool.
        self._executor = ThreadPoolExecutor(
            max_workers=pool_workers, thread_name_prefix="clustergenie-db"
        )
        # Writes have their own lane. In one shared FIFO pool a write queued behind every read
        # in front of it: 50 clients opening their streams queue ~150 snapshot reads of a few
        # hundred ms each, and a CreateCluster behind them missed its 10 s deadline although
        # the write lock was free. A shared in-memory database has one connection for all.
        shared = isinstance(engine.pool, StaticPool)
        self._write_executor = (
            self._executor
            if shared
            else ThreadPoolExecutor(
                max_workers=write_workers(engine.dialect.name, pool_workers),
                thread_name_prefix="clustergenie-db-write",
            )
        )

    @classmethod
    def connect(cls, url: str, *, pool_workers: int = 8) -> Database:
        """Create the engine for a sqlite:/// or mysql+pymysql:// URL (no I/O happens yet)."""
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            engine = _sqlite_engine(parsed, pool_workers)
            if parsed.database in (None, "", ":memory:"):
                pool_workers = 1  # one shared in-memory connection: serialise all use of it
        elif parsed.get_backend_name() in ("mysql", "mariadb"):
            engine = _mysql_engine(parsed, pool_workers)
        else:
            raise ValueError(
                f"unsupported database URL {redacted_url(parsed)}: "
                "use sqlite:///PATH or mysql+pymysql://USER:PASSWORD@HOST/DATABASE"
            )
        return cls(engine, pool_workers=pool_workers)

    def migrate(self) -> None:
        """Upgrade the schema to the newest Alembic revision (blocking; call from a thread)."""
        heads = script_heads(MIGRATIONS_DIR / "versions")
        with self._unreachable_as_unavailable(), self.engine.begin() as connection:
            # Alembic only when there is something to do: loading it costs more than the rest
            # of the check, on every start of the desktop app's bundled server.
            if heads is None or not is_at_heads(connection, heads):
                _upgrade(connection)
        log.info("database %s is at the newest schema", redacted_url(self.engine.url))

    async def run(self, fn: Callable[[Session], T]) -> T:
        """Run fn(session) as one transaction in the executor and return its result.

        The first such unit of an audited call also stores the call's audit entry.
        """
        loop = asyncio.get_running_loop()
        call = current_call_audit.get()
        if call is None or call.claimed:
            # A cancelled caller does not stop the thread: the unit of work commits or rolls
            # back on its own, which keeps the database consistent.
            return await loop.run_in_executor(self._write_executor, self.run_sync, fn)
        call.claimed = True
        try:
            return await loop.run_in_executor(
                self._write_executor, self.run_sync, call.with_entry(fn)
            )
        except BaseException:
            call.claimed = False  # rolled back with the change: the call's end records it
            raise

    def run_sync(self, fn: Callable[[Session], T]) -> T:
        """Run fn(session) as one transaction on the calling thread and return its result.

        A transaction the database chose as a deadlock's victim is run again (fn must depend on
        nothing but its session); after a few such tries the caller gets Unavailable.
        """
        for attempt in range(1, _DEADLOCK_ATTEMPTS + 1):
            try:
                with self._unreachable_as_unavailable(), self.sessions.begin() as session:
                    return fn(session)
            except exc.OperationalError as error:
                if not _is_deadlock(error):
                    raise
                if attempt == _DEADLOCK_ATTEMPTS:
                    raise Unavailable(
                        f"the database rolled this change back as a deadlock {attempt} times; "
                        "try again"
                    ) from error
                log.info("deadlock in a unit of work (attempt %d); running it again", attempt)
        raise AssertionError("unreachable")

    async def read(self, fn: Callable[[Session], T]) -> T:
        """Like run, for a unit of work that only reads: on SQLite it does not take the write
        lock, so reads neither wait for the job engine's writes nor make them wait."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.read_sync, fn)

    def read_sync(self, fn: Callable[[Session], T]) -> T:
        """Like run_sync, for a unit of work that only reads."""
        with self._unreachable_as_unavailable(), self._read_sessions.begin() as session:
            return fn(session)

    def close(self) -> None:
        """Wait for running units of work, then close every pooled connection."""
        self._write_executor.shutdown(wait=True)
        self._executor.shutdown(wait=True)
        self.engine.dispose()

    async def aclose(self) -> None:
        """Close without blocking the event loop."""
        await asyncio.to_thread(self.close)

    @contextlib.contextmanager
    def _unreachable_as_unavailable(self) -> Iterator[None]:
        """Turn "cannot connect / server gone" into Unavailable; other errors pass unchanged."""
        try:
            yield
        except (exc.OperationalError, exc.InterfaceError) as error:
            if _is_unreachable(error):
                raise Unavailable(self._unreachable_message(error)) from error
            raise

    def _unreachable_message(self, error: exc.DBAPIError) -> str:
        url = self.engine.url
        if url.get_backend_name() == "sqlite":
            where = url.database or ":memory:"
        else:
            where = _host_port(url)
        reason = error.orig.args[-1] if error.orig is not None and error.orig.args else error
        return (
            f"the database at {where} cannot be reached ({reason}); "
            "check that the database server is running and reachable, then try again"
        )


def write_workers(dialect: str, pool_workers: int) -> int:
    """Threads of the write lane: MariaDB writes rows concurrently, so as many as read. SQLite
    has one writer, so one thread: its units of work queue in the lane and each starts the
    moment the previous one ends. Threads racing for it at BEGIN IMMEDIATE would lose to
    SQLite's busy handler, which sleeps 1, 2, 5 ... 100 ms between tries while the lock is free
    again within a millisecond (under a burst of job writes most of the wall time was such
    sleeps). Other processes on the file still meet the busy handler."""
    return 1 if dialect == "sqlite" else pool_workers


def _upgrade(connection: sa.Connection) -> None:
    """Run Alembic's upgrade to every head on connection."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    # Config() reads no file, so the server needs no alembic.ini in its working directory.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.attributes["connection"] = connection
    command.upgrade(config, "heads")  # feature branches may add parallel heads


def _host_port(url: URL) -> str:
    return f"{url.host or 'localhost'}:{url.port or 3306}"


def _is_unreachable(error: exc.DBAPIError) -> bool:
    if error.connection_invalidated:
        return True
    args: tuple[object, ...] = getattr(error.orig, "args", ())
    return bool(args) and args[0] in _MYSQL_UNREACHABLE


def _is_deadlock(error: exc.DBAPIError) -> bool:
    args: tuple[object, ...] = getattr(error.orig, "args", ())
    return bool(args) and args[0] == _MYSQL_DEADLOCK


def _sqlite_engine(url: URL, pool_workers: int) -> Engine:
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if url.database in (None, "", ":memory:"):
        options["poolclass"] = StaticPool
    else:
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        options["pool_size"] = pool_workers + write_workers("sqlite", pool_workers)
    engine = sa.create_engine(url, **options)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _on_sqlite_connect(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    # Take transaction control away from pysqlite so SAVEPOINT and BEGIN IMMEDIATE work.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster commits
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _on_sqlite_begin(connection: sa.Connection) -> None:
    # A deferred transaction that reads, then writes fails at once with SQLITE_BUSY when another
    # writer committed in between (busy_timeout does not help); taking the write lock at BEGIN
    # makes concurrent units of work wait their turn instead. A unit that only reads never
    # upgrades, so it begins deferred: with WAL it reads a snapshot and takes no lock at all.
    if connection.get_execution_options().get(_READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _mysql_engine(url: URL, pool_workers: int) -> Engine:
    if "charset" not in url.query:
        url = url.update_query_dict({"charset": "utf8mb4"})
    return sa.create_engine(
        url,
        pool_size=pool_workers + write_workers("mysql", pool_workers),  # reads and writes
        max_overflow=2,  # start-up and migrations run outside the executor
        pool_pre_ping=True,
        pool_recycle=_POOL_RECYCLE_SECONDS,
        # Claims and lease renewals are single-row conditional UPDATEs; READ COMMITTED avoids
        # REPEATABLE READ's gap locks, which would make racing servers wait on each other.
        isolation_level="READ COMMITTED",
        # Without timeouts a query sent to a server that is restarting (it accepted the TCP
        # connection but will never answer) blocks its executor thread forever; a few such
        # threads and every call queues behind them. Fail the call instead: it maps to
        # UNAVAILABLE and the next checkout reconnects. (20 s is far above any query we run;
        # a long migration on a large table would need more.)
        connect_args={"connect_timeout": 5, "read_timeout": 20, "write_timeout": 20},
    )
