"""The bench's database: a fresh SQLite file, or a MariaDB database it creates and drops."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url


class DatabaseInUse(RuntimeError):
    """The named MySQL database exists already; the bench never drops what it did not make."""


@contextlib.contextmanager
def bench_database(url: str | None, tmp: Path) -> Iterator[tuple[str, str]]:
    """Yield (server URL, reference URL); a MySQL database is created first and dropped after."""
    if url is None:
        yield f"sqlite:///{tmp / 'bench.db'}", f"sqlite:///{tmp / 'reference.db'}"
        return
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        yield url, f"sqlite:///{tmp / 'reference.db'}"
        return
    name = parsed.database
    if not name or not name.replace("_", "").isalnum():
        raise ValueError(
            f"database URL {parsed.render_as_string()} must name a database of "
            "letters, digits and _, e.g. mysql+pymysql://root@127.0.0.1:3306/cg_bench"
        )
    # The same server and credentials without a database: URL.set(database=None) keeps the old one.
    server = URL.create(
        parsed.drivername,
        parsed.username,
        parsed.password,
        parsed.host,
        parsed.port,
        query=parsed.query,
    )
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(sa.text("SHOW DATABASES LIKE :name"), {"name": name})
            if exists.first():
                raise DatabaseInUse(
                    f"database {name} already exists; the bench creates and drops "
                    "its own, so name one that does not exist"
                )
            connection.exec_driver_sql(
                f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
            )
        try:
            yield url, url  # the reference table is a scratch table in the same database
        finally:
            with admin.connect() as connection:
                connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
    finally:
        admin.dispose()
