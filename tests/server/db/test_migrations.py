"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

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
