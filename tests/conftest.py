"""Shared fixtures for the whole suite."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.db import Database
from clustergenie_server.db.models import Base

# GUI: Qt must not look for a display in tests; set before any test module imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The user's runtime directory holds a running desktop app's bundled-server.json (what
# clustergenie-ctl finds it by): the suite's apps and servers publish into a private one of
# their own, set before anything (or any child process) reads it.
_RUNTIME_DIR = tempfile.mkdtemp(prefix="clustergenie-test-runtime-")
os.environ["XDG_RUNTIME_DIR"] = _RUNTIME_DIR

# ---------------------------------------------------------------- database fixtures
# `database_url` runs a test on SQLite and on MariaDB/MySQL; `database` gives it a migrated
# Database with empty tables. Each back end is migrated once per session, then emptied per test.

MYSQL_SERVER_URL = os.environ.get(
    "CLUSTERGENIE_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/"
)


@pytest.fixture(scope="session")
def mysql_url() -> Iterator[str]:
    """URL of a fresh, uniquely named MySQL database, dropped when the session ends."""
    server = sa.make_url(MYSQL_SERVER_URL)
    engine = sa.create_engine(server, connect_args={"connect_timeout": 5})
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as error:
        engine.dispose()
        reason = (
            f"MariaDB/MySQL at {server.render_as_string(hide_password=True)} is unreachable "
            f"({error.orig}); start it or set CLUSTERGENIE_TEST_MYSQL_URL"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)  # in CI a missing back end must never pass as a skip
        pytest.skip(reason)
    name = f"clustergenie_test_{secrets.token_hex(6)}"
    with engine.begin() as connection:
        connection.exec_driver_sql(
            f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
        )
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
        engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", pytest.param("mysql", marks=pytest.mark.mysql)])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of an empty database, once per back end and session."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'clustergenie.db'}"
    url: str = request.getfixturevalue("mysql_url")
    return url


@pytest.fixture(scope="session")
def migrated_database(database_url: str) -> Iterator[Database]:
    """A Database migrated to the newest schema, shared by the session's tests."""
    database = Database.connect(database_url)
    database.migrate()
    yield database
    database.close()


@pytest.fixture
def database(migrated_database: Database) -> Database:
    """The migrated Database with every table emptied, so each test starts clean."""

    def delete_all(session: Session) -> None:
        for table in reversed(Base.metadata.sorted_tables):  # children before parents
            session.execute(table.delete())

    migrated_database.run_sync(delete_all)
    return migrated_database


# ---------------------------------------------------------------- Kafka (tansu) broker


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """HOST:PORT of a tansu broker started for this session, killed at its end."""
    from tests.kafka_broker import BrokerUnavailable, tansu_broker

    log_path = tmp_path_factory.mktemp("tansu") / "tansu.log"
    try:
        broker = tansu_broker(log_path)
        address = broker.__enter__()
    except BrokerUnavailable as exc:
        reason = f"no Kafka broker for the tests: {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)  # in CI a missing back end must never pass as a skip
        pytest.skip(reason)
    try:
        yield address
    finally:
        broker.__exit__(None, None, None)
