"""Jobs: a persistent queue with leases, so that several servers can share one database."""

from __future__ import annotations

import builtins
import json
from collections import namedtuple
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from clustergenie_server.db.core_updates import update_one
from clustergenie_server.db.models import JobRow, UtcDateTime, as_utc
from clustergenie_server.domain.errors import NotFound
from clustergenie_server.domain.models import Job, JobKind, JobState

_NON_FINAL = (JobState.QUEUED.value, JobState.RUNNING.value)
_JOBS = cast(sa.Table, JobRow.__table__)
_CoreRow = namedtuple("_CoreRow", [column.name for column in _JOBS.c])  # type: ignore[misc]


@dataclass(frozen=True, slots=True)
class NewJob:
    """What a queued job starts with (JobRepository.add_many)."""

    kind: JobKind
    cluster_id: int
    droplet_id: int | None
    target_name: str
    params: Mapping[str, str]
    step_count: int
    max_attempts: int
    timeout_seconds: float
    retry_of: int | None = None


class JobRepository:
    """Job rows of one unit of work; never commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add_many(self, jobs: Sequence[NewJob], *, now: datetime) -> builtins.list[Job]:
        """Insert queued jobs that are due at once, in order, with one flush (a provision of
        50 droplets was 50 INSERTs; one flush sends them as one multi-row INSERT)."""
        rows = [
            JobRow(
                kind=new.kind.value,
                state=JobState.QUEUED.value,
                cluster_id=new.cluster_id,
                droplet_id=new.droplet_id,
                target_name=new.target_name,
                params=json.dumps(dict(new.params), sort_keys=True),
                progress=0.0,
                step="",
                step_index=0,
                step_count=new.step_count,
                attempt=1,
                max_attempts=new.max_attempts,
                error="",
                cancel_requested=False,
                retry_of=new.retry_of,
                timeout_seconds=new.timeout_seconds,
                created_at=now,
                updated_at=now,
                next_run_at=now,
            )
            for new in jobs
        ]
        self._session.add_all(rows)
        self._session.flush()
        return [_to_domain(row) for row in rows]

    def get(self, job_id: int) -> Job | None:
        """The job with that id, or None."""
        row = self._session.get(JobRow, job_id)
        return None if row is None else _to_domain(row)

    def list(
        self,
        *,
        states: Collection[JobState] = (),
        cluster_id: int | None = None,
        limit: int = 200,
    ) -> builtins.list[Job]:
        """Jobs newest first, optionally only in the given states and of one cluster."""
        # Core rows, not ORM objects: a WatchJobs snapshot lists up to 1,000 jobs. Read as
        # named tuples: a Row's attribute lookup by name cost a third of the whole read.
        query = sa.select(_JOBS).order_by(_JOBS.c.id.desc()).limit(limit)
        if states:
            query = query.where(_JOBS.c.state.in_([state.value for state in states]))
        if cluster_id is not None:
            query = query.where(_JOBS.c.cluster_id == cluster_id)
        return [_to_domain(_CoreRow._make(row)) for row in self._session.execute(query)]

    def due(self, now: datetime, *, limit: int) -> builtins.list[Job]:
        """Claimable jobs, earliest due first (a plain read: no locks held)."""
        rows = self._session.execute(_DUE, {"b_now": now, "b_limit": limit})
        return [_to_domain(row) for row in rows]

    def claim(
        self,
        job_id: int,
        *,
        owner: str,
        lease_seconds: float,
        now: datetime,
        progress: float = 0.0,
        step: str | None = None,
    ) -> Job | None:
        """Lease one queued job to owner and mark it running; None if it is queued no more.

        progress and step, when given, are recorded in the same statement: the job's first
        progress report costs no transaction of its own.
        """
        # The state condition makes the claim atomic: of several servers that picked the same
        # candidate, exactly one updates a row; the others move to their next one.
        return self._run_prepared(
            _CLAIM,
            job_id,
            b_owner=owner,
            b_until=now + timedelta(seconds=lease_seconds),
            b_now=now,
            b_progress=None if step is None else progress,
            b_step=step,
        )

    def update_progress(
        self, job_id: int, *, owner: str, progress: float, step: str, step_index: int, now: datetime
    ) -> Job | None:
        """Record progress while owner holds the lease; None means the lease was lost."""
        return self._run_prepared(
            _PROGRESS,
            job_id,
            b_owner=owner,
            b_progress=progress,
            b_step=step,
            b_step_index=step_index,
            b_now=now,
        )

    def renew_leases(self, *, owner: str, until: datetime, now: datetime) -> int:
        """Extend the lease of every running job of owner; returns how many were extended."""
        statement = (
            sa.update(JobRow)
            .where(*_held_by(owner))
            .values(lease_expires_at=until, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return self._rowcount(statement)

    def finish(
        self,
        job_id: int,
        *,
        state: JobState,
        error: str = "",
        now: datetime,
        last_step: tuple[str, int] | None = None,
    ) -> Job:
        """Move the job to a final state and release its lease; NotFound if missing.

        last_step, (title, index), records the step the job ended at in the same statement.
        """
        if not state.is_final:
            raise ValueError(f"finish needs a final state, not {state}")
        job = self._run_prepared(
            _FINISH,
            job_id,
            b_state=state.value,
            b_error=error,
            b_now=now,
            b_progress=1.0 if state is JobState.SUCCEEDED else None,
            b_step=None if last_step is None else last_step[0],
            b_step_index=None if last_step is None else last_step[1],
        )
        if job is None:
            raise NotFound(f"job {job_id} does not exist; see ListJobs")
        return job

    def requeue(
        self,
        job_id: int,
        *,
        now: datetime,
        next_run_at: datetime,
        attempt: int | None = None,
        error: str = "",
        step: str | None = None,
        step_index: int | None = None,
    ) -> Job:
        """Put the job back in the queue, due at next_run_at, keeping error as the last error.

        step_index=None resumes where the job was (an interrupted job); 0 starts it over (a retry).
        """
        row = self._get_row(job_id)
        row.state = JobState.QUEUED.value
        row.lease_owner = None
        row.lease_expires_at = None
        row.finished_at = None
        row.next_run_at = next_run_at
        row.error = error
        row.updated_at = now
        if attempt is not None:
            row.attempt = attempt
        if step is not None:
            row.step = step
        if step_index is not None:
            row.step_index = step_index
            row.progress = 0.0
        self._session.flush()
        return _to_domain(row)

    def request_cancel(self, job_id: int, *, now: datetime) -> Job:
        """Flag the job for cancellation (no effect once final); queued ones are never claimed."""
        row = self._get_row(job_id)
        if row.state not in _NON_FINAL:
            return _to_domain(row)
        row.cancel_requested = True
        row.updated_at = now
        self._session.flush()
        return _to_domain(row)

    def expired_leases(self, *, now: datetime) -> builtins.list[Job]:
        """Running jobs whose lease ran out: their server died or lost the database."""
        return self._oldest_first(
            JobRow.state == JobState.RUNNING.value, JobRow.lease_expires_at < now
        )

    def release_owner(self, *, owner: str, now: datetime) -> builtins.list[Job]:
        """Requeue every running job of owner, due now (graceful shutdown); returns them."""
        ids = self._session.scalars(
            sa.select(JobRow.id).where(*_held_by(owner)).order_by(JobRow.id)
        ).all()
        released = []
        for job_id in ids:
            # Conditional, in case another server took the job over meanwhile.
            row = self._update_where(
                job_id,
                *_held_by(owner),
                state=JobState.QUEUED.value,
                lease_owner=None,
                lease_expires_at=None,
                next_run_at=now,
                updated_at=now,
            )
            if row is not None:
                released.append(row)
        return released

    def link_retry(self, job_id: int, *, retried_as: int, now: datetime) -> Job | None:
        """Record that retried_as retries job_id; None when job_id was linked already.

        Conditional, so of two retries of one job racing (on any servers) exactly one links.
        """
        return self._update_where(
            job_id, _JOBS.c.retried_as.is_(None), retried_as=retried_as, updated_at=now
        )

    def active_for_droplet(self, droplet_id: int) -> Job | None:
        """The oldest job of the droplet that is not final yet, or None."""
        jobs = self._oldest_first(JobRow.droplet_id == droplet_id, JobRow.state.in_(_NON_FINAL))
        return jobs[0] if jobs else None

    def active_for_cluster(self, cluster_id: int) -> builtins.list[Job]:
        """The jobs of the cluster that are not final yet, oldest first."""
        return self._oldest_first(JobRow.cluster_id == cluster_id, JobRow.state.in_(_NON_FINAL))

    def _oldest_first(self, *where: sa.ColumnElement[bool]) -> builtins.list[Job]:
        query = sa.select(JobRow).where(*where).order_by(JobRow.id)
        return [_to_domain(row) for row in self._session.scalars(query)]

    def _get_row(self, job_id: int) -> JobRow:
        row = self._session.get(JobRow, job_id)
        if row is None:
            raise NotFound(f"job {job_id} does not exist; see ListJobs")
        return row

    def _update_where(
        self, job_id: int, *conditions: sa.ColumnElement[bool], **values: Any
    ) -> Job | None:
        """UPDATE one job if the conditions still hold; the fresh job, or None if they did not.

        Core statements on the table, not the ORM: no identity map to keep in step, and where
        the database can (SQLite; not MariaDB) the UPDATE returns the fresh row itself.
        """
        statement = sa.update(_JOBS).where(_JOBS.c.id == job_id, *conditions).values(**values)
        prepared = (statement, statement.returning(_JOBS), _ONE)
        return self._run_prepared(prepared, job_id)

    def _run_prepared(self, prepared: _Prepared, job_id: int, **params: Any) -> Job | None:
        """Run one of the module's prepared UPDATEs on one job (see _prepare)."""
        row = update_one(self._session, JobRow, job_id, prepared, {"b_job_id": job_id, **params})
        return None if row is None else _to_domain(row)

    def _rowcount(self, statement: sa.Update) -> int:
        # An UPDATE always yields a cursor result, whose rowcount counts matched rows.
        return cast(CursorResult[Any], self._session.execute(statement)).rowcount


