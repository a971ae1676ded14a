"""A server whose Kafka broker is down at start-up says so, serves anyway, and keeps retrying."""

from __future__ import annotations

from pathlib import Path

from tests.kafka_broker import free_port

from .conftest import SpawnServer


def test_an_unreachable_broker_is_named_and_retried(
    spawn_server: SpawnServer, tmp_path: Path
) -> None:
    port = free_port()  # nobody listens there

    server = spawn_server(
        "--listen", "127.0.0.1:0", "--database-url", f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "--kafka-bootstrap", f"127.0.0.1:{port}",
    )  # fmt: skip

    assert server.process.poll() is None  # READY came, and it still runs
    log = (tmp_path / "server-0.log").read_text()
    assert f"the Kafka broker at 127.0.0.1:{port} cannot be reached" in log
    assert "retrying in" in log
