"""`python -m bench.gui_scenario ...`: frame time and resident memory at scale, in one window.

ours: the real app (Application, bundled server at a high time scale) with a LiveGraph of
10 series × 10,000 points docked under the Overview. The child creates clusters of 50 droplets
through the app's own client until N droplets exist, waits until the app shows them all active,
then records every frame for `--sim-seconds` of simulated time (an hour by default) while the
graph gets 10 new points per series each second, and finally reads the RSS of the app and of
its server. --reference: a bare pyqtgraph PlotWidget in a QMainWindow of the same size, fed
the very same 10 × 10,000 points each second with setData (no downsampling, no clipping).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import statistics
import sys
import time
from collections.abc import Callable

import pyqtgraph as pg
import qasync
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow

from bench.gui_probe import FrameProbe, child_rss_mb, report, rss_mb
from bench.gui_series import SERIES, FloatArray, SyntheticSeries
from bench.gui_startup import WINDOW_SIZE, qt_application
from bench.provision_bench import IMAGE, REGION, SIZE

CLUSTER_SIZE = 50  # CreateCluster's per-request maximum
PROVISION_TIMEOUT_SECONDS = 900.0  # a busy 2-core machine needed 8+ min for 1,000
GRAPH_HEIGHT = 300


def _summary(probe: FrameProbe) -> dict[str, object]:
    # The probe appends one (wall, Qt thread CPU, process CPU, run-queue wait, GC ms, sleeps,
    # major faults) per frame.
    triples = list(
        zip(probe.frames_ms, probe.frames_cpu_ms, probe.frames_process_cpu_ms,
            probe.frames_wait_ms, probe.frames_gc_ms, probe.frames_slept,
            probe.frames_major_faults, strict=True)
    ) or [(0.0, 0.0, 0.0, 0.0, 0.0, 0, 0)]  # fmt: skip
    frames = [wall for wall, *_ in triples]
    slowest = sorted(triples, reverse=True)[:5]
    stall, busy = probe.worst_stall()
    return {
        "frame_median": statistics.median(frames),
        "frame_worst": slowest[0][0],
        "frame_worst_cpu": max(cpu for _, cpu, *_ in triples),
        # The worst frame's own CPU time: near its wall time, our own work; far below it,
        # the Qt thread was descheduled (another process had the core) inside the frame,
        # or waited for another thread of ours (then the process CPU is the higher).
        "frame_worst_own_cpu": slowest[0][1],
        "frame_worst_process_cpu": slowest[0][2],
        "frames_slowest": [[round(x, 1) for x in triple] for triple in slowest],
        "stall_worst_process_busy": probe.worst_stall_process_busy(),
        "frame_p99": sorted(frames)[int(0.99 * (len(frames) - 1))],
        "frames": len(probe.frames_ms),
        "stall_worst": stall,
        "stall_worst_busy": busy,
        "gc_worst": max(probe.gc_ms or [0.0]),
        "gc_count": len(probe.gc_ms),
        "frames_over_50": sum(f > 50 for f in probe.frames_ms),
    }


class _Feed:
    """Appends the next block of the synthetic series each second (a QTimer, like a stream)."""

    def __init__(self, sink: Callable[[FloatArray, FloatArray], object]) -> None:
        self._series = SyntheticSeries()
        self._sink = sink
        self._sink(*self._series.initial())
        self.timer = QTimer()
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._next)

    def _next(self) -> None:
        self._sink(*self._series.next_block())


async def _wait(
    condition: Callable[[], object],
    within: float,
    what: str,
    step: float = 0.2,
    status: Callable[[], str] = str,
) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {within:g} s ({status()})")
        await asyncio.sleep(step)


async def _ours(args: argparse.Namespace, server_args: list[str]) -> dict[str, object]:
    from clustergenie_gui.app import Application, parse_args
    from clustergenie_gui.client.types import DropletStatus
    from clustergenie_gui.models.metric_buffer import MetricBuffer
    from clustergenie_gui.widgets.live_graph_widget import LiveGraph

    application = Application(parse_args(["--log-level", "WARNING", *server_args]))
    fields = [f"series_{i}" for i in range(SERIES)]
    buffer = MetricBuffer(fields, capacity=10_000)
    graph = LiveGraph(buffer)
    dock = QDockWidget("10 series × 10,000 points")
    dock.setWidget(graph)
    dock.setMinimumHeight(GRAPH_HEIGHT)
    application.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    feed = _Feed(buffer.extend_columns)
    probe = FrameProbe(application.window)
    running = asyncio.ensure_future(application.run())
    connected = lambda: application.connection.state.value == "connected"  # noqa: E731
    await _wait(connected, 60, "connected")
    feed.timer.start()
    client, droplets = application.client, application.provisioning.droplets
    probe.start()  # provisioning: only the stalls are reported
    started = time.monotonic()
    for i in range(math.ceil(args.droplets / CLUSTER_SIZE)):
        count = min(CLUSTER_SIZE, args.droplets - i * CLUSTER_SIZE)
        await client.create_cluster(f"bench-{i:03d}", REGION, SIZE, IMAGE, count)

    # Done when the app shows every droplet and none is still being provisioned (a few may
    # end errored when the machine is so busy that their jobs time out; they are counted).
    def done() -> bool:
        return droplets.rowCount() >= args.droplets and not droplets.count_by_status().get(
            DropletStatus.NEW, 0
        )

    await _wait(
        done,
        PROVISION_TIMEOUT_SECONDS,
        f"{args.droplets} droplets provisioned",
        status=lambda: f"shown: {droplets.count_by_status()}",
    )
    stall, busy = probe.worst_stall()
    provisioning = {
        "provision_seconds": time.monotonic() - started,
        "errored": droplets.count_by_status().get(DropletStatus.ERRORED, 0),
        "provision_stall_worst": stall,
        "provision_stall_busy": busy,
    }
    clock = await client.get_clock()
    assert clock.now is not None
    begin = clock.now.timestamp()
    probe.start()
    wall = time.monotonic()
    while True:
        await asyncio.sleep(1.0)
        now = (await client.get_clock()).now
        assert now is not None
        if now.timestamp() - begin >= args.sim_seconds:
            break
    probe.stop()
    # What a full collection costs now: the objects the app holds after the hour.
    tracked, gc_started = len(gc.get_objects()), time.perf_counter()
    gc.collect()
    full_collection_ms = (time.perf_counter() - gc_started) * 1000
    if args.screenshot:
        # What the offscreen platform painted: the window's own widgets, no window frame.
        application.window.grab().save(args.screenshot)
    result: dict[str, object] = {
        **_summary(probe),
        **provisioning,
        "wall_seconds": time.monotonic() - wall,
        "sim_seconds": now.timestamp() - begin,
        "rss_gui": rss_mb(),
        "rss_server": child_rss_mb("clustergenie_server"),
        "droplets_shown": droplets.rowCount(),
        "gc_tracked": tracked,
        "gc_frozen": gc.get_freeze_count(),
        "gc_full_collection_ms": full_collection_ms,
    }
    feed.timer.stop()
    application.window.close()
    await running
    return result


async def _reference(args: argparse.Namespace) -> dict[str, object]:
    window = QMainWindow()
    window.resize(*WINDOW_SIZE)
    plot = pg.PlotWidget()
    window.setCentralWidget(plot)
    curves = [plot.plot([], []) for _ in range(SERIES)]
    data: list[FloatArray] = []

    def sink(times: FloatArray, values: FloatArray) -> None:
        import numpy as np

        if data:
            t, v = data
            times = np.concatenate([t, times])[-10_000:]
            values = np.concatenate([v, values], axis=1)[:, -10_000:]
        data[:] = [times, values]
        for curve, row in zip(curves, values, strict=True):
            curve.setData(times, row)

    feed = _Feed(sink)
    probe = FrameProbe(window)
    window.show()
    feed.timer.start()
    await asyncio.sleep(1.0)
    probe.start()
    await asyncio.sleep(args.seconds)
    probe.stop()
    feed.timer.stop()
    window.close()
    return {**_summary(probe), "rss_gui": rss_mb()}


def main(argv: list[str] | None = None) -> int:
    """Run the scenario, print the result line."""
    parser = argparse.ArgumentParser(prog="bench.gui_scenario")
    parser.add_argument("--reference", action="store_true")
    parser.add_argument("--droplets", type=int, default=1000)
    parser.add_argument("--sim-seconds", type=float, default=3600.0)
    parser.add_argument("--seconds", type=float, default=30.0, help="reference: wall seconds")
    parser.add_argument("--screenshot", help="ours: save the window as this PNG at the end")
    args, server_args = parser.parse_known_args(argv)
    app: QApplication = qt_application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        if args.reference:
            result = loop.run_until_complete(_reference(args))
        else:
            result = loop.run_until_complete(_ours(args, server_args))
    report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
