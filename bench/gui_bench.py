"""Desktop figures: start to first paint and to connected, frame time, and resident memory.

The bench process never imports Qt: every measurement runs in a child (`bench.gui_startup`,
`bench.gui_scenario`) on Qt's offscreen platform and reports one JSON line; see
bench/gui_probe.py for what a frame, a first paint and a stall are.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bench.children import REPO_ROOT, ChildFailed
from bench.report import Row, median

RESULT_PREFIX = "BENCH_GUI_RESULT"  # the one line a GUI child prints on stdout
GUI_TIME_SCALE = 60.0  # an hour of simulated time in a minute; at 120 a busy 2-core machine
# did not provision 1,000 droplets in 8 min (the server's metric inserts took the CPU)
SIM_SECONDS = {False: 3600.0, True: 360.0}  # full: the hour; --quick: 6 min (3 s)
REFERENCE_SECONDS = {False: 20.0, True: 3.0}
STARTS = {False: 3, True: 1}  # timed starts of each kind (full: after one untimed warm-up each)
CHILD_TIMEOUT_SECONDS = 1500.0  # provisioning 1,000 droplets on a busy machine: up to 15 min
GUI_ENV = {
    "QT_QPA_PLATFORM": "offscreen",
    "CLUSTERGENIE_MUTATIONS_PER_SECOND": "0",  # the child creates clusters back to back
    "PYTHONUNBUFFERED": "1",
}


def progress(message: str) -> None:
    """Say what is being measured, on stderr."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


async def run_child(module: str, args: Sequence[str], log_path: Path) -> dict[str, Any]:
    """Run `python -m module args` offscreen and return the JSON of its result line."""
    env: Mapping[str, str] = {**os.environ, **GUI_ENV}
    with log_path.open("ab") as log_file:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            module,
            *args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=log_file,
            env=env,
            cwd=REPO_ROOT,
        )
    try:
        async with asyncio.timeout(CHILD_TIMEOUT_SECONDS):
            stdout, _ = await process.communicate()
    except TimeoutError:
        process.kill()
        await process.wait()
        raise ChildFailed(
            f"{module} did not finish in {CHILD_TIMEOUT_SECONDS:g} s; its log: {log_path}"
        ) from None
    for line in stdout.decode(errors="replace").splitlines():
        if line.startswith(RESULT_PREFIX + " "):
            result: dict[str, Any] = json.loads(line.removeprefix(RESULT_PREFIX + " "))
            return result
    tail = _tail(log_path)
    raise ChildFailed(
        f"{module} exited with {process.returncode} and no result; "
        f"the end of its log ({log_path}):\n{tail}"
    )


def _tail(log_path: Path) -> str:
    return log_path.read_text(errors="replace")[-2000:]


def _server_args(database: Path) -> list[str]:
    return [
        "--database-url",
        f"sqlite:///{database}",
        "--failure-rate",
        "0",
        "--time-scale",
        f"{GUI_TIME_SCALE:g}",
    ]


async def _start(tmp: Path, reference: bool) -> dict[str, Any]:
    args = ["--since", repr(time.monotonic())]
    if reference:
        args += ["--reference", "--canned", str(_canned(tmp))]
    else:
        args += _server_args(tmp / "gui-start.db")
    return await run_child("bench.gui_startup", args, tmp / "gui-startup.log")


def _canned(tmp: Path) -> Path:
    """Empty canned messages: the bare server is only connected to, never asked."""
    from bench.reference_server import CANNED_FILES

    canned = tmp / "gui-canned"
    canned.mkdir(exist_ok=True)
    for name in CANNED_FILES.values():
        (canned / name).touch()
    return canned


async def _starts(tmp: Path, quick: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Alternate ours and the reference so that drift hits both alike."""
    if not quick:
        await _start(tmp, False)  # creates the database and warms the file cache
        await _start(tmp, True)
    ours, reference = [], []
    for _ in range(STARTS[quick]):
        ours.append(await _start(tmp, False))
        reference.append(await _start(tmp, True))
    return ours, reference


def _med(results: list[dict[str, Any]], key: str) -> float:
    return median([float(r[key]) for r in results])


async def rows(
    tmp: Path, *, quick: bool, droplets: int, screenshot: Path | None = None
) -> list[Row]:
    """Every desktop figure beside its reference; optionally save the window at the end."""
    progress("desktop: start to first paint and to connected (offscreen)")
    ours, ref = await _starts(tmp, quick)
    sim = SIM_SECONDS[quick]
    progress(
        f"desktop: {droplets} droplets, {sim / 60:g} simulated min at scale "
        f"{GUI_TIME_SCALE:g}, a 10 x 10,000-point live graph"
    )
    scene = await run_child(
        "bench.gui_scenario",
        [
            "--droplets",
            str(droplets),
            "--sim-seconds",
            f"{sim:g}",
            *_server_args(tmp / "gui-scenario.db"),
            *(["--screenshot", str(screenshot)] if screenshot else []),
        ],
        tmp / "gui-scenario.log",
    )
    bare = await run_child(
        "bench.gui_scenario",
        ["--reference", "--seconds", f"{REFERENCE_SECONDS[quick]:g}"],
        tmp / "gui-reference.log",
    )
    shown = f"Overview of {droplets} droplets + 10 x 10,000-point live graph"
    bare_plot = "bare PlotWidget, same points"
    window = "empty QMainWindow, same imports"
    after = f"after {scene['sim_seconds'] / 60:.0f} simulated min, {droplets} droplets"
    return [
        Row(
            "desktop start -> first paint",
            _med(ours, "first_paint"),
            _med(ref, "first_paint"),
            "s",
            window,
        ),
        Row(
            "desktop start -> connected (bundled server)",
            _med(ours, "connected"),
            _med(ref, "connected"),
            "s",
            "same + bare grpc.aio server child",
        ),
        Row(
            f"GUI frame time, median ({shown})",
            scene["frame_median"],
            bare["frame_median"],
            "ms",
            bare_plot,
        ),
        Row(
            f"GUI frame time, worst ({scene['frames']} frames; "
            f"{scene['frame_worst_own_cpu']:.0f} ms of it the Qt thread's CPU)",
            scene["frame_worst"],
            bare["frame_worst"],
            "ms",
            bare_plot,
        ),
        Row(
            "GUI frame CPU time, worst (the Qt thread's own work in one frame)",
            scene["frame_worst_cpu"],
            bare["frame_worst_cpu"],
            "ms",
            bare_plot,
        ),
        Row(
            "GUI garbage collection, longest pause (same period)",
            scene["gc_worst"],
            bare["gc_worst"],
            "ms",
            bare_plot,
        ),
        Row(
            f"Qt thread longest stall (60 Hz timer lateness; {scene['stall_worst_busy']:.0f} ms "
            "of it busy)",
            scene["stall_worst"],
            bare["stall_worst"],
            "ms",
            bare_plot,
        ),
        Row(
            f"Qt thread longest stall while {droplets} droplets are provisioned "
            f"({scene['provision_seconds']:.0f} s; {scene['provision_stall_busy']:.0f} ms busy)",
            scene["provision_stall_worst"],
            bare["stall_worst"],
            "ms",
            bare_plot,
        ),
        Row(
            f"RSS of the GUI {after}",
            scene["rss_gui"],
            _med(ref, "rss_gui"),
            "MB",
            "bare PySide6 + pyqtgraph, empty window",
        ),
        Row(
            f"RSS of the server {after}",
            scene["rss_server"],
            _med(ref, "rss_server"),
            "MB",
            "bare grpc.aio server",
        ),
    ]