# The statements of the job engine's hot path, built once with bound parameters: building a
# statement from ORM attributes and computing its cache key cost several times more than running
# it on SQLite (~0.8 ms against ~0.2 ms on this machine), for every progress report of every job.
_Prepared = tuple[sa.Update, sa.Update, sa.Select[Any]]
_B = sa.bindparam
_JOB_ID = _JOBS.c.id == _B("b_job_id")
_NOW = _B("b_now", type_=UtcDateTime())
_ONE = sa.select(_JOBS).where(_JOB_ID)
# A queued job may carry a cancel request (one that came while it ran, then it was queued again
# to retry or to resume): it is claimed like any other, and the engine ends it as cancelled.
_DUE = (
    sa.select(_JOBS)
    .where(_JOBS.c.state == JobState.QUEUED.value, _JOBS.c.next_run_at <= _NOW)
    .order_by(_JOBS.c.next_run_at, _JOBS.c.id)
    .limit(_B("b_limit", type_=sa.Integer()))
)


def _prepare(where: tuple[sa.ColumnElement[bool], ...], **values: Any) -> _Prepared:
    """An UPDATE of the job b_job_id, plain and with RETURNING, and a SELECT of it (update_one)."""
    statement = sa.update(_JOBS).where(_JOB_ID, *where).values(**values)
    return statement, statement.returning(_JOBS), _ONE


