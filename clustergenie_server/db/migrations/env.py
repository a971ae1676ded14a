"""Alembic environment: migrates the connection that Database.migrate() hands over."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from clustergenie_server.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations(connection: sa.Connection) -> None:
    """Run the pending revisions on one connection."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rewrites the table, and MySQL ignores it.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Use the connection from Database.migrate(), else sqlalchemy.url (for the alembic CLI)."""
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    # Only for developers writing a new revision, e.g.
    #   alembic -c clustergenie_server/db/migrations/alembic.ini \
    #       -x url=sqlite:////tmp/cg.db revision --autogenerate -m "what changed"
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise RuntimeError("no database: pass -x url=DATABASE_URL or use Database.migrate()")
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            run_migrations(connection)
    finally:
        engine.dispose()


main()
