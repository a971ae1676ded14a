"""A private MariaDB for outage tests: its own datadir and port, stopped and started at will."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pymysql
import pytest

from tests.redis_support import free_port, missing

# Any user and password work with --skip-grant-tables; a password in the URL lets the test
# check that it never shows up in an error message.
PASSWORD = "s3cret-Pw-42"
DATABASE = "clustergenie"


@dataclass
class MariaDBServer:
    """A mariadbd child on a free loopback port."""

    binary: str
    datadir: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """SQLAlchemy URL of its clustergenie database, with the (ignored) password."""
        return f"mysql+pymysql://root:{PASSWORD}@127.0.0.1:{self.port}/{DATABASE}"

    def start(self, timeout: float = 30.0) -> None:
        """Start it on its datadir and wait until it accepts connections."""
        log = open(self.datadir.parent / "mariadbd.log", "ab")  # noqa: SIM115 - the child owns it
        self.process = subprocess.Popen(
            [
                self.binary,
                "--no-defaults",
                f"--datadir={self.datadir}",
                f"--socket={self.datadir.parent / 'sock'}",
                f"--pid-file={self.datadir.parent / 'mariadbd.pid'}",
                f"--port={self.port}",
                "--bind-address=127.0.0.1",
                "--skip-grant-tables",
                "--skip-name-resolve",
                "--user=root",
                "--innodb-buffer-pool-size=32M",
                "--innodb-log-file-size=16M",
            ],
            stdout=log,
            stderr=log,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            try:
                pymysql.connect(
                    host="127.0.0.1", port=self.port, user="root", connect_timeout=1
                ).close()
                return
            except pymysql.err.OperationalError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"mariadbd did not start; see {self.datadir.parent / 'mariadbd.log'}"
                    ) from None
                time.sleep(0.1)  # noqa: ASYNC251 - a blocking fixture helper, before the loop runs

    def stop(self) -> None:
        """Kill it outright (an outage, not a maintenance window) and wait until it is gone."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.process = None


@pytest.fixture(name="own_mariadb")
def own_mariadb_fixture(tmp_path: Path) -> Iterator[MariaDBServer]:
    """A fresh MariaDB with an empty clustergenie database; killed at the end of the test."""
    binary = shutil.which("mariadbd") or shutil.which("mariadbd", path="/usr/sbin:/usr/local/sbin")
    install = shutil.which("mariadb-install-db")
    if binary is None or install is None:
        missing("mariadbd / mariadb-install-db not found; install the mariadb-server package")
        raise AssertionError("unreachable")
    datadir = tmp_path / "mariadb" / "data"
    datadir.parent.mkdir()
    subprocess.run(
        [
            install,
            "--no-defaults",
            f"--datadir={datadir}",
            "--auth-root-authentication-method=normal",
            "--user=root",
            "--skip-test-db",
        ],
        check=True,
        capture_output=True,
    )
    server = MariaDBServer(binary, datadir, free_port())
    server.start()
    try:
        with pymysql.connect(host="127.0.0.1", port=server.port, user="root") as connection:
            connection.cursor().execute(
                f"CREATE DATABASE {DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
            )
        yield server
    finally:
        server.stop()