def _keep_unless_given(column: str) -> sa.ColumnElement[Any]:
    """SET column = the parameter b_<column>, or its current value when that is NULL."""
    return sa.func.coalesce(_B(f"b_{column}", type_=_JOBS.c[column].type), _JOBS.c[column])


_CLAIM = _prepare(
    (_JOBS.c.state == JobState.QUEUED.value,),
    state=JobState.RUNNING.value,
    lease_owner=_B("b_owner", type_=sa.String()),
    lease_expires_at=_B("b_until", type_=UtcDateTime()),
    started_at=sa.func.coalesce(_JOBS.c.started_at, _NOW),
    updated_at=_NOW,
    progress=_keep_unless_given("progress"),
    step=_keep_unless_given("step"),
)
_PROGRESS = _prepare(
    (_JOBS.c.state == JobState.RUNNING.value, _JOBS.c.lease_owner == _B("b_owner")),
    progress=_B("b_progress", type_=sa.Double()),
    step=_B("b_step", type_=sa.String()),
    step_index=_B("b_step_index", type_=sa.Integer()),
    updated_at=_NOW,
)
_FINISH = _prepare(
    (),
    state=_B("b_state", type_=sa.String()),
    error=_B("b_error", type_=sa.Text()),
    finished_at=_NOW,
    updated_at=_NOW,
    next_run_at=None,
    lease_owner=None,
    lease_expires_at=None,
    progress=_keep_unless_given("progress"),
    step=_keep_unless_given("step"),
    step_index=_keep_unless_given("step_index"),
)


def _held_by(owner: str) -> tuple[sa.ColumnElement[bool], ...]:
    return (JobRow.state == JobState.RUNNING.value, JobRow.lease_owner == owner)


def _to_domain(row: Any) -> Job:
    """A job from an ORM row or a Core row (or _CoreRow) of the jobs table: the same names."""
    return Job(
        id=row.id,
        kind=JobKind(row.kind),
        state=JobState(row.state),
        cluster_id=row.cluster_id,
        droplet_id=row.droplet_id,
        target_name=row.target_name,
        params=json.loads(row.params),
        progress=row.progress,
        step=row.step,
        step_index=row.step_index,
        step_count=row.step_count,
        attempt=row.attempt,
        max_attempts=row.max_attempts,
        error=row.error,
        cancel_requested=row.cancel_requested,
        retry_of=row.retry_of,
        retried_as=row.retried_as,
        timeout_seconds=row.timeout_seconds,
        created_at=as_utc(row.created_at),
        started_at=as_utc(row.started_at),
        finished_at=as_utc(row.finished_at),
        updated_at=as_utc(row.updated_at),
        next_run_at=as_utc(row.next_run_at),
        lease_owner=row.lease_owner,
        lease_expires_at=as_utc(row.lease_expires_at),
    )
