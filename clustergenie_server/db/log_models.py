"""Tables of the logs: a small stream index, compressed chunks, and per-minute counts.

A query resolves its stream selector against log_streams (a few thousand rows, held in memory),
then reads the chunks of those streams in its window, newest first (see log_chunks for the
chunk layout and why). log_counts keeps weighted counts per stream and minute, so stats and
graphs over any window read a few rows per minute instead of every line.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from clustergenie_server.db.models import MYSQL_TABLE_ARGS, Base, IdType

# Up to 4 GB a chunk on MySQL (a plain BLOB stops at 64 KB).
Blob = sa.LargeBinary().with_variant(mysql.LONGBLOB(), "mysql")

log_streams = sa.Table(
    "log_streams",
    Base.metadata,
    sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=False),
    sa.Column("labels", sa.String(4000), nullable=False),  # canonical {a="1", b="2"}
    sa.Column("first_t", sa.Double(), nullable=False),
    **MYSQL_TABLE_ARGS,
)

log_chunks = sa.Table(
    "log_chunks",
    Base.metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("stream_id", sa.BigInteger(), nullable=False),
    sa.Column("t_min", sa.Double(), nullable=False),
    sa.Column("t_max", sa.Double(), nullable=False),
    sa.Column("n_lines", sa.Integer(), nullable=False),
    sa.Column("weight", sa.BigInteger(), nullable=False),
    sa.Column("bytes", sa.Integer(), nullable=False),
    sa.Column("seq_max", sa.BigInteger(), nullable=False),
    # The bitmap before the data: SQLite reaches a column after a long blob only by walking
    # that blob's overflow pages, and every search reads every chunk's bitmap.
    sa.Column("grams", Blob, nullable=False),
    sa.Column("data", Blob, nullable=False),
    sa.Index("ix_log_chunks_t_max", "t_max"),  # searches newest first; retention by age
    sa.Index("ix_log_chunks_stream", "stream_id", "t_max"),
    **MYSQL_TABLE_ARGS,
)

log_counts = sa.Table(
    "log_counts",
    Base.metadata,
    sa.Column("stream_id", sa.BigInteger(), primary_key=True, autoincrement=False),
    sa.Column("minute", sa.BigInteger(), primary_key=True, autoincrement=False),
    sa.Column("n_lines", sa.BigInteger(), nullable=False),
    sa.Column("weight", sa.BigInteger(), nullable=False),
    sa.Index("ix_log_counts_minute", "minute"),
    **MYSQL_TABLE_ARGS,
)
