"""Metric samples: batch inserts, range reads as numpy arrays, retention deletes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.db.models import ClusterRow
from clustergenie_server.db.telemetry_models import metric_samples
from clustergenie_server.domain.telemetry import METRICS, Metric, Sample


class MetricRepository:
    """Sample rows of one unit of work; never commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def insert(
        self,
        t: np.ndarray,
        cluster_ids: np.ndarray,
        droplet_ids: np.ndarray,
        values: np.ndarray,
    ) -> int:
        """Insert rows (one per element; values in METRICS column order) with one executemany."""
        if len(t) == 0:
            return 0
        # Plain tuples straight to the driver's executemany: the simulation writes a row per
        # active droplet per tick (6,000 rows/s for 1,000 droplets at time scale 60), and
        # SQLAlchemy's per-row dict and parameter processing cost 2-4x the INSERT itself.
        # tolist() turns numpy scalars into Python floats and ints, which every driver accepts.
        columns = (t.tolist(), cluster_ids.tolist(), droplet_ids.tolist(), *values.T.tolist())
        rows = list(zip(*columns, strict=True))
        connection = self._session.connection()
        connection.exec_driver_sql(_insert_sql(connection.dialect), rows)
        return len(rows)

    def read(
        self,
        *,
        cluster_id: int,
        droplet_id: int,
        metrics: Sequence[Metric],
        since: float,
        until: float,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(times, values) of one series in [since, until), oldest first; values (n, metrics)."""
        columns = [metric_samples.c.t, *(metric_samples.c[m.value] for m in metrics)]
        result = self._session.execute(
            sa.select(*columns)
            .where(
                metric_samples.c.cluster_id == cluster_id,
                metric_samples.c.droplet_id == droplet_id,
                metric_samples.c.t >= since,
                metric_samples.c.t < until,
            )
            .order_by(metric_samples.c.t)
        ).all()
        if not result:
            return np.zeros(0), np.zeros((0, len(metrics)))
        # Plain tuples first: numpy reads a SQLAlchemy Row ~50x slower, item by item.
        data = np.array([tuple(row) for row in result], dtype=float)
        return data[:, 0], data[:, 1:]

    def cluster_rows(
        self, *, cluster_id: int, droplet_ids: Sequence[int], since: float, until: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Samples of a cluster's aggregate and of the given droplets in [since, until):
        (times, droplet ids, values in METRICS order)."""
        # droplet_id IN (...) keeps each series to a range of the (cluster, droplet, t) index:
        # cluster_id alone would scan the cluster's whole retention (a day is ~900k rows at
        # 100 droplets).
        ids = [0, *droplet_ids]
        quote = self._session.connection().dialect.identifier_preparer.quote
        columns = ", ".join(quote(c) for c in ["t", "droplet_id", *(m.value for m in METRICS)])
        marker = "?" if self._session.connection().dialect.paramstyle == "qmark" else "%s"
        sql = (
            f"SELECT {columns} FROM {quote(metric_samples.name)} WHERE cluster_id = {marker} "
            f"AND droplet_id IN ({', '.join([marker] * len(ids))}) AND t >= {marker} "
            f"AND t < {marker}"
        )
        # The driver's own cursor: SQLAlchemy's result rows cost 4x the query itself here.
        cursor = self._session.connection().connection.cursor()
        try:
            cursor.execute(sql, (cluster_id, *ids, since, until))
            rows = cursor.fetchall()
        finally:
            cursor.close()
        if not rows:
            return np.zeros(0), np.zeros(0, np.int64), np.zeros((0, len(METRICS)))
        data = np.array(rows, dtype=float)
        order = np.argsort(data[:, 0], kind="stable")
        data = data[order]
        return data[:, 0], data[:, 1].astype(np.int64), data[:, 2:]

    def aggregates(self, *, since: float, until: float) -> list[Sample]:
        """Every cluster's aggregate samples in [since, until), oldest first."""
        # cluster_id IN (...) keeps to the (cluster_id, droplet_id, t) index: droplet_id = 0
        # alone would scan every sample of the retention period.
        columns = [metric_samples.c[m.value] for m in METRICS]
        rows = self._session.execute(
            sa.select(metric_samples.c.t, metric_samples.c.cluster_id, *columns)
            .where(
                metric_samples.c.cluster_id.in_(sa.select(ClusterRow.id)),
                metric_samples.c.droplet_id == 0,
                metric_samples.c.t >= since,
                metric_samples.c.t < until,
            )
            .order_by(metric_samples.c.t, metric_samples.c.cluster_id)
        )
        return [Sample(int(r[1]), 0, float(r[0]), tuple(map(float, r[2:]))) for r in rows]

    def latest_time(self) -> float | None:
        """The newest sample's time, or None when there are none."""
        value = self._session.execute(sa.select(sa.func.max(metric_samples.c.t))).scalar()
        return None if value is None else float(value)

    def delete_before(self, t: float, limit: int) -> int:
        """Delete up to limit of the oldest samples older than t; returns how many.

        Bounded so that one unit of work holds the write lock (all of SQLite) for milliseconds:
        a day of old samples deleted at once kept every other write waiting for seconds.
        """
        oldest = (
            sa.select(metric_samples.c.id)
            .where(metric_samples.c.t < t)
            .order_by(metric_samples.c.t)
            .limit(limit)
        )
        # Ids first, then DELETE ... IN: MySQL refuses a LIMIT subquery on the table it deletes.
        ids = self._session.execute(oldest).scalars().all()
        if not ids:
            return 0
        self._session.execute(metric_samples.delete().where(metric_samples.c.id.in_(ids)))
        return len(ids)


def _insert_sql(dialect: sa.Dialect) -> str:
    """INSERT of (t, cluster_id, droplet_id, every metric) in the driver's own placeholders."""
    columns = ["t", "cluster_id", "droplet_id", *(m.value for m in METRICS)]
    quote = dialect.identifier_preparer.quote
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    return (
        f"INSERT INTO {quote(metric_samples.name)} ({', '.join(map(quote, columns))}) "
        f"VALUES ({', '.join([marker] * len(columns))})"
    )
