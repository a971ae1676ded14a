"""Regenerate the GUI screenshots: xvfb-run -s "-screen 0 1920x1080x24" python <this file>.

Starts a throwaway server, fills it through the app's own client (clusters, a failed job, a
policy, a traffic spike), then saves every panel in the light and dark themes at 1024x700 and
1920x1080 under docs/screenshots/<theme>-<width>/, plus the command palette, a confirmation
and the shortcut sheet.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from clustergenie_gui.app import Application, AppOptions
from clustergenie_gui.client.types import FaultKind, ScalingMetric, ScalingPolicy
from clustergenie_gui.models.components.navigation import Navigation
from clustergenie_gui.models.droplet_table_model import DropletAction
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionState

HERE = Path(__file__).resolve().parent
SIZES = ((1024, 700), (1920, 1080))


async def wait_for(condition: object, within: float = 60.0) -> None:
    """Poll condition() until true (a script, so polling is fine here)."""
    async with asyncio.timeout(within):
        while not condition():  # type: ignore[operator]  # noqa: ASYNC110
            await asyncio.sleep(0.1)


async def settle(seconds: float = 0.6) -> None:
    """Let the redraw timers paint."""
    await asyncio.sleep(seconds)


def save(widget: QWidget, path: Path) -> None:
    """Grab widget into path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(path))
    sys.stdout.write(f"{path.relative_to(HERE)}\n")


async def seed(app: Application) -> None:
    """Clusters (one with 12 droplets, to show natural sort), a policy and a traffic spike."""
    client, catalog = app.client, app.provisioning.catalog
    image = catalog.images[0].slug
    await client.create_cluster("web-prod", "nyc1", catalog.sizes[2].slug, image, 4, ["web"])
    await client.create_cluster("api-stage", "ams3", catalog.sizes[1].slug, image, 12, ["api"])
    await client.create_cluster("db-primary", "fra1", catalog.sizes[4].slug, image, 2, ["db"])
    await wait_for(lambda: app.jobs.running_count == 0, 120)
    web = next(c for c in app.provisioning.clusters.items() if c.name == "web-prod")
    await client.set_policy(ScalingPolicy(web.id, ScalingMetric.CPU, 55.0, 2, 8))
    app.window.show_panel("Scaling")
    app.scaling_panel.select_cluster(web.id)
    await wait_for(lambda: app.scaling.cluster_id == web.id)
    app.scaling.load_policy()
    await asyncio.sleep(20)
    await client.inject_fault(FaultKind.TRAFFIC_SPIKE, web.id, magnitude=3.0, duration_seconds=240)
    app.faults.refresh()
    await asyncio.sleep(40)


async def panels(app: Application, theme: str) -> None:
    """Every panel at every size in one theme."""
    assert app.theme is not None
    app.theme.set_choice(theme)
    window = app.window
    for width, height in SIZES:
        window.resize(width, height)
        for position, title in enumerate(window.panel_titles(), start=1):
            window.show_panel(title)
            if title == "Provision":
                cluster = next(
                    c for c in app.provisioning.clusters.items() if c.name == "api-stage"
                )
                app.provision_panel.select_cluster(cluster.id)
                proxy = app.provision_panel.proxy
                app.provision_panel.droplet_table.select_ids(
                    [proxy.item_at(row).id for row in range(min(3, proxy.rowCount()))]
                )
            if title == "Jobs":
                app.jobs_panel.data_table.set_filter_text("")
            await settle()
            save(window, HERE / f"{theme}-{width}" / f"{position}-{title.lower()}.png")


async def extras(app: Application) -> None:
    """The command palette, a confirmation, the shortcut sheet, a filtered table (dark)."""
    window = app.window
    window.resize(1280, 800)
    window.open_command_palette()
    palette = window.command_palette
    assert palette is not None
    palette.query_edit.setText("api 1")
    await settle()
    save(palette, HERE / "extras" / "command-palette.png")
    palette.query_edit.setText("")
    await settle()
    save(palette, HERE / "extras" / "command-palette-actions.png")
    palette.reject()
    window.show_panel("Provision")
    app.provision_panel.action_buttons[DropletAction.REBOOT].click()
    await settle()
    if app.provision_panel.confirm_box is not None:
        save(app.provision_panel.confirm_box, HERE / "extras" / "confirm-reboot.png")
        app.provision_panel.confirm_box.reject()
    sheet = window.open_shortcut_sheet()
    await settle()
    save(sheet, HERE / "extras" / "shortcut-sheet.png")
    sheet.reject()
    window.navigate(Navigation("Jobs", "state:succeeded kind:provision"))
    await settle()
    save(window, HERE / "extras" / "jobs-filtered.png")


async def scenario(app: Application) -> None:
    """Seed, then grab."""
    app.window.show()
    app.start()
    await wait_for(lambda: app.connection.state == ConnectionState.CONNECTED)
    await wait_for(lambda: app.provisioning.catalog.sizes)
    await seed(app)
    for theme in ("light", "dark"):
        await panels(app, theme)
    await extras(app)
    await app.shutdown()


def main() -> None:
    """Run the scenario against a fresh server."""
    database = Path(tempfile.mkdtemp()) / "db.sqlite"
    os.environ["CLUSTERGENIE_TOKEN"] = secrets.token_urlsafe(24)  # the server's admin token
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "clustergenie_server",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            f"sqlite:///{database}",
            "--time-scale",
            "8",
            "--failure-rate",
            "0.08",
            "--seed",
            "3",
            "--exit-with-stdin",
            "--log-level",
            "ERROR",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    address = server.stdout.readline().split()[1]
    # A settings folder of its own: no saved columns or theme from the user's own runs.
    for scope in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(scope, QSettings.Scope.UserScope, tempfile.mkdtemp())
    qt_app = QApplication(sys.argv[:1])
    qt_app.setStyle("Fusion")
    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    with loop:
        app = Application(AppOptions(server=address))
        loop.run_until_complete(scenario(app))
    server.kill()


if __name__ == "__main__":
    main()
