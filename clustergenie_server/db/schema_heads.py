"""Is a database already at the newest schema? Answered without loading Alembic.

Alembic's import and its migration environment cost ~0.1-0.2 s of every server start (the
desktop app starts one each time it opens), although a database is at the newest revision on
every start but the first after an upgrade. Database.migrate asks this module first and runs
Alembic only when the answer is not a plain yes.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa

VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps
_NOT_LITERAL = object()  # e.g. `revision = make_id()`: script_heads then answers None


def script_heads(versions_dir: Path) -> frozenset[str] | None:
    """The head revisions of the scripts in versions_dir: revisions no other script revises.

    Read from each script's `revision` and `down_revision` assignments, which Alembic requires
    at module level; None when a script does not give them as literals (let Alembic decide).
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions_dir.glob("*.py"):
        if path.name == "__init__.py":
            continue
        values = _literal_assignments(path.read_text(encoding="utf-8"))
        revision, down = values.get("revision"), values.get("down_revision")
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        if down is None:
            continue
        # A merge revision revises several parents.
        down_list = [down] if isinstance(down, str) else down
        if not isinstance(down_list, list | tuple) or not all(
            isinstance(d, str) for d in down_list
        ):
            return None
        parents.update(down_list)
    return frozenset(revisions - parents) or None


def is_at_heads(connection: sa.Connection, heads: Iterable[str]) -> bool:
    """True when the database's version table holds exactly these revisions."""
    if not sa.inspect(connection).has_table(VERSION_TABLE):
        return False  # a new database
    current = connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
    return set(current) == set(heads)


def _literal_assignments(source: str) -> dict[str, object]:
    """Module-level `name = literal` (or `name: T = literal`) of a script's source."""
    values: dict[str, object] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name):
            try:
                values[target.id] = ast.literal_eval(value)
            except (ValueError, TypeError):
                values[target.id] = _NOT_LITERAL
    return values
