"""Logs figures, each beside a reference from the same run:

* ingest: lines/s accepted and stored end to end over gRPC IngestLogs into SQLite, and the same
  in process (pipeline accept + chunk writes); reference: a bare executemany of the same rows
  (one row per line) into a SQLite table;
* tail latency: from handing a line to IngestLogs to a TailLogs client reading it, p50/p99;
  reference: the round trip of a unary gRPC call to the same server (the transport's own cost);
* search: the newest 100 matches of a rare substring over N retained lines (default 5 million);
  reference: `grep -F` over the same text exported to a file.

Run: python -m bench.logs_bench [--lines N] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path

import numpy as np

from bench.report import Row, format_table, median, percentile
from clustergenie_server.api.v1 import logs_pb2 as pb
from clustergenie_server.api.v1 import logs_pb2_grpc
from clustergenie_server.app import build_server
from clustergenie_server.db import Database
from clustergenie_server.db.log_store import log_store_for
from clustergenie_server.domain.logs import LogLine, Stream
from clustergenie_server.services.logs.log_service import LogService
from clustergenie_server.services.logs.patterns import PatternTracker
from clustergenie_server.services.logs.pipeline import LogPipeline, PipelineLimits, encode_lines
from clustergenie_server.settings import AuthSettings, LogSettings, Settings, TelemetrySettings

TOKEN = "bench-logs-token-0123456789abcdef"
T0 = 1_800_000_000.0
NEEDLE = "req-7f3a9c1e-needle"
BATCH = 2000


def _lines(n: int, seed: int = 1) -> list[tuple[dict[str, str], str]]:
    """n access-log-like lines (~110 bytes) over 60 streams."""
    rng = np.random.default_rng(seed)
    status = rng.choice([200, 200, 200, 201, 304, 404, 500], n).tolist()
    latency = rng.integers(1, 900, n).tolist()
    ids = rng.integers(10**6, 10**7, n).tolist()
    paths = ["/api/orders", "/api/cart", "/api/products", "/healthz", "/api/login"]
    labels = [
        {"cluster": f"c{c}", "droplet": f"c{c}-d{d}", "source": "nginx", "level": lvl}
        for c in range(5) for d in range(6) for lvl in ("info", "error")
    ]  # fmt: skip
    return [
        (
            labels[i % len(labels)],
            f"method=GET path={paths[i % 5]} status={status[i]} latency={latency[i]}ms "
            f"bytes={ids[i] % 20000} request_id=r{ids[i]} client=10.0.{i % 8}.{i % 250}",
        )
        for i in range(n)
    ]


def _settings(db_url: str) -> Settings:
    return Settings(
        listen="127.0.0.1:0",
        database_url=db_url,
        log_level="WARNING",
        auth=AuthSettings(token=TOKEN),
        telemetry=TelemetrySettings(enabled=False),
        logs=LogSettings(enabled=False, tail_buffer_lines=200_000, max_pending_lines=2_000_000),
    )


# ------------------------------------------------------------------------------------ ingest
def bare_executemany(lines: list[tuple[dict[str, str], str]], path: Path) -> tuple[float, float]:
    """Reference: rows/s of one executemany of (t, stream, line) rows into SQLite, per wall and
    per CPU second."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("CREATE TABLE lines (t REAL, stream TEXT, line TEXT)")
    rows = [(T0 + i * 0.001, str(sorted(lab.items())), text) for i, (lab, text) in enumerate(lines)]
    start, cpu = time.perf_counter(), time.process_time()
    with connection:
        connection.executemany("INSERT INTO lines VALUES (?, ?, ?)", rows)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    connection.close()
    return len(rows) / elapsed, len(rows) / cpu


async def ingest_in_process(
    lines: list[tuple[dict[str, str], str]], db_url: str
) -> tuple[float, float]:
    """Lines/s through the pipeline (accept, then chunks written) without gRPC: per wall
    second, and per CPU second of this process (the machine may be shared)."""
    db = Database.connect(db_url)
    await asyncio.get_running_loop().run_in_executor(None, db.migrate)
    pipeline = LogPipeline(db, log_store_for("sqlite"), PipelineLimits(max_pending_lines=10**7))
    streams = {id(lab): Stream.of(lab) for lab, _ in lines[:60]}
    cache = [streams[id(lab)] if id(lab) in streams else Stream.of(lab) for lab, _ in lines]
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(lines), BATCH):
        pipeline.accept(
            (cache[j], T0 + j * 0.001, lines[j][1], 1) for j in range(i, min(i + BATCH, len(lines)))
        )
    await pipeline.flush(everything=True)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    await db.aclose()
    return len(lines) / elapsed, len(lines) / cpu


