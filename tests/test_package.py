"""The installer: build it as a user would, install it for a user, and start what it installed.

Slow (PyInstaller needs minutes), so marked slow; CI runs it.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]


def lines_of(stream: Iterable[str]) -> queue.Queue[str]:
    """A queue that a thread fills with the stream's lines (so a test can wait with a deadline)."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def wait_for_line(lines: queue.Queue[str], text: str, within: float) -> list[str]:
    """Every line read until one containing text; fails after within seconds."""
    seen: list[str] = []
    deadline = time.monotonic() + within
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            pytest.fail(f"no line with {text!r} within {within}s; got:\n{''.join(seen)}")
        seen.append(line)
        if text in line:
            return seen


def running_from(folder: Path) -> list[int]:
    """Pids of processes whose executable lies in folder."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if str(Path(os.readlink(proc / "exe"))).startswith(str(folder)):
                    pids.append(int(proc.name))
            except OSError:
                continue
    return pids


def test_the_installed_app_starts_its_bundled_server_and_connects(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "packaging/build.py", "--dist", str(tmp_path / "dist")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    [archive] = (tmp_path / "dist").glob("clustergenie-*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "download", filter="data")
    [unpacked] = (tmp_path / "download").iterdir()

    prefix, home = tmp_path / "prefix", tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "PREFIX": str(prefix), "HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("CLUSTERGENIE_TOKEN", None)
    subprocess.run(["sh", str(unpacked / "install.sh")], env=env, check=True)
    app_dir = prefix / "share" / "clustergenie"
    menu = (prefix / "share/applications/clustergenie.desktop").read_text()
    assert f"Exec={prefix}/bin/clustergenie\n" in menu

    gui = subprocess.Popen(
        [str(prefix / "bin" / "clustergenie"), "--log-level", "INFO"],
        env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert gui.stderr is not None  # stderr=PIPE
    try:
        log = wait_for_line(lines_of(gui.stderr), "connection: connected", within=120)
    finally:
        gui.kill()
        gui.wait(timeout=30)
    started = next(line for line in log if "starting bundled server" in line)
    assert f"{app_dir}/clustergenie-server " in started  # the bundle's own server, not a Python
    deadline = time.monotonic() + 30
    while running_from(app_dir):  # the server sees its stdin close and exits: no orphan
        assert time.monotonic() < deadline, f"left running: {running_from(app_dir)}"
        time.sleep(0.1)

    check_headless_server_and_cli(prefix / "bin", env, tmp_path)

    subprocess.run(["sh", str(unpacked / "install.sh"), "--uninstall"], env=env, check=True)
    assert not app_dir.exists()
    for program in ("clustergenie", "clustergenie-server", "clustergenie-ctl"):
        assert not (prefix / "bin" / program).exists()


def check_headless_server_and_cli(bin_dir: Path, env: dict[str, str], tmp_path: Path) -> None:
    """The installed server runs headless and the installed CLI drives it."""
    for program in ("clustergenie", "clustergenie-server", "clustergenie-ctl"):
        shown = subprocess.run(
            [str(bin_dir / program), "--version"], env=env, capture_output=True, text=True,
            timeout=60, check=False,
        )  # fmt: skip
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.startswith(f"{program} "), shown.stdout
    token = "package-test-token-0123456789abcdef"
    server_env = {**env, "CLUSTERGENIE_TOKEN": token}
    server = subprocess.Popen(
        [str(bin_dir / "clustergenie-server"), "--listen", "127.0.0.1:0", "--time-scale", "80",
         "--failure-rate", "0", "--database-url", f"sqlite:///{tmp_path}/headless.db"],
        env=server_env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        ready = wait_for_line(lines_of(server.stdout), "CLUSTERGENIE_READY", within=120)[-1]
        address = ready.split()[1]
        ctl = [str(bin_dir / "clustergenie-ctl"), "--server", address]
        created = subprocess.run(
            [*ctl, "cluster", "create", "packaged", "--count", "2", "--wait", "-o", "json"],
            env=server_env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert created.returncode == 0, created.stderr
        assert json.loads(created.stdout)["active_droplet_count"] == 2
        listed = subprocess.run(
            [*ctl, "droplet", "list"], env=server_env, capture_output=True, text=True,
            timeout=60, check=False,
        )  # fmt: skip
        assert listed.returncode == 0, listed.stderr
        assert [line.split()[1] for line in listed.stdout.splitlines()[1:]] == [
            "packaged-1", "packaged-2",
        ]  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
