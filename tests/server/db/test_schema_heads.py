"""Database.migrate skips Alembic only when the schema is at every head, and upgrades otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from clustergenie_server.db import Database
from clustergenie_server.db.database import MIGRATIONS_DIR
from clustergenie_server.db.schema_heads import is_at_heads, script_heads


def test_heads_are_the_ones_alembic_finds() -> None:
    # The parallel 0002 heads today, and whatever later revisions add or merge.
    expected = frozenset(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())
    assert script_heads(MIGRATIONS_DIR / "versions") == expected


def _script(folder: Path, name: str, body: str) -> None:
    (folder / f"{name}.py").write_text(f'"""{name}."""\n{body}\n', encoding="utf-8")


def test_a_merge_revision_is_the_one_head(tmp_path: Path) -> None:
    _script(tmp_path, "a", 'revision = "a"\ndown_revision = None')
    _script(tmp_path, "b", 'revision: str = "b"\ndown_revision: str | None = "a"')
    _script(tmp_path, "c", 'revision = "c"\ndown_revision = "a"')
    assert script_heads(tmp_path) == frozenset({"b", "c"})
    _script(tmp_path, "m", 'revision = "m"\ndown_revision = ("b", "c")')
    assert script_heads(tmp_path) == frozenset({"m"})


@pytest.mark.parametrize(
    "body", ["revision = name()\ndown_revision = None", 'revision = "x"\ndown_revision = parent()']
)
def test_a_script_it_cannot_read_leaves_the_answer_to_alembic(tmp_path: Path, body: str) -> None:
    _script(tmp_path, "x", body)
    assert script_heads(tmp_path) is None


def test_a_database_behind_a_head_is_upgraded(tmp_path: Path) -> None:
    # As after an upgrade of the app that brings a new revision: here the audit log's.
    database = Database.connect(f"sqlite:///{tmp_path / 'cg.db'}")
    try:
        database.migrate()
        with database.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE audit_log"))
            connection.execute(
                sa.text("DELETE FROM alembic_version WHERE version_num = '0002_audit'")
            )
        heads = script_heads(MIGRATIONS_DIR / "versions")
        assert heads is not None
        with database.engine.connect() as connection:
            assert not is_at_heads(connection, heads)
        database.migrate()
        with database.engine.connect() as connection:
            assert is_at_heads(connection, heads)
            assert sa.inspect(connection).has_table("audit_log")
        database.migrate()  # at every head: nothing to do, nothing breaks
    finally:
        database.close()


def test_a_new_database_is_not_at_heads(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'new.db'}")
    try:
        with engine.connect() as connection:
            assert not is_at_heads(connection, {"0001"})
    finally:
        engine.dispose()