async def ingest_grpc(lines: list[tuple[dict[str, str], str]], db_url: str) -> tuple[float, float]:
    """Lines/s accepted (acked) and stored, sent over IngestLogs to a real server (in this
    process), per wall and per CPU second."""
    from clustergenie_gui.client.channel import open_channel

    app = await build_server(_settings(db_url))
    await app.start()
    channel = open_channel(app.address, TOKEN)
    # The batches are serialized before the clock starts: a sender serializes its own on its
    # own machine, and here it would share the server's one CPU core and event loop.
    ingest = channel.stream_stream(
        "/clustergenie.v1.LogService/IngestLogs",
        request_serializer=None,
        response_deserializer=pb.IngestLogsAck.FromString,
    )
    requests = [
        _grouped(i, lines[i : i + BATCH]).SerializeToString() for i in range(0, len(lines), BATCH)
    ]

    async def send() -> AsyncIterator[bytes]:
        for r in requests:
            yield r

    start, cpu = time.perf_counter(), time.process_time()
    accepted = 0
    async for ack in ingest(send()):
        accepted += ack.accepted
    assert app.logs is not None
    await app.logs.pipeline.flush(everything=True)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    stored = app.logs.pipeline.stats.stored
    await channel.close(None)
    await app.stop()
    assert accepted == stored == len(lines), (accepted, stored)
    return len(lines) / elapsed, len(lines) / cpu


def _grouped(first: int, lines: list[tuple[dict[str, str], str]]) -> pb.IngestLogsRequest:
    """A batch as an agent sends it: lines grouped by their label set."""
    by_labels: dict[int, pb.IngestStream] = {}
    request = pb.IngestLogsRequest(batch_id=first)
    for j, (lab, text) in enumerate(lines, start=first):
        stream = by_labels.get(id(lab))
        if stream is None:
            stream = by_labels[id(lab)] = request.streams.add(labels=lab)
        stream.lines.add(time=T0 + j * 0.001, line=text)
    return request


# ------------------------------------------------------------------------------ tail latency
async def tail_latency(db_url: str, rate: int, seconds: float) -> tuple[float, float, float]:
    """(p50, p99, unary round trip) in ms, ingesting `rate` lines/s in batches of 50."""
    from clustergenie_gui.client.channel import open_channel

    app = await build_server(_settings(db_url))
    await app.start()
    channel = open_channel(app.address, TOKEN)
    stub = logs_pb2_grpc.LogServiceStub(channel)
    tail = stub.TailLogs(pb.TailLogsRequest(query='{cluster="lat"}'))
    messages = aiter(tail)
    assert (await anext(messages)).replay_complete
    delays: list[float] = []
    n_batches = int(rate * seconds / 50)

    async def send() -> AsyncIterator[pb.IngestLogsRequest]:
        next_at = time.perf_counter()
        for b in range(n_batches):
            sent = time.perf_counter()
            labels = {"cluster": "lat", "droplet": "d1"}
            entries = [pb.IngestEntry(labels=labels, line=f"{sent!r} {k}") for k in range(50)]
            yield pb.IngestLogsRequest(batch_id=b, entries=entries)
            next_at += 50 / rate
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))

    async def receive() -> None:
        while len(delays) < n_batches * 50:
            r = await anext(messages)
            now = time.perf_counter()
            delays.extend(now - float(e.line.split(" ", 1)[0]) for e in r.entries)

    async def ingest() -> None:
        async for _ in stub.IngestLogs(send()):
            pass

    await asyncio.wait_for(asyncio.gather(ingest(), receive()), seconds * 5 + 30)
    tail.cancel()
    rtts = []
    for _ in range(200):
        t = time.perf_counter()
        await stub.ListLogLabels(pb.ListLogLabelsRequest())
        rtts.append(time.perf_counter() - t)
    await channel.close(None)
    await app.stop()
    delays.sort()
    return percentile(delays, 0.5) * 1e3, percentile(delays, 0.99) * 1e3, median(rtts) * 1e3


