"""Log patterns with drain3: lines clustered into templates (variable parts masked).

A window's patterns come from a fresh miner over its lines (so counts are the window's own);
"new" means the template's first line in the window came at or after `since`. A live tracker
per server mines the lines as they arrive and announces each template's first sight on a cluster
(after a warm-up, so a restart does not announce everything it knows): Diagnose listens to those.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from drain3 import TemplateMiner
from drain3.masking import MaskingInstruction
from drain3.template_miner_config import TemplateMinerConfig

from clustergenie_server.domain.logs import (
    CLUSTER,
    UNSAMPLED_LEVELS,
    LogLine,
    NewPatternSeen,
    Pattern,
)

MAX_LINES_MINED = 50_000  # per window request: the newest lines of a bigger window
MAX_TEMPLATES = 2_000
# A cluster's templates are announced once the tracker has mined this many of its lines over
# this many simulated seconds (before that, every template is new to it).
WARM_UP_LINES = 100
WARM_UP_SECONDS = 30.0
MAX_EVENTS_KEPT = 1_000
# Mining costs 20-50 us a line on the event loop: the tracker mines every warning and error and
# one routine line in INFO_EVERY, up to MINED_PER_SECOND lines a wall second. A flood (a bad
# deploy's errors) is mostly its own new template, so a budget's worth of it finds it.
INFO_EVERY = 10
MINED_PER_SECOND = 1000
# Only the first line of a multi-line entry (a stack trace's frames repeat across errors).
_MASKS = (
    (r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", "UUID"),
    (r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b", "IP"),
    (r"\b0x[0-9a-fA-F]+\b", "HEX"),
    (r"\b[0-9a-f]{12,}\b", "HEX"),
    (r"(?<![\w.])v?\d+(?:\.\d+)+(?:-[\w.]+)?\b", "VERSION"),
    (r"(?<![A-Za-z])-?\d+(?:\.\d+)?(?:ms|s|us|MB|KB|GB|%)?(?![A-Za-z])", "NUM"),
)


def new_miner() -> TemplateMiner:
    """A drain3 miner with our masks and bounds (and no persistence)."""
    config = TemplateMinerConfig()
    config.masking_instructions = [MaskingInstruction(p, name) for p, name in _MASKS]
    config.drain_max_clusters = MAX_TEMPLATES
    config.drain_sim_th = 0.5
    config.parametrize_numeric_tokens = True
    return TemplateMiner(config=config)


def first_line(text: str) -> str:
    """The line a template is mined from."""
    return text.split("\n", 1)[0][:2000]


@dataclass(slots=True)
class _Seen:
    count: int
    first: float
    last: float
    example: str


def window_patterns(lines: Sequence[LogLine], since: float, limit: int) -> list[Pattern]:
    """The top `limit` templates of lines (any order), weighted counts, new since `since`."""
    miner = new_miner()
    seen: dict[int, _Seen] = {}
    for line in sorted(lines, key=lambda x: (x.t, x.seq))[-MAX_LINES_MINED:]:
        result = miner.add_log_message(first_line(line.line))
        cid = result["cluster_id"]
        entry = seen.get(cid)
        if entry is None:
            seen[cid] = _Seen(line.count, line.t, line.t, line.line[:500])
        else:
            entry.count += line.count
            entry.last = line.t
    templates = {c.cluster_id: c.get_template() for c in miner.drain.clusters}
    out = [
        Pattern(templates[cid], s.count, s.first, s.last, s.example, s.first >= since)
        for cid, s in seen.items()
    ]
    out.sort(key=lambda p: (-p.count, p.template))
    return out[:limit]


class PatternTracker:
    """Mines live lines per cluster; announces a template's first sight on a cluster."""

    def __init__(self, on_new: Callable[[NewPatternSeen], None] | None = None) -> None:
        self._miners: dict[str, TemplateMiner] = {}
        self._lines: dict[str, int] = {}
        self._first: dict[str, float] = {}
        self._on_new = on_new
        self.events: deque[NewPatternSeen] = deque(maxlen=MAX_EVENTS_KEPT)
        self.mined = 0
        self._routine = 0
        self._second, self._budget = 0.0, MINED_PER_SECOND
        self.skipped = 0

    def offer(self, lines: Sequence[LogLine]) -> None:
        """Mine a batch (a Subscriber of the pipeline)."""
        now = time.monotonic()
        if now - self._second >= 1.0:
            self._second, self._budget = now, MINED_PER_SECOND
        for line in lines:
            if self._budget <= 0:
                self.skipped += 1
                continue
            self._routine += 1
            if line.stream.level not in UNSAMPLED_LEVELS and self._routine % INFO_EVERY:
                continue
            cluster = line.stream.labels.get(CLUSTER, "")
            miner = self._miners.get(cluster)
            if miner is None:
                miner = self._miners[cluster] = new_miner()
            result = miner.add_log_message(first_line(line.line))
            self.mined += 1
            self._budget -= 1
            seen = self._lines.get(cluster, 0) + 1
            self._lines[cluster] = seen
            first = self._first.setdefault(cluster, line.t)
            warm = seen > WARM_UP_LINES and line.t - first >= WARM_UP_SECONDS
            if result["change_type"] == "cluster_created" and warm:
                event = NewPatternSeen(cluster, result["template_mined"], line.t, line.line[:500])
                self.events.append(event)
                if self._on_new is not None:
                    self._on_new(event)

    def new_patterns(self, cluster: str | None, start: float, end: float) -> list[NewPatternSeen]:
        """Templates first seen in [start, end] (on one cluster, or any with None)."""
        return [
            e
            for e in self.events
            if start <= e.t <= end and (cluster is None or e.cluster == cluster)
        ]
