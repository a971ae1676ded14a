"""Qt-side probes of the GUI children: first paint, frame time, Qt-thread stalls, resident memory.

What is measured (all on the Qt thread of the child, offscreen platform):
- a *frame* is the delivery of one UpdateRequest event to the top-level window: Qt paints every
  dirty widget of the window into its backing store (our paintEvents, pyqtgraph's scene) and
  flushes it, synchronously, inside that delivery. Frame time = the wall time of that delivery.
- *first paint* is the end of the first Expose or UpdateRequest delivery in which a widget of
  the window received a Paint event, i.e. the first frame with content, flushed.
- a *stall* is how late a 60 Hz (16 ms, precise) timer fires: the time the Qt thread was busy
  with anything (stream handlers, model updates, paints) when a frame was due.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from bench.gui_bench import RESULT_PREFIX

STALL_INTERVAL_MS = 16


def run_delay_ms() -> float:
    """The calling thread's total time waiting on a run queue (runnable, but another thread or
    process had the core), from /proc/thread-self/schedstat; 0.0 where the kernel has none."""
    try:
        return int(Path("/proc/thread-self/schedstat").read_text().split()[1]) / 1e6
    except (OSError, IndexError, ValueError):
        return 0.0


def blocked_and_faults() -> tuple[int, int]:
    """(voluntary context switches, major page faults) of the calling thread so far: the first
    grows each time the thread slept (a lock such as the GIL, I/O), the second each time it
    waited for a page from disk."""
    try:
        status = Path("/proc/thread-self/status").read_text()
        fields = Path("/proc/thread-self/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0, 0
    switches = next(
        (int(line.split()[1]) for line in status.splitlines()
         if line.startswith("voluntary_ctxt_switches:")), 0
    )  # fmt: skip
    return switches, int(fields[9])  # majflt is the stat file's 12th field


def report(result: dict[str, object]) -> None:
    """Hand the measurements to the bench process: one line on stdout."""
    sys.stdout.write(f"{RESULT_PREFIX} {json.dumps(result)}\n")
    sys.stdout.flush()


def rss_mb(pid: int | str = "self") -> float:
    """Resident set size of a process in MB (VmRSS from /proc), 0.0 when it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child_pids() -> list[int]:
    """Pids of this process's children (from /proc/self/task/*/children)."""
    pids: list[int] = []
    for task in Path("/proc/self/task").iterdir():
        try:
            pids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return pids


def child_rss_mb(marker: str) -> float:
    """RSS of the child process whose command line contains marker (e.g. clustergenie_server)."""
    for pid in child_pids():
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker in command:
            return rss_mb(pid)
    return 0.0


