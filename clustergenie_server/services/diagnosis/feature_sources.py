"""The real Health and Logs behind diagnosis's sources: adapters over HealthService and
LogService that satisfy HealthReader, HealthControl and LogReader (wired in diagnosis_app).

Times: diagnosis windows are simulated seconds. Health stores wall-clock Unix seconds (its
probes run on the wall clock), so its times are converted with the simulation clock; simulated
log lines already carry simulated times (the telemetry tick's), so log times are not converted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.db import Database
from clustergenie_server.db.models import ClusterRow, DropletRow
from clustergenie_server.domain.errors import InvalidArgument, NotFound
from clustergenie_server.domain.health import CheckDefinition, HealthState, Outcome
from clustergenie_server.domain.health import CheckResult as HealthResult
from clustergenie_server.domain.logs import DROPLET
from clustergenie_server.domain.logs import LogLine as StoredLine
from clustergenie_server.services.diagnosis.sources import (
    CheckResult,
    CheckTransition,
    LogLine,
    PatternCount,
)
from clustergenie_server.services.health.health_service import HealthService
from clustergenie_server.services.logs.log_service import LogService
from clustergenie_server.simulation.clock import SimClock

MAX_RESULTS_PER_CHECK = 2000
MAX_TRANSITIONS_PER_CHECK = 500
MAX_PATTERNS = 50
NEW_AFTER_SECONDS = 300.0  # simulated: a template first seen this long after a target's first
# line is news (every routine template shows within its first few ticks)


def _droplet_of(target_key: str) -> int:
    """The droplet id of a health target key ("droplet:12"), 0 for any other target."""
    kind, _, raw = target_key.partition(":")
    return int(raw) if kind == "droplet" and raw.isdigit() else 0


def _detail(r: HealthResult) -> str:
    if r.reason:
        return r.reason
    if r.error:
        return r.error
    return f"HTTP {r.status_code}" if r.status_code else ""


class HealthFeatureReader:
    """HealthReader and HealthControl over the health service of this server."""

    def __init__(self, health: HealthService, clock: SimClock) -> None:
        self._health, self._clock = health, clock

    def _mine(self, target_key: str, droplet_id: int) -> bool:
        """A droplet's diagnosis sees its own results and the cluster-wide targets' (balancer)."""
        own = _droplet_of(target_key)
        return not droplet_id or own in (0, droplet_id)

    async def results(
        self, cluster_id: int, droplet_id: int, since: float, until: float
    ) -> Sequence[CheckResult]:
        """Results of the cluster's checks in [since, until) (simulated), oldest first."""
        wall_since, wall_until = self._clock.wall_at(since), self._clock.wall_at(until)
        out: list[CheckResult] = []
        for check in await self._health.list_checks(cluster_id):
            stored = await self._health.results(
                check_id=check.id, since=wall_since, limit=MAX_RESULTS_PER_CHECK
            )
            out.extend(
                CheckResult(
                    check.name,
                    self._clock.simulated_at(r.at),
                    r.outcome is not Outcome.FAIL,
                    _detail(r),
                    _droplet_of(r.target),
                )
                for r in stored
                if r.at < wall_until and self._mine(r.target, droplet_id)
            )
        out.sort(key=lambda r: r.time)
        return out

    async def transitions(
        self, cluster_id: int, droplet_id: int, since: float, until: float
    ) -> Sequence[CheckTransition]:
        """Transitions of the cluster's checks in [since, until) (simulated), oldest first."""
        wall_since, wall_until = self._clock.wall_at(since), self._clock.wall_at(until)
        out: list[CheckTransition] = []
        for check in await self._health.list_checks(cluster_id):
            stored = await self._health.transitions(
                check_id=check.id, since=wall_since, limit=MAX_TRANSITIONS_PER_CHECK
            )
            out.extend(
                CheckTransition(
                    check.name,
                    self._clock.simulated_at(t.at),
                    t.to_state is HealthState.HEALTHY,
                    t.reason,
                    _droplet_of(t.target),
                )
                for t in stored
                if t.at < wall_until and self._mine(t.target, droplet_id)
            )
        out.sort(key=lambda t: t.time)
        return out

    async def pause_check(self, cluster_id: int, check: str) -> None:
        """Pause the cluster's check of that name (the pause-check remedy)."""
        found = await self._check_named(cluster_id, check)
        await self._health.pause_check(found.id, True)

    async def _check_named(self, cluster_id: int, name: str) -> CheckDefinition:
        checks = await self._health.list_checks(cluster_id)
        for c in checks:
            if c.name == name:
                return c
        names = ", ".join(sorted(c.name for c in checks)) or "none"
        raise NotFound(f"cluster {cluster_id} has no health check {name!r} (its checks: {names})")


_STATUS_CLASS = re.compile(r"\b([1-5])xx\b", re.IGNORECASE)


def _expanded(query: str) -> str:
    """A search regex with HTTP status classes ("5xx") also matching access lines' statuses
    (status=503): what an investigator means by them."""
    return _STATUS_CLASS.sub(lambda m: f"(?:{m.group(0)}|status={m.group(1)}\\d\\d)", query)


def _quoted(value: str) -> str:
    """A LogQL double-quoted string (its escapes: \\\\, \\", \\n, \\t, \\r)."""
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
    return '"' + "".join(escapes.get(c, c) for c in value) + '"'


@dataclass(frozen=True, slots=True)
class _Names:
    cluster: str
    droplet: str
    droplet_ids: dict[str, int]  # the cluster's droplets by name


