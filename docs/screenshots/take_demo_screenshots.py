"""Play the demo once in the real desktop app and screenshot each step, as docs/DEMO.md shows.

    xvfb-run -a -s "-screen 0 1920x1080x24" python docs/screenshots/take_demo_screenshots.py

It starts `clustergenie --demo` (the bundled server, time scale 5: about 17 minutes), follows the
banner like a presenter (switching to the panel each step is about), pauses once, skips one
wait, runs `clustergenie-ctl cluster list` against the app's server, and saves the window under
docs/screenshots/demo/ (plus one `import -window root` of the whole X screen).
"""

from __future__ import annotations

import asyncio
import os
import sys
from asyncio.subprocess import PIPE, STDOUT
from collections.abc import Callable
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication

from clustergenie_gui.app import Application, AppOptions
from clustergenie_gui.client.demo_types import DemoState

OUT = Path(__file__).resolve().parent / "demo"
ROOT = Path(__file__).resolve().parents[2]


def log(text: str) -> None:
    """Progress on stdout."""
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


async def until(app: Application, test: Callable[[DemoState], bool], within: float) -> DemoState:
    """Poll the banner's state until test(state) (a script: polling is fine here)."""
    vm = app.demo_banner.view_model
    async with asyncio.timeout(within):
        while not test(vm.state):  # noqa: ASYNC110
            await asyncio.sleep(0.25)
    return vm.state


def reached(name: str) -> Callable[[DemoState], bool]:
    """A test: the milestone `name` is reached."""
    return lambda s: any(m.name == name and m.reached for m in s.milestones)


async def shot(app: Application, name: str, settle: float = 2.0) -> None:
    """Let the panels redraw, then save the window."""
    await asyncio.sleep(settle)
    app.window.grab().save(str(OUT / f"{name}.png"))
    log(f"saved {name}.png: {app.demo_banner.view_model.state.title}")


async def run(env: dict[str, str], *argv: str) -> str:
    """A command's stdout and stderr, without blocking the Qt loop."""
    process = await asyncio.create_subprocess_exec(
        *argv, cwd=ROOT, env=env, stdout=PIPE, stderr=STDOUT
    )
    out, _ = await process.communicate()
    return out.decode(errors="replace")


async def open_latest_session(app: Application, cluster: str) -> None:
    """The Diagnose panel on `cluster`, showing its newest stored session."""
    app.window.show_panel("Diagnose")
    panel = app.diagnose_panel
    panel.cluster_combo.setCurrentIndex(panel.cluster_combo.findText(cluster))
    await asyncio.sleep(2.0)
    if panel.sessions_list.count():
        item = panel.sessions_list.item(0)
        panel.sessions_list.setCurrentItem(item)
        panel.sessions_list.itemActivated.emit(item)  # as a double-click on it does


async def present(app: Application) -> None:
    """Follow the story step by step."""
    OUT.mkdir(parents=True, exist_ok=True)
    app.window.resize(1920, 1040)
    await until(app, lambda s: s.running and s.step >= 1 and "are up" in s.detail, 600)
    await shot(app, "01-stage")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERGENIE_")}
    listed = await run(env, sys.executable, "-m", "clustergenie_cli", "cluster", "list")
    (OUT / "ctl-cluster-list.txt").write_text(listed)
    log(f"clustergenie-ctl cluster list:\n{listed}")
    await run(env, "import", "-window", "root", str(OUT / "00-desktop.png"))

    # The countdown to the spike: pause it once, as a presenter taking a question would.
    await until(app, lambda s: s.seconds_to_next > 30, 60)
    app.demo_banner.pause_button.click()
    await until(app, lambda s: s.paused, 10)
    await shot(app, "02-paused", 1.0)
    app.demo_banner.pause_button.click()
    await until(app, lambda s: not s.paused, 10)

    await until(app, lambda s: s.step >= 2, 600)
    app.window.show_panel("Scaling")
    shop = next(c for c in app.provisioning.clusters.items() if c.name == "shop")
    app.scaling_panel.select_cluster(shop.id)
    app.scaling.load_policy()  # the demo set it after the panel first loaded
    await until(app, reached("scale_out"), 900)
    await shot(app, "03-scale-out", 20.0)

    await until(app, lambda s: s.step >= 3, 900)
    app.window.show_panel("Overview")
    await until(app, lambda s: s.step >= 4, 600)
    await shot(app, "04-bad-deploy", 1.0)
    await until(app, reached("bad_deploy_diagnosed"), 600)
    await open_latest_session(app, "api")
    await shot(app, "05-diagnosed", 4.0)
    await until(app, reached("rollback_resolved"), 900)
    await open_latest_session(app, "api")
    await shot(app, "06-rolled-back", 4.0)

    # The long wait before the leak: skip ahead, as a presenter short of time would.
    await until(app, lambda s: s.step >= 5 and s.seconds_to_next > 30, 120)
    app.demo_banner.skip_button.click()
    await until(app, lambda s: s.step >= 6, 60)
    app.window.show_panel("Health")
    await until(app, reached("leak_alert_with_cause"), 1800)
    await shot(app, "07-leak-alert", 3.0)
    await open_latest_session(app, "batch")
    await shot(app, "08-leak-cause", 4.0)
    await until(app, lambda s: s.finished, 900)
    app.window.show_panel("Overview")
    await shot(app, "09-the-end", 3.0)


def main() -> int:
    """Run the app with --demo and the presenter beside it."""
    qt = QApplication(sys.argv[:1])
    qt.setApplicationName("ClusterGenie-demo-screenshots")
    qt.setStyle("Fusion")
    qt.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(qt)
    asyncio.set_event_loop(loop)
    with loop:
        app = Application(AppOptions(demo=True))

        async def both() -> None:
            running = asyncio.ensure_future(app.run())
            try:
                await present(app)
            finally:
                app.window.close()
                await running

        loop.run_until_complete(both())
    return 0


if __name__ == "__main__":
    sys.exit(main())