# ------------------------------------------------------------------------------------ search
async def search_rare(
    n: int, db_url: str, tmp: Path
) -> tuple[float, float, float, float, int, int]:
    """(our wall s, grep -F wall s, our CPU s, grep's CPU s, our matches, grep's matches) for
    NEEDLE over n lines."""
    db = Database.connect(db_url)
    await asyncio.get_running_loop().run_in_executor(None, db.migrate)
    store = log_store_for("sqlite")
    pipeline = LogPipeline(db, store)
    service = LogService(db, store, pipeline, PatternTracker(), lambda: T0 + n, tail_buffer=10)
    export = tmp / "export.log"
    rng = np.random.default_rng(3)
    hits = set(rng.choice(n, 40, replace=False).tolist())
    chunk = 200_000
    export.write_text("")
    made: dict[int, Stream] = {}
    for base in range(0, n, chunk):
        lines = _lines(min(chunk, n - base), seed=base)
        batch = []
        texts = []
        for i, (lab, text) in enumerate(lines):
            if base + i in hits:
                text = text.replace("request_id=", f"request_id={NEEDLE}-")
            stream = made.get(id(lab)) or made.setdefault(id(lab), Stream.of(lab))
            batch.append(LogLine(T0 + (base + i) * 0.001, stream, text, 1, base + i + 1))
            pipeline.index.add(stream)
            texts.append(text)
        _append(export, "\n".join(texts) + "\n")
        chunks, counts = encode_lines(batch)
        streams = [(s.id, s.key, T0) for s in {x.stream.id: x.stream for x in batch}.values()]
        await db.run(partial(store.write, streams=streams, chunks=chunks, counts=counts))
    # Warm both (the OS page cache for grep, SQLite's for us), then time the median of 3.
    grep = shutil.which("grep") or "grep"
    ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
    found = grep_found = 0
    for _ in range(4):
        start, cpu = time.perf_counter(), time.process_time()
        result = await service.lines(f'{{}} |= "{NEEDLE}"', 0, T0 + n, 100)
        ours.append(time.perf_counter() - start)
        ours_cpu.append(time.process_time() - cpu)
        found = len(result)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        grep_found = _grep(grep, export)
        theirs.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        theirs_cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    await db.aclose()
    return (
        median(ours[1:]), median(theirs[1:]), median(ours_cpu[1:]), median(theirs_cpu[1:]),
        found, grep_found,
    )  # fmt: skip


def _append(path: Path, text: str) -> None:
    with path.open("a") as out:
        out.write(text)


def _grep(grep: str, path: Path) -> int:
    """Lines grep -F finds (the reference is timed around this call)."""
    proc = subprocess.run([grep, "-F", NEEDLE, str(path)], capture_output=True, check=False)
    return proc.stdout.count(b"\n")


async def main_async(args: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="cg-logs-bench-") as tmp_name:
        tmp = Path(tmp_name)
        n = 100_000 if args.quick else 400_000
        lines = _lines(n)
        bare, bare_cpu = bare_executemany(lines, tmp / "bare.sqlite")
        in_process, per_cpu = await ingest_in_process(lines, f"sqlite:///{tmp / 'inproc.sqlite'}")
        over_grpc, grpc_cpu = await ingest_grpc(lines, f"sqlite:///{tmp / 'grpc.sqlite'}")
        ref = "bare executemany, a row a line"
        rows += [
            Row("ingest over gRPC IngestLogs (target >= 100k)", over_grpc, bare, "lines/s", ref),
            Row("  the same, per CPU second", grpc_cpu, bare_cpu, "lines/s", ref + ", per CPU s"),
            Row("ingest in process (pipeline + chunks), SQLite", in_process, bare, "lines/s", ref),
            Row("  the same, per CPU second", per_cpu, bare_cpu, "lines/s", ref + ", per CPU s"),
        ]  # fmt: skip
        rate = 1000 if args.quick else 5000
        p50, p99, rtt = await tail_latency(
            f"sqlite:///{tmp / 'tail.sqlite'}", rate, 3 if args.quick else 10
        )
        rows.append(
            Row(f"tail latency p50 at {rate:,} lines/s", p50, rtt, "ms", "unary gRPC round trip")
        )
        rows.append(
            Row(
                f"tail latency p99 at {rate:,} lines/s (target <= 250)",
                p99,
                rtt,
                "ms",
                "unary gRPC round trip",
            )
        )
        search_lines = args.lines or (200_000 if args.quick else 5_000_000)
        ours, grep, ours_cpu, grep_cpu, found, grep_found = await search_rare(
            search_lines, f"sqlite:///{tmp / 'search.sqlite'}", tmp
        )
        assert found == min(100, grep_found), (found, grep_found)
        label = f"search a rare substring, {search_lines:,} lines, newest 100 (target <= 3x)"
        rows += [
            Row(label, ours * 1e3, grep * 1e3, "ms", "grep -F over the exported text"),
            Row("  the same, CPU time", ours_cpu * 1e3, grep_cpu * 1e3, "ms", "grep -F, CPU time"),
        ]  # fmt: skip
    return rows


def main() -> None:
    """Run and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.logs_bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--lines", type=int, help="lines retained for the search figure")
    rows = asyncio.run(main_async(parser.parse_args()))
    print(format_table(rows, "Logs"))


if __name__ == "__main__":
    main()
