"""--wait: follow the jobs an action started until each is final, with a bar on a terminal."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable

from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from clustergenie_cli.connection import CliFailure
from clustergenie_cli.exit_codes import ExitCode
from clustergenie_gui.client import types as t
from clustergenie_gui.client.client import ClusterGenieClient


class _Bars:
    """One bar per job on stderr when it is a terminal; nothing otherwise (scripts, CI logs)."""

    def __init__(self, jobs: Iterable[t.Job]) -> None:
        self._progress: Progress | None = None
        self._tasks: dict[int, TaskID] = {}
        if sys.stderr.isatty():
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TextColumn("{task.fields[step]}"),
                TimeElapsedColumn(),
                transient=False,
            )
            for job in jobs:
                label = f"job {job.id} {job.kind.label} {job.target_name}".strip()
                self._tasks[job.id] = self._progress.add_task(label, total=1.0, step="")

    def __enter__(self) -> _Bars:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, job: t.Job) -> None:
        """Show a job's progress and step."""
        if self._progress is not None and job.id in self._tasks:
            done = 1.0 if job.state.is_final else job.progress
            self._progress.update(self._tasks[job.id], completed=done, step=job.state.value)


async def wait_for_jobs(
    client: ClusterGenieClient, jobs: Iterable[t.Job], within: float
) -> list[t.Job]:
    """The jobs in their final states, in the order given; CliFailure(FAILED) when one did not
    succeed, CliFailure(UNAVAILABLE) when `within` seconds pass first."""
    wanted = {job.id: job for job in jobs}
    if not wanted:
        return []
    latest = dict(wanted)
    with _Bars(wanted.values()) as bars:
        try:
            async with asyncio.timeout(within):
                await _follow(client, latest, bars)
        except TimeoutError:
            pending = sorted(i for i, j in latest.items() if not j.state.is_final)
            raise CliFailure(
                ExitCode.UNAVAILABLE,
                f"Jobs {', '.join(map(str, pending))} were not finished within {within:g} s "
                "(--wait-timeout); follow them with `clustergenie-ctl job watch`.",
            ) from None
    finished = [latest[i] for i in wanted]
    if failed := [j for j in finished if j.state != t.JobState.SUCCEEDED]:
        details = "; ".join(
            f"job {j.id} {j.state.value}: {j.error or 'no reason given'}" for j in failed
        )
        raise CliFailure(
            ExitCode.FAILED, f"{len(failed)} of {len(finished)} jobs did not succeed ({details})."
        )
    return finished


async def _follow(client: ClusterGenieClient, latest: dict[int, t.Job], bars: _Bars) -> None:
    """Read WatchJobs (its snapshot has the current state, so nothing is missed between the
    action's answer and the subscription) until every wanted job is final."""

    def done() -> bool:
        return all(job.state.is_final for job in latest.values())

    async for event in client.watch_jobs():
        if isinstance(event, t.SnapshotComplete):
            # A job older than the snapshot's window: ask for it directly.
            for job_id, job in list(latest.items()):
                if not job.state.is_final:
                    latest[job_id] = await client.get_job(job_id)
                    bars.update(latest[job_id])
        elif event.id in latest:
            latest[event.id] = event
            bars.update(event)
        if done():
            return
