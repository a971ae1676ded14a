"""Core UPDATEs on one row beside the ORM: fresh rows back, no stale objects left behind."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key


def update_one(
    session: Session,
    model: type[Any],
    row_id: int,
    prepared: tuple[sa.Update, sa.Update, sa.Select[Any]],
    params: dict[str, Any],
) -> sa.Row[Any] | None:
    """Run a prepared UPDATE of one row; the row as it is now, or None if none matched.

    `prepared` is (the UPDATE, the same with RETURNING, a SELECT of the row), built once with
    bound parameters: building a statement from ORM attributes and computing its cache key
    costs several times more than running it on SQLite. Where the database can (SQLite, not
    MariaDB), the UPDATE returns the row itself. Statements on the table bypass the identity
    map, so an object of that row this session loaded earlier is expired (its next read reloads).
    """
    plain, returning, select_one = prepared
    if (loaded := session.identity_map.get(identity_key(model, row_id))) is not None:
        session.expire(loaded)
    if session.get_bind().dialect.update_returning:
        return session.execute(returning, params).first()
    if session.execute(plain, params).rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.execute(select_one, params).first()
