"""Simulated logs of every droplet, one tick at a time, from the metrics the tick produced.

The lines follow the traffic (an access line per request), and faults leave the marks a real
system would: OOM kills and restarts (memory leak), connection refused and restart loops (crash
loop), 5xx bursts with stack traces and a new version string (bad deploy), "no space left on
device" (full disk), timeouts (latency, partition), CPU throttling (CPU hog). Routine lines are
sampled when there are more than the budget allows (each kept line carries how many it stands
for); warnings, errors and fault marks never are.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from clustergenie_server.domain.logs import CLUSTER, DROPLET, LEVEL, SOURCE, Level, Stream
from clustergenie_server.domain.telemetry import Fault, FaultKind, Metric
from clustergenie_server.services.logs import sim_lines as text
from clustergenie_server.simulation.engine import TickResult

Line = tuple[Stream, float, str, int]
_RPS, _ERR = Metric.REQUESTS_PER_SECOND.column, Metric.ERROR_RATE.column
_P50, _P99 = Metric.LATENCY_P50_MS.column, Metric.LATENCY_P99_MS.column
_MEM, _DISK = Metric.MEMORY_PERCENT.column, Metric.DISK_PERCENT.column
APP_INFO_PER_REQUEST = 0.05
WARN_PER_REQUEST = 0.002
BASE_TRACEBACK_PER_REQUEST = 0.0002
TRACEBACK_PER_5XX = 0.2  # a bad deploy: a stack trace for one 5xx in five


@dataclass(slots=True)
class _DropletState:
    memory: float = 0.0
    crashed: bool = False
    restarts: int = 0
    deploys: set[int] = field(default_factory=set)
    version: str = text.GOOD_VERSION


class LogGenerator:
    """Lines of each tick; replayable from the seed."""

    def __init__(self, seed: int, routine_lines_per_second: float) -> None:
        self._rng = np.random.default_rng([seed, 0x106])
        self.budget = routine_lines_per_second  # wall seconds
        self._streams: dict[tuple[str, str, str, Level], Stream] = {}
        self._state: dict[int, _DropletState] = {}

    def stream(self, cluster: str, droplet: str, source: str, level: Level) -> Stream:
        """The (cached) stream of these labels."""
        key = (cluster, droplet, source, level)
        s = self._streams.get(key)
        if s is None:
            labels = {CLUSTER: cluster, DROPLET: droplet, SOURCE: source, LEVEL: level.value}
            s = self._streams[key] = Stream.of(labels)
        return s

    def tick(
        self,
        tick: TickResult,
        dt: float,
        wall_dt: float,
        faults: Sequence[Fault],
        names: Mapping[int, str],
    ) -> list[Line]:
        """Every line of one tick of dt simulated seconds (wall_dt on the wall clock)."""
        n = len(tick.droplet_ids)
        if n == 0 or dt <= 0:
            return []
        rps = tick.droplet_values[:, _RPS]
        routine = float(rps.sum()) * dt * (1 + APP_INFO_PER_REQUEST)
        allowed = max(1.0, self.budget * wall_dt)
        # One factor for the tick: every routine line stands for `keep_every` lines.
        keep_every = max(1, math.ceil(routine / allowed))
        acting = _faults_by_droplet(faults, tick)
        out: list[Line] = []
        for i, droplet_id in enumerate(tick.droplet_ids.tolist()):
            cluster_id = int(tick.droplet_cluster_ids[i])
            cluster = names.get(-cluster_id, f"cluster-{cluster_id}")
            droplet = names.get(droplet_id, f"droplet-{droplet_id}")
            state = self._state.setdefault(droplet_id, _DropletState())
            lines = _DropletTick(self, tick.t, dt, cluster, droplet, state, keep_every)
            lines.emit(tick.droplet_values[i], acting.get(droplet_id, {}))
            out.extend(lines.out)
        return out


@dataclass(slots=True)
class _DropletTick:
    """The lines of one droplet in one tick."""

    gen: LogGenerator
    t: float
    dt: float
    cluster: str
    droplet: str
    state: _DropletState
    keep_every: int
    out: list[Line] = field(default_factory=list)

    def add(
        self, source: str, level: Level, texts: list[str], count: int = 1, *, since: float = 0.0
    ) -> None:
        """Lines spread over the tick (after `since`: a fault's marks follow its start)."""
        if not texts:
            return
        stream = self.gen.stream(self.cluster, self.droplet, source, level)
        low = max(self.t - self.dt, min(since, self.t))
        times = np.sort(self.gen._rng.uniform(low, self.t, len(texts))).tolist()
        self.out.extend((stream, ts, line, count) for ts, line in zip(times, texts, strict=True))

    def add_sampled(self, source: str, texts_for: object, total: int) -> None:
        """`total` routine lines as total // keep_every lines of weight keep_every (+ rest)."""
        assert callable(texts_for)
        k = self.keep_every
        whole, rest = divmod(total, k)
        self.add(source, Level.INFO, texts_for(whole), k)
        if rest:
            self.add(source, Level.INFO, texts_for(1), rest)

    def emit(self, values: np.ndarray, kinds: Mapping[FaultKind, Fault]) -> None:
        rng, st = self.gen._rng, self.state
        requests = float(values[_RPS]) * self.dt
        p50 = float(values[_P50])
        self._deploys(kinds)
        errors = int(rng.poisson(requests * float(values[_ERR]))) if requests > 0 else 0
        ok = max(0, int(rng.poisson(requests)) - errors) if requests > 0 else 0
        ver = st.version
        self.add_sampled("nginx", lambda n: text.access_lines(rng, n, text.OK_STATUS, p50, ver), ok)
        self.add("nginx", Level.ERROR, text.access_lines(rng, errors, text.ERROR_STATUS, p50, ver))
        self.add_sampled(
            "app",
            lambda n: text.app_info(rng, n),
            int(rng.poisson(requests * APP_INFO_PER_REQUEST)),
        )
        self.add(
            "app", Level.WARN, text.app_warn(rng, int(rng.poisson(requests * WARN_PER_REQUEST)))
        )
        deploy = kinds.get(FaultKind.BAD_DEPLOY)
        bad = deploy is not None
        traces = errors * TRACEBACK_PER_5XX if bad else requests * BASE_TRACEBACK_PER_REQUEST
        self.add(
            "app", Level.ERROR, text.tracebacks(rng, int(rng.poisson(traces)), bad_deploy=bad),
            since=deploy.start_at.timestamp() if deploy is not None else 0.0,
        )  # fmt: skip
        self._memory(values, kinds)
        self._crash_loop(requests, kinds)
        self._disk(float(values[_DISK]))
        self._network(requests, float(values[_P99]), kinds)
        if FaultKind.CPU_HOG in kinds:
            share = kinds[FaultKind.CPU_HOG].magnitude
            self.add("kernel", Level.WARN, [
                f"cpu throttled: cgroup /system.slice/app.service nr_throttled="
                f"{int(rng.integers(50, 400))} throttled_time={int(share * self.dt * 1000)}ms"
            ])  # fmt: skip

    def _deploys(self, kinds: Mapping[FaultKind, Fault]) -> None:
        fault = kinds.get(FaultKind.BAD_DEPLOY)
        st = self.state
        if fault is not None and fault.id not in st.deploys:
            st.deploys.add(fault.id)
            st.version = text.BAD_VERSION
            self.add("deploy", Level.INFO, [
                f"deploy: rolled out version {text.BAD_VERSION} (was {text.GOOD_VERSION}), "
                "restarting app.service"
            ], since=fault.start_at.timestamp())  # fmt: skip
        elif fault is None and st.version != text.GOOD_VERSION:
            st.version = text.GOOD_VERSION
            self.add("deploy", Level.INFO, [f"deploy: rolled back to version {text.GOOD_VERSION}"])

    def _memory(self, values: np.ndarray, kinds: Mapping[FaultKind, Fault]) -> None:
        st, memory = self.state, float(values[_MEM])
        if FaultKind.MEMORY_LEAK in kinds and st.memory > 60 and memory < st.memory - 25:
            st.restarts += 1
            pid = 1000 + st.restarts
            self.add("kernel", Level.ERROR, [
                f"Out of memory: Killed process {pid} (app) total-vm:2097152kB, "
                f"anon-rss:{int(st.memory * 10_000)}kB, oom_score_adj:0"
            ])  # fmt: skip
            self.add("systemd", Level.WARN, [
                "app.service: Main process exited, code=killed, status=9/KILL",
                f"app.service: Scheduled restart job, restart counter is at {st.restarts}.",
            ])  # fmt: skip
        elif memory > 90:
            self.add("app", Level.WARN, [f"memory usage at {memory:.0f}% of the limit"])
        st.memory = memory

    def _crash_loop(self, requests: float, kinds: Mapping[FaultKind, Fault]) -> None:
        st = self.state
        down = FaultKind.CRASH_LOOP in kinds and requests <= 0
        if down and not st.crashed:
            st.restarts += 1
            self.add("systemd", Level.ERROR, [
                "app.service: Main process exited, code=exited, status=1/FAILURE",
                f"app.service: Scheduled restart job, restart counter is at {st.restarts}.",
            ])  # fmt: skip
        if down:
            n = max(1, int(self.dt / 2))
            self.add("nginx", Level.ERROR, [
                "connect() failed (111: Connection refused) while connecting to upstream, "
                "upstream: \"http://127.0.0.1:8080/api/orders\""
            ] * n)  # fmt: skip
        st.crashed = down

    def _disk(self, disk: float) -> None:
        if disk >= 99.0:
            self.add("app", Level.ERROR, [
                f"write /var/lib/app/data/segment-{int(self.t) % 100000:06d}.log: "
                "no space left on device"
            ] * max(1, int(self.dt / 5)))  # fmt: skip
        elif disk >= 90.0:
            self.add("app", Level.WARN, [f"disk usage {disk:.0f}% on /dev/vda1"])

    def _network(self, requests: float, p99: float, kinds: Mapping[FaultKind, Fault]) -> None:
        rng = self.gen._rng
        if FaultKind.NETWORK_PARTITION in kinds:
            self.add("app", Level.ERROR, [
                "dial tcp 10.0.2.5:5432: i/o timeout (database unreachable)"
            ] * max(1, int(self.dt / 2)))  # fmt: skip
        if FaultKind.NETWORK_LATENCY in kinds:
            share = min(0.5, max(0.01, (p99 - 500.0) / 10_000.0))
            n = max(1, int(rng.poisson(requests * share)))
            self.add("nginx", Level.ERROR, [
                "upstream timed out (110: Connection timed out) while reading response "
                f"header from upstream, request_time={p99 / 1000:.3f}s"
            ] * n)  # fmt: skip


def _faults_by_droplet(
    faults: Sequence[Fault], tick: TickResult
) -> dict[int, dict[FaultKind, Fault]]:
    out: dict[int, dict[FaultKind, Fault]] = {}
    ids = tick.droplet_ids.tolist()
    clusters = tick.droplet_cluster_ids.tolist()
    for fault in faults:
        if not fault.active_at(tick.t):
            continue
        for droplet_id, cluster_id in zip(ids, clusters, strict=True):
            if cluster_id == fault.cluster_id and fault.droplet_id in (None, droplet_id):
                out.setdefault(droplet_id, {})[fault.kind] = fault
    return out