def _read_names(s: Session, cluster_id: int, droplet_id: int) -> _Names:
    cluster = s.execute(sa.select(ClusterRow.name).where(ClusterRow.id == cluster_id)).scalar()
    rows = s.execute(
        sa.select(DropletRow.id, DropletRow.name).where(DropletRow.cluster_id == cluster_id)
    ).all()
    ids = {str(name): int(i) for i, name in rows}
    droplet = next((name for name, i in ids.items() if i == droplet_id), "")
    if cluster is None or (droplet_id and not droplet):
        raise NotFound(f"cluster {cluster_id} or its droplet {droplet_id} does not exist")
    return _Names(str(cluster), droplet, ids)


@dataclass(frozen=True, slots=True)
class _Patterns:
    key: tuple[int, int, float, float]
    counts: tuple[PatternCount, ...]
    new: tuple[PatternCount, ...]


class LogFeatureReader:
    """LogReader over the log service: LogQL selectors from the cluster's and droplet's names
    (the labels simulated lines carry: {cluster="web", droplet="web-2"})."""

    def __init__(self, logs: LogService, db: Database) -> None:
        self._logs, self._db = logs, db
        self._last: _Patterns | None = None  # pattern_counts and new_patterns mine once

    async def _names(self, cluster_id: int, droplet_id: int) -> _Names:
        return await self._db.read(lambda s: _read_names(s, cluster_id, droplet_id))

    @staticmethod
    def selector(names: _Names) -> str:
        """The stream selector of a cluster, or of one of its droplets."""
        labels = [f"cluster={_quoted(names.cluster)}"]
        if names.droplet:
            labels.append(f"droplet={_quoted(names.droplet)}")
        return "{" + ", ".join(labels) + "}"

    async def lines(
        self, cluster_id: int, droplet_id: int, since: float, until: float, query: str, limit: int
    ) -> Sequence[LogLine]:
        """Lines matching the regular expression (any case; "5xx" also matches status=5..),
        newest first; a query that is not a valid regular expression is searched for as
        plain text."""
        names = await self._names(cluster_id, droplet_id)
        base = self.selector(names)
        if not query:
            text = base
        else:
            text = f"{base} |~ {_quoted('(?i)' + _expanded(query))}"
            try:
                self._logs.compile(text)
            except InvalidArgument:
                text = f"{base} |= {_quoted(query)}"
        stored = await self._logs.lines(text, since, until, limit)
        return [self._line(x, names) for x in stored]

    @staticmethod
    def _line(x: StoredLine, names: _Names) -> LogLine:
        droplet = names.droplet_ids.get(x.stream.labels.get(DROPLET, ""), 0)
        return LogLine(x.t, droplet, x.stream.level.value, x.line)

    async def pattern_counts(
        self, cluster_id: int, droplet_id: int, since: float, until: float
    ) -> Sequence[PatternCount]:
        """Templates of the window with their counts, and their counts in as long a time
        before it (the baseline)."""
        return (await self._patterns(cluster_id, droplet_id, since, until)).counts

    async def new_patterns(
        self, cluster_id: int, droplet_id: int, since: float, until: float
    ) -> Sequence[PatternCount]:
        """Templates not seen in as long a time before the window."""
        return (await self._patterns(cluster_id, droplet_id, since, until)).new

    async def _patterns(
        self, cluster_id: int, droplet_id: int, since: float, until: float
    ) -> _Patterns:
        key = (cluster_id, droplet_id, since, until)
        if self._last is not None and self._last.key == key:
            return self._last
        names = await self._names(cluster_id, droplet_id)
        query = self.selector(names)
        start = since - (until - since)
        # Mined with the baseline, a template's count spans both; mined alone, the window's.
        both = {
            p.template: p
            for p in await self._logs.pattern_counts(query, start, until, since, MAX_PATTERNS)
        }
        window = await self._logs.pattern_counts(query, since, until, since, MAX_PATTERNS)
        # First seen live on the cluster in the window (the tracker mines every line).
        live = {e.template for e in self._logs.new_patterns(names.cluster, since, until)}
        droplets = (droplet_id,) if droplet_id else ()
        # When the mined lines begin (a young cluster's may begin inside the window, a busy
        # one's window is mined from its newest lines): a template is new only when it first
        # showed well after that (routine ones show in the first ticks), and grown only
        # against a baseline that had lines.
        mined_from = min((p.first_seen for p in window), default=since)
        log_start = min((p.first_seen for p in both.values()), default=mined_from)
        covered = since - log_start  # baseline seconds with lines
        span = until - max(since, log_start)
        counts, new = [], []
        for p in window:
            seen = both.get(p.template)
            late = p.first_seen - mined_from >= NEW_AFTER_SECONDS
            is_new = late and (p.template in live if seen is None else seen.new)
            if is_new:
                baseline = 0
            elif seen is not None and covered >= NEW_AFTER_SECONDS:
                # The baseline's count over as long a time as the window's lines span.
                baseline = round(max(0, seen.count - p.count) * span / covered)
            else:
                # No baseline to compare with (or a template the two minings shaped
                # differently): as large as the window, so no growth is claimed on a guess.
                baseline = p.count
            pc = PatternCount(p.template, p.count, baseline, p.first_seen, droplets,
                              (p.example,))  # fmt: skip
            counts.append(pc)
            if is_new:
                new.append(pc)
        self._last = _Patterns(key, tuple(counts), tuple(new))
        return self._last
