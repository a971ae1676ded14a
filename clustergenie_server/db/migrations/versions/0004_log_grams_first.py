"""Log chunks keep their trigram bitmap before their data (see db/log_models.py).

SQLite reaches a column stored after a long blob only by walking that blob's overflow pages, so
reading every chunk's bitmap (what each search does) read every page of every chunk: ~40 % of a
rare-substring search over 5 million lines. SQLite cannot move a column: the table is rebuilt
with the same rows. MySQL/MariaDB are left alone: InnoDB keeps long blobs off the row's page,
so a column after one costs nothing to reach.

Revision ID: 0004_log_grams_first
Revises: 0003_logs
Create Date: 2026-12-02 02:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_log_grams_first"
down_revision: str | None = "0003_logs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out rather than imported from the models, so the revision keeps its meaning.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
HEAD = ("id", "stream_id", "t_min", "t_max", "n_lines", "weight", "bytes", "seq_max")


def upgrade() -> None:
    """Rebuild log_chunks on SQLite with grams before data."""
    _rebuild(("grams", "data"))


def downgrade() -> None:
    """Rebuild it with data before grams again."""
    _rebuild(("data", "grams"))


def _rebuild(blobs: tuple[str, str]) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_table(
        "log_chunks_rebuilt",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("stream_id", sa.BigInteger(), nullable=False),
        sa.Column("t_min", sa.Double(), nullable=False),
        sa.Column("t_max", sa.Double(), nullable=False),
        sa.Column("n_lines", sa.Integer(), nullable=False),
        sa.Column("weight", sa.BigInteger(), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("seq_max", sa.BigInteger(), nullable=False),
        *(sa.Column(name, sa.LargeBinary(), nullable=False) for name in blobs),
    )
    columns = ", ".join((*HEAD, *blobs))
    op.execute(f"INSERT INTO log_chunks_rebuilt ({columns}) SELECT {columns} FROM log_chunks")
    op.drop_table("log_chunks")
    op.rename_table("log_chunks_rebuilt", "log_chunks")
    op.create_index("ix_log_chunks_t_max", "log_chunks", ["t_max"])
    op.create_index("ix_log_chunks_stream", "log_chunks", ["stream_id", "t_max"])
