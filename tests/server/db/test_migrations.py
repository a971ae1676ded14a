"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from clustergenie_server.db import Database
from clustergenie_server.db.database import MIGRATIONS_DIR
from clustergenie_server.db.models import Base


def diff(database: Database, metadata: sa.MetaData) -> list[object]:
    """What autogenerate would change to make the database match the metadata."""
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def test_migrated_schema_matches_the_models(database: Database) -> None:
    assert diff(database, Base.metadata) == []


def test_the_comparison_sees_the_tables(database: Database) -> None:
    # Guards the test above against comparing nothing with nothing.
    removed = {d[1].name for d in diff(database, sa.MetaData()) if d[0] == "remove_table"}  # type: ignore[index]
    assert {"clusters", "droplets", "jobs", "outbox"} <= removed
    assert {"metric_samples", "faults", "scaling_policies", "scaling_decisions"} <= removed


def test_migrate_is_idempotent_and_reaches_head(database: Database) -> None:
    database.migrate()

    # Feature branches add parallel heads (e.g. telemetry and outbox); the schema has them all.
    heads = set(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())
    with database.engine.connect() as connection:
        assert set(MigrationContext.configure(connection).get_current_heads()) == heads
    assert heads


def test_log_chunks_stored_before_the_bitmap_moved_keep_their_rows(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    row = {
        "stream_id": 5, "t_min": 1.0, "t_max": 2.0, "n_lines": 2, "weight": 2, "bytes": 9,
        "seq_max": 3, "data": b"chunk data", "grams": b"x\x01bits",
    }  # fmt: skip
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003_logs")
        connection.execute(sa.table("log_chunks", *map(sa.column, row)).insert(), [row])
    database = Database(engine)
    database.migrate()
    assert diff(database, Base.metadata) == []
    with engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT * FROM log_chunks")).mappings().one()
        names = [c["name"] for c in sa.inspect(connection).get_columns("log_chunks")]
    assert {k: stored[k] for k in row} == row
    assert names.index("grams") < names.index("data")
    database.close()