class FirstPaint(QObject):
    """Application-wide event filter until the window's first frame with content; then removed."""

    def __init__(self, app: QApplication, window: QWidget) -> None:
        super().__init__()
        self._app, self._window = app, window
        self._paints = 0
        self.at: float | None = None  # time.monotonic() of the first paint
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Deliver Expose/UpdateRequest ourselves to see whether paints happened inside."""
        kind = event.type()
        if kind == QEvent.Type.Paint and isinstance(watched, QWidget):
            if watched.window() is self._window:
                self._paints += 1
            return False
        if kind not in (QEvent.Type.Expose, QEvent.Type.UpdateRequest):
            return False
        before = self._paints
        watched.event(event)
        if self._paints > before and self.at is None:
            self.at = time.monotonic()
            self._app.removeEventFilter(self)
        return True


class FrameProbe(QObject):
    """Times every frame of one top-level window and the lateness of a 60 Hz timer."""

    def __init__(self, window: QWidget) -> None:
        super().__init__()
        self._window = window
        self.frames_ms: list[float] = []
        self.frames_cpu_ms: list[float] = []  # the Qt thread's CPU time in each frame
        # The whole process's CPU time in each frame: above the Qt thread's, another thread of
        # ours (grpc's poller) ran meanwhile, e.g. holding the GIL the Qt thread waited for.
        self.frames_process_cpu_ms: list[float] = []
        # Per frame: how long the Qt thread was runnable but off the core (the kernel's run
        # queue delay), and how long garbage collection ran inside it.
        self.frames_wait_ms: list[float] = []
        self.frames_gc_ms: list[float] = []
        self.frames_slept: list[int] = []  # voluntary context switches inside each frame
        self.frames_major_faults: list[int] = []
        self.stalls_ms: list[float] = []
        # CPU time the Qt thread itself spent during each stall: near the stall, our own work;
        # near zero, the process waited (another process had the core, or a lock or I/O).
        self.stall_busy_ms: list[float] = []
        self.stall_process_busy_ms: list[float] = []  # the whole process's, as for frames
        self.gc_ms: list[float] = []  # every garbage collection's pause while recording
        self.recording = False
        self._last_tick = 0.0
        self._last_cpu = 0.0
        self._last_process_cpu = 0.0
        self._gc_start = 0.0
        self._gc_total = 0.0  # ms of collection while recording, for the in-frame share
        gc.callbacks.append(self._on_gc)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(STALL_INTERVAL_MS)
        self._timer.timeout.connect(self._on_tick)
        window.installEventFilter(self)

    def start(self) -> None:
        """Start recording (drop what was recorded before)."""
        self.frames_ms, self.frames_cpu_ms, self.frames_process_cpu_ms = [], [], []
        self.stalls_ms, self.stall_busy_ms, self.gc_ms = [], [], []
        self.frames_wait_ms, self.frames_gc_ms = [], []
        self.frames_slept, self.frames_major_faults = [], []
        self.stall_process_busy_ms = []
        self.recording = True
        self._last_tick, self._last_cpu = time.perf_counter(), time.thread_time()
        self._last_process_cpu = time.process_time()
        self._timer.start()

    def stop(self) -> None:
        """Stop recording."""
        self.recording = False
        self._timer.stop()

    def _on_tick(self) -> None:
        now, cpu, process_cpu = time.perf_counter(), time.thread_time(), time.process_time()
        self.stalls_ms.append(max(0.0, (now - self._last_tick) * 1000 - STALL_INTERVAL_MS))
        self.stall_busy_ms.append((cpu - self._last_cpu) * 1000)
        self.stall_process_busy_ms.append((process_cpu - self._last_process_cpu) * 1000)
        self._last_tick, self._last_cpu, self._last_process_cpu = now, cpu, process_cpu

    def _on_gc(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
        elif self.recording:
            pause = (time.perf_counter() - self._gc_start) * 1000
            self.gc_ms.append(pause)
            self._gc_total += pause

    def worst_stall(self) -> tuple[float, float]:
        """(lateness, CPU time of the Qt thread during it) of the worst stall, in ms."""
        if not self.stalls_ms:
            return 0.0, 0.0
        worst = max(range(len(self.stalls_ms)), key=self.stalls_ms.__getitem__)
        return self.stalls_ms[worst], self.stall_busy_ms[worst]

    def worst_stall_process_busy(self) -> float:
        """The whole process's CPU time during the worst stall, in ms."""
        if not self.stalls_ms:
            return 0.0
        worst = max(range(len(self.stalls_ms)), key=self.stalls_ms.__getitem__)
        return self.stall_process_busy_ms[worst]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Deliver the window's UpdateRequest ourselves and time it."""
        if watched is not self._window or event.type() != QEvent.Type.UpdateRequest:
            return False
        wait, collected = run_delay_ms(), self._gc_total
        slept, faults = blocked_and_faults()
        start, cpu, process_cpu = time.perf_counter(), time.thread_time(), time.process_time()
        watched.event(event)
        if self.recording:
            self.frames_wait_ms.append(run_delay_ms() - wait)
            self.frames_gc_ms.append(self._gc_total - collected)
            slept_after, faults_after = blocked_and_faults()
            self.frames_slept.append(slept_after - slept)
            self.frames_major_faults.append(faults_after - faults)
            self.frames_ms.append((time.perf_counter() - start) * 1000)
            self.frames_cpu_ms.append((time.thread_time() - cpu) * 1000)
            self.frames_process_cpu_ms.append((time.process_time() - process_cpu) * 1000)
        return True
