"""Health checks: definitions, rounds of probes, states, alerts, queries and the watch stream.

Read API for other features (Diagnose): `recent_results(target, since, until)` and
`recent_transitions(target, since)` return stored results and transitions of one target
("droplet:12", "lb:3") over a window, oldest first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Collection,
    Coroutine,
    Sequence,
)
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from clustergenie_server.bus.event_bus import HEALTH_TOPIC, SubscriberOverflow
from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import Database
from clustergenie_server.db.health_alert_repository import AlertRepository
from clustergenie_server.db.health_repository import (
    CheckRepository,
    ResultRepository,
    StatusRepository,
)
from clustergenie_server.domain.errors import AlreadyExists, InvalidArgument, NotFound
from clustergenie_server.domain.events import Event, HealthChanged
from clustergenie_server.domain.health import (
    Alert,
    Channel,
    ChannelKind,
    CheckDefinition,
    CheckResult,
    Delivery,
    HealthState,
    MaintenanceWindow,
    Target,
    TargetKind,
    TargetStatus,
    Transition,
)
from clustergenie_server.domain.telemetry import Fault
from clustergenie_server.services.health import validation
from clustergenie_server.services.health.auto_heal import AutoHealer
from clustergenie_server.services.health.checkers import Probers, SimWorld, judge
from clustergenie_server.services.health.conditions import Clause, ConditionError, parse
from clustergenie_server.services.health.evaluation import TargetTrack, observe
from clustergenie_server.services.health.notifier import Notifier
from clustergenie_server.services.health.probe import GrpcHealthProbe
from clustergenie_server.services.health.targets import InventoryIndex
from clustergenie_server.services.health.thresholds import Tracker
from clustergenie_server.services.health.transition_writer import TransitionWriter
from clustergenie_server.services.provisioning.inventory_view import InventoryView

log = logging.getLogger(__name__)

WATCH_QUEUE = 1024
RESULT_FLUSH_SECONDS = 0.5
STATE_SAVE_SECONDS = 10.0
REMOTE_POLL_SECONDS = 1.0
REMOTE_POLL_ROWS = 5000
DIAGNOSES_AT_ONCE = 2  # an alert storm queues its diagnoses rather than running hundreds

# (alert, its check's name) -> (Diagnose session id, root cause in a sentence or "").
AlertDiagnoser = Callable[[Alert, str], Awaitable[tuple[int, str]]]


@dataclass(frozen=True, slots=True)
class HealthUpdate:
    """One item of the watch stream: exactly one of the fields is set (or snapshot_complete)."""

    status: TargetStatus | None = None
    result: CheckResult | None = None
    transition: Transition | None = None
    alert: Alert | None = None
    notice: str = ""
    snapshot_complete: bool = False


class HealthService:
    """The health feature of one server."""

    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        inventory: InventoryView,
        *,
        regions: Collection[str],
        faults: Callable[[], Sequence[Fault]],
        sim_now: Callable[[], float],
        grpc_probe: GrpcHealthProbe | None = None,
        notifier: Notifier | None = None,
        healer: AutoHealer | None = None,
        clock: Callable[[], float] = time.time,
        retention_hours: float = 24.0 * 30,
    ) -> None:
        self._db, self._outbox, self._inventory = db, outbox, inventory
        self._regions, self.clock, self.retention_hours = frozenset(regions), clock, retention_hours
        self._index = InventoryIndex()
        world = SimWorld(faults, sim_now, self._index.sim_droplet, self._index.sim_cluster)
        self._probers = Probers(world, grpc_probe)
        self.notifier = notifier or Notifier(db, clock=clock)
        self.healer = healer
        self._background: set[asyncio.Task[object]] = set()
        self._remote: asyncio.Task[None] | None = None
        self._writer = TransitionWriter(outbox, self.maintenance_windows, self._on_alert)
        self._clauses: dict[int, tuple[Clause, ...]] = {}
        self._tracks: dict[int, dict[str, TargetTrack]] = {}
        self._pending: list[CheckResult] = []
        self._watchers: set[asyncio.Queue[HealthUpdate]] = set()
        self._windows: list[MaintenanceWindow] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self.checks: dict[int, CheckDefinition] = {}  # every definition, kept current
        # Set by the wiring (app.py) when Diagnose runs on this server: an opened alert is
        # diagnosed in the background and its root cause attached to it.
        self.diagnoser: AlertDiagnoser | None = None
        self._diagnoses: set[asyncio.Task[None]] = set()
        self._diagnosis_slots = asyncio.Semaphore(DIAGNOSES_AT_ONCE)

    # -- life cycle ------------------------------------------------------------------------
    async def start(self) -> None:
        """Load the definitions and start writing results and following health events."""
        await self.reload()
        self._tasks = [
            asyncio.create_task(self._flush_loop(), name="health-results"),
            asyncio.create_task(self._follow_events(), name="health-events"),
        ]

    async def stop(self) -> None:
        """Write what is pending and stop."""
        for task in (*self._tasks, *([self._remote] if self._remote else [])):
            task.cancel()
        for diagnosis in list(self._diagnoses):
            diagnosis.cancel()  # a diagnosis takes seconds: not worth holding the shutdown
        await asyncio.gather(*self._tasks, *self._diagnoses, return_exceptions=True)
        if self._remote is not None:
            await asyncio.gather(self._remote, return_exceptions=True)
        await self._writer.stop()
        with contextlib.suppress(Exception):
            await self.flush()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.settle(), 5.0)
        await self.notifier.aclose()

    async def reload(self) -> None:
        """Read every definition again (another server may have changed them)."""
        checks = await self._db.read(lambda s: CheckRepository(s).list())
        self.checks = {c.id: c for c in checks}

    # -- definitions -----------------------------------------------------------------------
    async def _validated(self, check: CheckDefinition) -> CheckDefinition:
        self._clauses[check.id] = validation.check_definition(check, self._regions)
        clusters, droplets = await self._inventory.snapshot()
        self._index.update(clusters, droplets)
        validation.known_target(check, self._index.droplets, self._index.clusters)
        return check

    async def create_check(self, check: CheckDefinition) -> CheckDefinition:
        """Store a new check; InvalidArgument names the field to fix."""
        await self._validated(check)
        now = self.clock()

        def add(s: object) -> CheckDefinition:
            repo = CheckRepository(s)  # type: ignore[arg-type]
            if repo.name_taken(check.name):
                raise AlreadyExists(f"a check named {check.name!r} exists; choose another name")
            return repo.add(check, now)

        created = await self._db.run(add)
        self.checks[created.id] = created
        self._clauses[created.id] = parse(created.conditions)
        return created

    async def update_check(self, check: CheckDefinition) -> CheckDefinition:
        """Replace a check's definition (states are kept)."""
        old = await self.get_check(check.id)
        check = replace(check, created_at=old.created_at)
        await self._validated(check)
        now = self.clock()

        def update(s: object) -> CheckDefinition:
            repo = CheckRepository(s)  # type: ignore[arg-type]
            if repo.name_taken(check.name, other_than=check.id):
                raise AlreadyExists(f"a check named {check.name!r} exists; choose another name")
            return repo.update(check, now)

        updated = await self._db.run(update)
        self.checks[updated.id] = updated
        self._clauses[updated.id] = parse(updated.conditions)
        self._tracks.pop(updated.id, None)  # thresholds may have changed: reload the states
        return updated

    async def pause_check(self, check_id: int, paused: bool) -> CheckDefinition:
        """Pause or resume a check."""
        check = replace(await self.get_check(check_id), paused=paused)
        updated = await self._db.run(lambda s: CheckRepository(s).update(check, self.clock()))
        self.checks[check_id] = updated
        return updated

    async def delete_check(self, check_id: int) -> None:
        """Remove a check (its results stay until retention)."""
        if not await self._db.run(lambda s: CheckRepository(s).delete(check_id)):
            raise NotFound(f"health check {check_id} does not exist; see ListChecks")
        self.checks.pop(check_id, None)
        self._tracks.pop(check_id, None)

    async def get_check(self, check_id: int) -> CheckDefinition:
        """One check; NotFound when it does not exist."""
        check = await self._db.read(lambda s: CheckRepository(s).get(check_id))
        if check is None:
            raise NotFound(f"health check {check_id} does not exist; see ListChecks")
        return check

    async def list_checks(self, cluster_id: int = 0) -> list[CheckDefinition]:
        """Every check, or those on one cluster (its droplets, balancer or fan-out)."""
        checks = await self._db.read(lambda s: CheckRepository(s).list())
        if not cluster_id:
            return checks
        clusters, droplets = await self._inventory.snapshot()
        self._index.update(clusters, droplets)
        return [c for c in checks if self.cluster_of(c) == cluster_id]

    def cluster_of(self, c: CheckDefinition) -> int:
        """The cluster a check's target belongs to (0: a real address, or not known yet)."""
        if c.target_kind is TargetKind.DROPLET:
            d = self._index.droplets.get(c.target_id)
            return d.cluster_id if d else 0
        return 0 if c.target_kind is TargetKind.ADDRESS else c.target_id

    @staticmethod
    def validate_conditions(text: str) -> tuple[str, int]:
        """('', 0) when the conditions parse, else (message, 1-based column)."""
        try:
            parse(text)
        except ConditionError as exc:
            return exc.message, exc.column
        return "", 0

    # -- rounds ----------------------------------------------------------------------------
    async def run_now(self, check_id: int) -> list[CheckResult]:
        """Probe every target of a check now (RunCheck)."""
        check = await self.get_check(check_id)
        self.checks[check_id] = check
        return await self.run_round(check, self.clock())

    async def run_round(self, check: CheckDefinition, scheduled_at: float) -> list[CheckResult]:
        """Probe each target from each location, judge, count, store; returns the results."""
        clusters, droplets = await self._inventory.snapshot()
        self._index.update(clusters, droplets)
        tracks = await self._tracks_of(check)
        clauses = self._clauses.get(check.id)
        if clauses is None:
            clauses = self._clauses[check.id] = parse(check.conditions)
        targets = self._index.targets(check)
        calls = [self._probers.probe(check, t, loc) for t in targets for loc in check.locations]
        # One probe (the common case) needs no task of its own: a thousand checks a second
        # would otherwise pay for a thousand more tasks.
        probes = [await calls[0]] if len(calls) == 1 else await asyncio.gather(*calls)
        at = self.clock()
        results: list[CheckResult] = []
        transitions: list[Transition] = []
        n = len(check.locations)
        for i, target in enumerate(targets):
            track = tracks.get(target.key)
            if track is None:
                tracker = Tracker(check.failure_threshold, check.success_threshold, since=at)
                track = tracks[target.key] = TargetTrack(target, tracker)
            track.target = target
            round_ = [
                judge(
                    check, clauses, target, loc, probes[i * n + j], at=at, scheduled_at=scheduled_at
                )
                for j, loc in enumerate(check.locations)
            ]
            results.extend(round_)
            _, transition = observe(check, track, round_, at)
            if transition is not None:
                transitions.append(transition)
            if self.healer is not None and self.healer.due(check, target, track.tracker.fails):
                self._later(self.healer.heal(check, target))
        self._pending.extend(results)
        if transitions:
            await self._commit_transitions(check, transitions, len(targets))
        self._emit_local(results)
        return results

    async def _tracks_of(self, check: CheckDefinition) -> dict[str, TargetTrack]:
        tracks = self._tracks.get(check.id)
        if tracks is not None:
            return tracks
        rows = await self._db.read(lambda s: StatusRepository(s).load([check.id]))
        tracks = {}
        for _, key, cluster_id, state, since, fails, slows, bad, passes, failing in rows:
            tracker = Tracker(check.failure_threshold, check.success_threshold, state, since,
                              fails, slows, bad, passes)  # fmt: skip
            tracks[key] = TargetTrack(Target(key, cluster_id), tracker, failing=failing)
        self._tracks[check.id] = tracks
        return tracks

    async def _commit_transitions(
        self, check: CheckDefinition, transitions: list[Transition], total: int
    ) -> None:
        tracks = self._tracks[check.id]
        changed = {t.target for t in transitions}
        rows = [tracks[key].row(check.id) for key in changed]
        for key in changed:
            tracks[key].dirty = False  # stored with the transition
        await self._writer.write(check, transitions, rows, total)

    def _on_alert(self, alert: Alert, notice: str) -> None:
        if notice in ("opened", "resolved"):
            # Off the round's path: a webhook's retries must not delay the next probes.
            self._later(self.notifier.notify(alert, notice))
        if notice == "opened" and self.diagnoser is not None and alert.cluster_id:
            task = asyncio.create_task(self._diagnose(alert), name=f"health-diagnose-{alert.id}")
            self._diagnoses.add(task)
            task.add_done_callback(self._diagnoses.discard)

    async def _diagnose(self, alert: Alert) -> None:
        """Diagnose an opened alert (off the round's path) and attach the outcome to it; a
        failure is logged: the alert stands without a diagnosis."""
        assert self.diagnoser is not None
        check = self.checks.get(alert.check_id)
        name = check.name if check is not None else f"#{alert.check_id}"
        try:
            async with self._diagnosis_slots:
                session_id, cause = await self.diagnoser(alert, name)
            if not session_id:
                return

            def store(s: Session) -> tuple[None, list[Event]]:
                stored = AlertRepository(s).set_diagnosis(alert.id, session_id, cause)
                return None, (
                    [HealthChanged(alert.check_id, alert=stored, notice="diagnosed")]
                    if stored is not None
                    else []
                )

            await self._outbox.commit(store)
        except Exception:
            log.exception("diagnosing alert %d (%s) failed; it stays undiagnosed", alert.id, name)

    def _later(self, work: Coroutine[Any, Any, object]) -> None:
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def settle(self) -> None:
        """Wait for notifications and heals started so far (shutdown, tests)."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    # -- writing ---------------------------------------------------------------------------
    async def flush(self, *, states: bool = True) -> int:
        """Write pending results (and, with states, changed streaks); returns how many results.

        Transitions store their states at once; streaks between transitions are written every
        STATE_SAVE_SECONDS only (each is a row rewrite), so a server taking a check over may
        resume a streak a few results short.
        """
        batch, self._pending = self._pending, []
        rows = []
        for check_id, tracks in self._tracks.items() if states else ():
            for track in tracks.values():
                if track.dirty:
                    rows.append(track.row(check_id))
                    track.dirty = False

        def write(s: object) -> None:
            ResultRepository(s).insert(batch)  # type: ignore[arg-type]
            StatusRepository(s).save(rows)  # type: ignore[arg-type]

        if batch or rows:
            try:
                await self._db.run(write)
            except Exception:
                self._pending[:0] = batch
                raise
        return len(batch)

    async def _flush_loop(self) -> None:
        last_retention = last_states = time.monotonic()
        while True:
            await asyncio.sleep(RESULT_FLUSH_SECONDS)
            try:
                states = time.monotonic() - last_states >= STATE_SAVE_SECONDS
                if states:
                    last_states = time.monotonic()
                await self.flush(states=states)
                if time.monotonic() - last_retention > 60.0:
                    last_retention = time.monotonic()
                    await self.apply_retention()
                    await self.notifier.remind(self.clock())
            except Exception:  # a database hiccup must not stop health checks
                log.exception("writing health results failed; they stay pending")

    async def apply_retention(self) -> int:
        """Delete results older than the retention, in batches; returns how many."""
        cutoff = self.clock() - self.retention_hours * 3600.0
        deleted = 0
        while n := await self._db.run(lambda s: ResultRepository(s).delete_before(cutoff, 5000)):
            deleted += n
        return deleted

    # -- queries ---------------------------------------------------------------------------
    async def status(self) -> tuple[list[TargetStatus], dict[int, tuple[int, int]]]:
        """Every target's status (this server's view, states from the database for checks
        run elsewhere) and cluster roll-ups: cluster -> (healthy, total)."""
        checks = await self._db.read(lambda s: CheckRepository(s).list())
        ids = [c.id for c in checks]
        rows = await self._db.read(lambda s: StatusRepository(s).load(ids))
        clusters, droplets = await self._inventory.snapshot()
        self._index.update(clusters, droplets)
        by_check = {c.id: c for c in checks}
        out: list[TargetStatus] = []
        seen: set[tuple[int, str]] = set()
        for check_id, tracks in self._tracks.items():
            if check_id in by_check:
                for track in tracks.values():
                    out.append(track.status(check_id))
                    seen.add((check_id, track.target.key))
        remote = [r for r in rows if (r[0], r[1]) not in seen]
        latest: dict[tuple[int, str], CheckResult] = {}
        if remote:  # run by another server (or not since this one started): the newest stored
            ids = sorted({r[0] for r in remote})
            latest = await self._db.read(lambda s: ResultRepository(s).latest_per_target(ids))
        for check_id, key, cluster_id, state, since, *_, failing in remote:
            target = self._target(key, cluster_id)
            last = latest.get((check_id, key))
            out.append(TargetStatus(check_id, target, state, since, last, failing))
            seen.add((check_id, key))
        for check in checks:  # targets never probed yet
            for target in self._index.targets(check):
                if (check.id, target.key) not in seen:
                    out.append(
                        TargetStatus(check.id, target, HealthState.UNKNOWN, check.created_at, None)
                    )
        out = [replace(s, target=self._labelled(s.target)) for s in out]
        return out, rollup(out)

    def _target(self, key: str, cluster_id: int) -> Target:
        kind, _, raw = key.partition(":")
        droplet_id = int(raw) if kind == "droplet" and raw.isdigit() else 0
        return Target(key, cluster_id, droplet_id)

    def _labelled(self, t: Target) -> Target:
        if t.label:
            return t
        d = self._index.droplets.get(t.droplet_id)
        return replace(t, label=d.name if d else t.key)

    async def results(
        self, check_id: int = 0, target: str = "", since: float = 0.0, limit: int = 100
    ) -> list[CheckResult]:
        """Stored results, newest first."""
        await self.flush()
        return await self._db.read(
            lambda s: ResultRepository(s).results(
                check_id=check_id, target=target, since=since, limit=limit, newest_first=True
            )
        )

    async def transitions(
        self, check_id: int = 0, target: str = "", since: float = 0.0, limit: int = 200
    ) -> list[Transition]:
        """Stored transitions, oldest first."""
        return await self._db.read(
            lambda s: ResultRepository(s).transitions(
                check_id=check_id, target=target, since=since, limit=limit
            )
        )

    def forget(self, check_id: int) -> None:
        """Drop a check's in-memory streaks (another server runs it now; they were saved)."""
        self._tracks.pop(check_id, None)

    async def last_runs(self, check_ids: list[int]) -> dict[int, float]:
        """When each check's newest stored round was due (for a scheduler taking them over)."""
        return await self._db.read(lambda s: ResultRepository(s).last_scheduled(check_ids))

    async def recent_results(self, target: str, since: float, until: float) -> list[CheckResult]:
        """Read API for other features: one target's results in [since, until), oldest first."""
        await self.flush()
        return await self._db.read(
            lambda s: ResultRepository(s).results(target=target, since=since, until=until)
        )

    async def recent_transitions(self, target: str, since: float) -> list[Transition]:
        """Read API for other features: one target's transitions since a time, oldest first."""
        return await self.transitions(target=target, since=since, limit=10_000)

    # -- maintenance, channels, alerts -----------------------------------------------------
    async def maintenance_windows(self) -> list[MaintenanceWindow]:
        """Every maintenance window (cached; changes through this service refresh it)."""
        if self._windows is None:
            self._windows = await self._db.read(lambda s: AlertRepository(s).windows())
        return self._windows

    async def add_window(self, w: MaintenanceWindow) -> MaintenanceWindow:
        """Add a maintenance window."""
        validation.finite(w.start, "start", low=1.0)  # Unix seconds
        validation.finite(w.duration_seconds, "duration_seconds", low=1.0, high=366 * 86_400.0)
        if w.cluster_id < 0:
            raise InvalidArgument("cluster_id: give a cluster id, or 0 for every cluster")
        validation.text(w.description, "description", 300)
        added = await self._db.run(lambda s: AlertRepository(s).add_window(w))
        self._windows = None
        return added

    async def delete_window(self, window_id: int) -> None:
        """Remove a maintenance window."""
        if not await self._db.run(lambda s: AlertRepository(s).delete_window(window_id)):
            raise NotFound(f"maintenance window {window_id} does not exist")
        self._windows = None

    async def add_channel(self, c: Channel) -> Channel:
        """Add a notification channel."""
        validation.text(c.name, "name", 100, required=True)
        validation.text(c.url, "url", 500)
        if c.kind is ChannelKind.WEBHOOK and not c.url.startswith(("http://", "https://")):
            raise InvalidArgument(f"url: {c.url!r} is not an http(s) URL; a webhook needs one")
        validation.finite(c.reminder_seconds, "reminder_seconds", high=30 * 86_400.0)
        return await self._db.run(lambda s: AlertRepository(s).add_channel(c))

    async def channels(self) -> list[Channel]:
        """Every channel."""
        return await self._db.read(lambda s: AlertRepository(s).channels())

    async def delete_channel(self, channel_id: int) -> None:
        """Remove a channel."""
        if not await self._db.run(lambda s: AlertRepository(s).delete_channel(channel_id)):
            raise NotFound(f"channel {channel_id} does not exist; see ListChannels")

    async def alerts(self, open_only: bool = False) -> list[Alert]:
        """Alerts, newest first."""
        return await self._db.read(lambda s: AlertRepository(s).alerts(open_only=open_only))

    async def deliveries(self, alert_id: int = 0) -> list[Delivery]:
        """The delivery log, newest first."""
        return await self._db.read(lambda s: AlertRepository(s).deliveries(alert_id))

    # -- the stream ------------------------------------------------------------------------
    def _emit_local(self, results: Sequence[CheckResult]) -> None:
        for queue in list(self._watchers):
            for r in results:
                if queue.full():
                    queue.get_nowait()
                queue.put_nowait(HealthUpdate(result=r))

    async def _follow_events(self) -> None:
        """Hand transitions and alerts (from every server) to the watchers."""
        while True:
            subscription = self._outbox.bus.subscribe([HEALTH_TOPIC])
            try:
                async for event in subscription:
                    if isinstance(event, HealthChanged):
                        update = HealthUpdate(
                            transition=event.transition, alert=event.alert, notice=event.notice
                        )
                        if (
                            event.transition is not None
                            and event.check_id in self._tracks
                            and self._tracks_state_differs(event.transition)
                        ):
                            self._tracks.pop(event.check_id, None)  # another server ran it
                        for queue in list(self._watchers):
                            if queue.full():
                                queue.get_nowait()
                            queue.put_nowait(update)
                return
            except SubscriberOverflow:
                continue
            finally:
                subscription.close()

    async def _follow_remote(self) -> None:
        """While anyone watches: results other servers stored (their checks), read every
        REMOTE_POLL_SECONDS, so a GUI on any server sees every check's results live."""
        last = await self._db.read(lambda s: ResultRepository(s).max_id())
        while self._watchers:
            await asyncio.sleep(REMOTE_POLL_SECONDS)
            try:
                rows = await self._db.read(partial(_results_after, last))
            except Exception:  # the database away: try again at the next poll
                log.warning("reading other servers' health results failed", exc_info=True)
                continue
            if rows:
                last = rows[-1].id
            self._emit_local([r for r in rows if r.check_id not in self._tracks])

    def _tracks_state_differs(self, t: Transition) -> bool:
        track = self._tracks.get(t.check_id, {}).get(t.target)
        return track is not None and track.tracker.state is not t.to_state

    async def watch(self) -> AsyncIterator[HealthUpdate]:
        """Every target's status, snapshot_complete, then results, transitions and alerts."""
        queue: asyncio.Queue[HealthUpdate] = asyncio.Queue(WATCH_QUEUE)
        self._watchers.add(queue)
        if self._remote is None or self._remote.done():
            self._remote = asyncio.create_task(self._follow_remote(), name="health-remote")
        try:
            statuses, _ = await self.status()
            for s in statuses:
                yield HealthUpdate(status=s)
            yield HealthUpdate(snapshot_complete=True)
            while True:
                yield await queue.get()
        finally:
            self._watchers.discard(queue)


def _results_after(last_id: int, s: Session) -> list[CheckResult]:
    return ResultRepository(s).after(last_id, REMOTE_POLL_ROWS)


def rollup(statuses: Sequence[TargetStatus]) -> dict[int, tuple[int, int]]:
    """Cluster -> (healthy droplets, droplets) over droplet targets (worst check wins)."""
    worst: dict[tuple[int, str], bool] = {}
    for s in statuses:
        if s.target.cluster_id and s.target.key.startswith("droplet:"):
            key = (s.target.cluster_id, s.target.key)
            ok = s.state is HealthState.HEALTHY
            worst[key] = worst.get(key, True) and ok
    out: dict[int, tuple[int, int]] = {}
    for (cluster_id, _), ok in worst.items():
        healthy, total = out.get(cluster_id, (0, 0))
        out[cluster_id] = (healthy + ok, total + 1)
    return out
