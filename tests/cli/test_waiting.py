"""--wait's rules: every job final, the order kept, exit 1 when one did not succeed, a timeout
that names the jobs still running."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from clustergenie_cli.connection import CliFailure
from clustergenie_cli.exit_codes import ExitCode
from clustergenie_cli.waiting import wait_for_jobs
from clustergenie_gui.client import types as t


def _job(job_id: int, state: t.JobState, error: str = "") -> t.Job:
    return t.Job(job_id, t.JobKind.PROVISION_DROPLET, state, error=error)


class _Jobs:
    """WatchJobs as the server sends it: a snapshot, its end, then changes."""

    def __init__(self, snapshot: list[t.Job], changes: list[t.Job], *, then_hang: bool = False):
        self._snapshot, self._changes, self._hang = snapshot, changes, then_hang
        self.asked: list[int] = []

    async def watch_jobs(self, snapshot_limit: int = 0) -> AsyncIterator[t.JobEvent]:
        for job in self._snapshot:
            yield job
        yield t.SnapshotComplete()
        for job in self._changes:
            yield job
        if self._hang:
            await asyncio.Event().wait()

    async def get_job(self, job_id: int) -> t.Job:
        self.asked.append(job_id)
        return _job(job_id, t.JobState.RUNNING)


def _wait(client: Any, jobs: list[t.Job], within: float = 5.0) -> list[t.Job]:
    return asyncio.run(wait_for_jobs(client, jobs, within))


def test_returns_every_job_final_in_the_order_given() -> None:
    started = [_job(1, t.JobState.QUEUED), _job(2, t.JobState.QUEUED)]
    client = _Jobs(
        [_job(2, t.JobState.RUNNING), _job(1, t.JobState.RUNNING)],
        [_job(2, t.JobState.SUCCEEDED), _job(9, t.JobState.FAILED), _job(1, t.JobState.SUCCEEDED)],
    )
    assert [(j.id, j.state) for j in _wait(client, started)] == [
        (1, t.JobState.SUCCEEDED), (2, t.JobState.SUCCEEDED),
    ]  # fmt: skip


def test_a_job_missing_from_the_snapshot_is_asked_for() -> None:
    client = _Jobs([], [_job(5, t.JobState.SUCCEEDED)])
    assert _wait(client, [_job(5, t.JobState.QUEUED)])[0].state == t.JobState.SUCCEEDED
    assert client.asked == [5]


def test_a_failed_or_cancelled_job_fails_the_command_with_its_reason() -> None:
    client = _Jobs(
        [], [_job(1, t.JobState.FAILED, "the droplet never booted"), _job(2, t.JobState.CANCELLED)]
    )
    with pytest.raises(CliFailure) as failed:
        _wait(client, [_job(1, t.JobState.RUNNING), _job(2, t.JobState.RUNNING)])
    assert failed.value.code == ExitCode.FAILED
    assert "job 1 failed: the droplet never booted" in failed.value.message
    assert "2 of 2 jobs did not succeed" in failed.value.message


def test_giving_up_names_the_jobs_still_running() -> None:
    client = _Jobs([_job(3, t.JobState.RUNNING)], [], then_hang=True)
    with pytest.raises(CliFailure) as late:
        _wait(client, [_job(3, t.JobState.QUEUED)], within=0.2)
    assert late.value.code == ExitCode.UNAVAILABLE
    assert "Jobs 3 were not finished within 0.2 s" in late.value.message
