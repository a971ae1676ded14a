"""Search: a query's lines in a window, newest first, in pages, over stored chunks and the lines
not yet stored. A generator: the caller stops it (a cancelled RPC) between database reads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import partial

from clustergenie_server.db import Database
from clustergenie_server.db.log_store import LogStore
from clustergenie_server.domain.errors import InvalidArgument
from clustergenie_server.domain.logs import LogLine
from clustergenie_server.services.logs.chunk_scan import Window, scan_step
from clustergenie_server.services.logs.pipeline import LogPipeline
from clustergenie_server.services.logs.query_eval import CompiledQuery

MAX_LIMIT = 100_000


def _key(line: LogLine) -> tuple[float, int]:
    return (line.t, line.seq)


def check_window(start: float, end: float) -> None:
    """Refuse a window that ends before it starts."""
    if start > end:
        raise InvalidArgument(
            f"the window starts ({start:.0f}) after it ends ({end:.0f}); give start <= end"
        )


async def search(
    db: Database,
    store: LogStore,
    pipeline: LogPipeline,
    query: CompiledQuery,
    window: Window,
    *,
    limit: int,
    page_size: int = 500,
) -> AsyncIterator[list[LogLine]]:
    """Pages of matching lines, newest first, `limit` lines in all."""
    check_window(window.start, window.end)
    if not 0 < limit <= MAX_LIMIT:
        raise InvalidArgument(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    streams = pipeline.index.matching(query.selects)
    if not streams:
        return
    ids = None if len(streams) == len(pipeline.index) else [s.id for s in streams]
    wanted = {s.id for s in streams}
    # Lines not stored yet first, ours and those other servers have just handed us (read before
    # the database, and deduplicated by seq against the chunks written meanwhile).
    pending = [
        x
        for x in (*pipeline.unflushed(), *pipeline.recent_remote())
        if x.stream.id in wanted and _in(x, window, query)
    ]
    seen: set[int] = set()
    candidates: list[LogLine] = pending
    cursor: tuple[float, int] | None = None
    sent, more = 0, True
    while more and sent < limit:
        step = await db.read(
            partial(
                scan_step,
                store=store,
                index=pipeline.index,
                query=query,
                stream_ids=ids,
                window=window,
                cursor=cursor,
            )
        )
        candidates.extend(step.lines)
        cursor, more = step.cursor, step.cursor is not None
        final = [x for x in candidates if x.t > step.frontier] if more else candidates
        candidates = [x for x in candidates if x.t <= step.frontier] if more else []
        final.sort(key=_key, reverse=True)
        page: list[LogLine] = []
        for line in final:
            if line.seq in seen:
                continue
            seen.add(line.seq)
            page.append(line)
            if sent + len(page) >= limit:
                break
        for i in range(0, len(page), page_size):
            yield page[i : i + page_size]
        sent += len(page)


def _in(line: LogLine, window: Window, query: CompiledQuery) -> bool:
    if not window.start <= line.t <= window.end:
        return False
    if window.before is not None and _key(line) >= window.before:
        return False
    return not query.filters_lines or query.keep(line.line, line.stream.labels) is not None
