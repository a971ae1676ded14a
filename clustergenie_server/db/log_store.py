"""LogStore: one interface over the log tables, with a SQLite and a MySQL/MariaDB implementation.

Methods take the unit of work's session and never commit (sessions live at the edge). The two
implementations differ where the dialects do: how a count is added to an existing row and how an
already known stream is skipped; everything else is shared SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.db.log_chunks import EncodedChunk
from clustergenie_server.db.log_models import log_chunks, log_counts, log_streams

# Beyond this many streams an IN list costs more than reading every stream's chunks and
# dropping the others in Python.
MAX_IN_LIST = 500
FAR = 1e15  # seconds: beyond any time a line carries


@dataclass(frozen=True, slots=True)
class ChunkRow:
    """A stored chunk as a query reads it."""

    id: int
    stream_id: int
    t_min: float
    t_max: float
    lines: int
    grams: bytes


class LogStore(Protocol):
    """Where log chunks, streams and counts are kept."""

    def write(
        self,
        s: Session,
        streams: Sequence[tuple[int, str, float]],
        chunks: Sequence[EncodedChunk],
        counts: Sequence[tuple[int, int, int, int]],
    ) -> None:
        """Add new streams (id, labels, first time; known ones are skipped), chunks, and
        (stream id, minute, lines, weight) counts added to what is stored."""

    def streams(self, s: Session) -> list[tuple[int, str]]:
        """Every stream as (id, canonical labels)."""

    def chunks(
        self,
        s: Session,
        stream_ids: Sequence[int] | None,
        start: float,
        end: float,
        *,
        before: tuple[float, int] | None,
        limit: int,
    ) -> list[ChunkRow]:
        """Chunks overlapping [start, end] (of these streams, None: all), newest t_max first,
        after the cursor `before` = (t_max, id) of the last chunk already read; without their
        data, so chunks the trigram bitmap rules out are never read."""

    def chunk_data(self, s: Session, ids: Sequence[int]) -> dict[int, bytes]:
        """The compressed data of these chunks by id."""

    def counts(
        self, s: Session, stream_ids: Sequence[int] | None, start: float, end: float
    ) -> list[tuple[int, int, int]]:
        """(stream id, minute, weight) of minutes in [start, end)."""

    def total_bytes(self, s: Session) -> int:
        """Bytes of every stored chunk."""

    def delete_before(self, s: Session, cutoff: float, limit: int) -> int:
        """Delete up to limit chunks (and counts) entirely older than cutoff; how many."""

    def delete_oldest(self, s: Session, excess: int, limit: int) -> tuple[int, int, float | None]:
        """Delete the oldest chunks (up to limit) until `excess` bytes are freed:
        (chunks, bytes freed, newest t_max deleted)."""


class _SqlLogStore:
    """The SQL both back ends share."""

    _insert_stream_sql: str
    _add_counts_sql: str

    def write(
        self,
        s: Session,
        streams: Sequence[tuple[int, str, float]],
        chunks: Sequence[EncodedChunk],
        counts: Sequence[tuple[int, int, int, int]],
    ) -> None:
        connection = s.connection()
        if streams:
            connection.exec_driver_sql(self._insert_stream_sql, list(streams))
        if chunks:
            # Plain tuples to the driver's executemany: SQLAlchemy's per-row processing would
            # cost more than the INSERT (the metric repository measured 2-4x).
            connection.exec_driver_sql(
                "INSERT INTO log_chunks (stream_id, t_min, t_max, n_lines, weight, bytes, "
                "seq_max, data, grams) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)".replace("?", self._mark),
                [
                    (
                        c.stream_id,
                        c.t_min,
                        c.t_max,
                        c.lines,
                        c.weight,
                        len(c.data) + len(c.grams),
                        c.seq_max,
                        c.data,
                        c.grams,
                    )
                    for c in chunks
                ],  # fmt: skip
            )
        if counts:
            connection.exec_driver_sql(self._add_counts_sql, list(counts))

    _mark = "?"

    def streams(self, s: Session) -> list[tuple[int, str]]:
        rows = s.execute(sa.select(log_streams.c.id, log_streams.c.labels))
        return [(int(r[0]), str(r[1])) for r in rows]

    def chunks(
        self,
        s: Session,
        stream_ids: Sequence[int] | None,
        start: float,
        end: float,
        *,
        before: tuple[float, int] | None,
        limit: int,
    ) -> list[ChunkRow]:
        c = log_chunks.c
        start, end = max(start, -FAR), min(end, FAR)  # MySQL takes no infinities
        query = sa.select(c.id, c.stream_id, c.t_min, c.t_max, c.n_lines, c.grams).where(
            c.t_max >= start, c.t_min <= end
        )
        wanted = _wanted(stream_ids)
        if wanted is not None:
            query = query.where(c.stream_id.in_(wanted))
        if before is not None:
            t_max, chunk_id = before
            # The plain `t_max <= ?` bounds the index range: with only the OR, SQLite plans a
            # MULTI-INDEX OR that reads every older row (and its bitmap) and sorts them, so
            # each step cost more the further back it went (24 ms a step at 5 M lines).
            query = query.where(c.t_max <= t_max, sa.or_(c.t_max < t_max, c.id < chunk_id))
        query = query.order_by(c.t_max.desc(), c.id.desc()).limit(limit)
        keep = None if stream_ids is None or wanted is not None else set(stream_ids)
        return [
            ChunkRow(int(r[0]), int(r[1]), r[2], r[3], r[4], bytes(r[5]))
            for r in s.execute(query)
            if keep is None or int(r[1]) in keep
        ]

    def chunk_data(self, s: Session, ids: Sequence[int]) -> dict[int, bytes]:
        if not ids:
            return {}
        c = log_chunks.c
        rows = s.execute(sa.select(c.id, c.data).where(c.id.in_(list(ids))))
        return {int(r[0]): bytes(r[1]) for r in rows}

    def counts(
        self, s: Session, stream_ids: Sequence[int] | None, start: float, end: float
    ) -> list[tuple[int, int, int]]:
        c = log_counts.c
        start, end = max(start, -FAR), min(end, FAR)
        query = sa.select(c.stream_id, c.minute, c.weight).where(
            c.minute >= int(start // 60 * 60), c.minute < end
        )
        wanted = _wanted(stream_ids)
        if wanted is not None:
            query = query.where(c.stream_id.in_(wanted))
        keep = None if stream_ids is None or wanted is not None else set(stream_ids)
        return [
            (int(r[0]), int(r[1]), int(r[2]))
            for r in s.execute(query)
            if keep is None or int(r[0]) in keep
        ]

    def total_bytes(self, s: Session) -> int:
        return int(
            s.execute(sa.select(sa.func.coalesce(sa.func.sum(log_chunks.c.bytes), 0))).scalar_one()
        )

    def delete_before(self, s: Session, cutoff: float, limit: int) -> int:
        c = log_chunks.c
        ids = list(
            s.execute(
                sa.select(c.id).where(c.t_max < cutoff).order_by(c.t_max).limit(limit)
            ).scalars()
        )
        if ids:
            s.execute(log_chunks.delete().where(c.id.in_(ids)))
        s.execute(log_counts.delete().where(log_counts.c.minute < cutoff - 60))
        return len(ids)

    def delete_oldest(self, s: Session, excess: int, limit: int) -> tuple[int, int, float | None]:
        c = log_chunks.c
        oldest = s.execute(sa.select(c.id, c.bytes, c.t_max).order_by(c.t_max, c.id).limit(limit))
        rows, freed = [], 0
        for row in oldest:
            if freed >= excess:
                break
            rows.append(row)
            freed += int(row[1])
        if not rows:
            return 0, 0, None
        s.execute(log_chunks.delete().where(c.id.in_([r[0] for r in rows])))
        return len(rows), sum(int(r[1]) for r in rows), max(float(r[2]) for r in rows)


def _wanted(stream_ids: Sequence[int] | None) -> list[int] | None:
    if stream_ids is None or len(stream_ids) > MAX_IN_LIST:
        return None
    return list(stream_ids)


class SqliteLogStore(_SqlLogStore):
    """SQLite: INSERT OR IGNORE and ON CONFLICT ... DO UPDATE (3.24+)."""

    _mark = "?"
    _insert_stream_sql = "INSERT OR IGNORE INTO log_streams (id, labels, first_t) VALUES (?, ?, ?)"
    _add_counts_sql = (
        "INSERT INTO log_counts (stream_id, minute, n_lines, weight) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (stream_id, minute) DO UPDATE SET n_lines = n_lines + excluded.n_lines, "
        "weight = weight + excluded.weight"
    )


class MysqlLogStore(_SqlLogStore):
    """MySQL/MariaDB (PyMySQL's %s placeholders): INSERT IGNORE and ON DUPLICATE KEY UPDATE."""

    _mark = "%s"
    _insert_stream_sql = "INSERT IGNORE INTO log_streams (id, labels, first_t) VALUES (%s, %s, %s)"
    _add_counts_sql = (
        "INSERT INTO log_counts (stream_id, minute, n_lines, weight) VALUES (%s, %s, %s, %s) "
        "ON DUPLICATE KEY UPDATE n_lines = n_lines + VALUES(n_lines), "
        "weight = weight + VALUES(weight)"
    )


def log_store_for(dialect: str) -> LogStore:
    """The implementation for a SQLAlchemy dialect name."""
    if dialect == "sqlite":
        return SqliteLogStore()
    if dialect in ("mysql", "mariadb"):
        return MysqlLogStore()
    raise ValueError(f"no log store for the {dialect} dialect")


def stream_rows(streams: Iterable[tuple[int, str, float]]) -> list[tuple[int, str, float]]:
    """Streams as rows for write(), each once."""
    return list({sid: (sid, key, t) for sid, key, t in streams}.values())
