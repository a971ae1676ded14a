"""Finding a query's lines in stored chunks, in the database thread (never on the event loop)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from clustergenie_server.db.log_chunks import (
    DecodedChunk,
    decode_chunk,
    may_contain,
    needle_hashes,
)
from clustergenie_server.db.log_store import LogStore
from clustergenie_server.domain.logs import LogLine, Stream
from clustergenie_server.services.logs.query_eval import CompiledQuery
from clustergenie_server.services.logs.stream_index import StreamIndex

CHUNKS_PER_READ = 64


@dataclass(frozen=True, slots=True)
class Window:
    """[start, end] in simulated seconds, and an optional (t, seq) cursor: only older lines."""

    start: float
    end: float
    before: tuple[float, int] | None = None


@dataclass(frozen=True, slots=True)
class ScanStep:
    """One read's matches, the cursor of the next read (None: no more chunks), and the frontier:
    no chunk not read yet holds a line newer than it."""

    lines: list[LogLine]
    cursor: tuple[float, int] | None
    frontier: float


def scan_step(
    s: Session,
    store: LogStore,
    index: StreamIndex,
    query: CompiledQuery,
    stream_ids: Sequence[int] | None,
    window: Window,
    cursor: tuple[float, int] | None,
) -> ScanStep:
    """Read the next CHUNKS_PER_READ chunks (newest first) and keep their matching lines."""
    end = window.end if window.before is None else min(window.end, window.before[0])
    rows = store.chunks(s, stream_ids, window.start, end, before=cursor, limit=CHUNKS_PER_READ)
    if not rows:
        return ScanStep([], None, float("-inf"))
    needles = tuple(n.encode() for n in query.needles)
    hashes = needle_hashes(needles)
    wanted = [r for r in rows if may_contain(r.grams, hashes)]
    data = store.chunk_data(s, [r.id for r in wanted])
    out: list[LogLine] = []
    for row in wanted:
        stream = index.get(row.stream_id)
        if stream is not None:
            out.extend(_matches(decode_chunk(data[row.id]), stream, query, needles, window))
    last = rows[-1]
    more = len(rows) == CHUNKS_PER_READ
    return ScanStep(out, (last.t_max, last.id) if more else None, last.t_max if more else -1e300)


def _matches(
    chunk: DecodedChunk,
    stream: Stream,
    query: CompiledQuery,
    needles: tuple[bytes, ...],
    window: Window,
) -> list[LogLine]:
    text = chunk.text
    if any(text.find(n) < 0 for n in needles):
        return []
    mask = (chunk.times >= window.start) & (chunk.times <= window.end)
    if window.before is not None:
        bt, bseq = window.before
        mask &= (chunk.times < bt) | ((chunk.times == bt) & (chunk.seqs < bseq))
    starts = chunk.line_starts()
    if needles:
        mask &= _lines_containing(text, needles[0], starts)
    picked = np.flatnonzero(mask)
    if len(picked) == 0:
        return []
    ends = np.append(starts[1:] - 1, len(text))
    out = []
    labels = stream.labels
    for i in picked.tolist():
        line = text[starts[i] : ends[i]].decode("utf-8", "replace")
        if query.filters_lines and query.keep(line, labels) is None:
            continue
        out.append(
            LogLine(float(chunk.times[i]), stream, line, int(chunk.counts[i]), int(chunk.seqs[i]))
        )
    return out


def _lines_containing(text: bytes, needle: bytes, starts: np.ndarray) -> np.ndarray:
    """A mask of the lines in which needle occurs (found with bytes.find, not line by line)."""
    hits = np.zeros(len(starts), bool)
    at = text.find(needle)
    while at >= 0:
        i = int(np.searchsorted(starts, at, side="right")) - 1
        hits[i] = True
        nxt = starts[i + 1] if i + 1 < len(starts) else len(text)
        at = text.find(needle, int(nxt))
    return hits
