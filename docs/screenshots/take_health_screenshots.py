"""Regenerate the Health screenshots: PYTHONPATH=$PWD python <this file> (offscreen).

Starts a throwaway server, creates a cluster and an HTTP check through the app, injects a crash
loop on one droplet, and saves grabs of the Health panel (unhealthy, then recovered) and of the
Overview's unhealthy-targets tile next to this file.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from clustergenie_gui.app import Application, AppOptions  # noqa: E402
from clustergenie_gui.models.health_model import STATE_COLOURS  # noqa: E402
from tests.auth_support import TEST_TOKEN  # noqa: E402
from tests.gui.conftest import start_server  # noqa: E402

GREEN, RED = STATE_COLOURS["healthy"], STATE_COLOURS["unhealthy"]


async def wait_for(condition: Callable[[], bool], within: float = 30.0) -> None:
    """Poll condition() until true (a script, so polling is fine here)."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.1)


def select(app: Application, label: str) -> None:
    """Select a target row of the grid, as a click would."""
    grid = app.health_panel.grid
    grid.clearSelection()
    top = grid.topLevelItem(0)
    for j in range(top.childCount() if top else 0):
        child = top.child(j) if top else None
        if child is not None and child.text(0) == label:
            grid.setCurrentItem(child)


async def main(qt: QApplication, folder: Path) -> None:
    """Drive the app through the scenario and save the grabs."""
    server = start_server(folder / "db.sqlite", "--time-scale", "20", "--failure-rate", "0")
    token = folder / "token"
    token.write_text(TEST_TOKEN)  # noqa: ASYNC240 - a script
    app = Application(AppOptions(server=server.address, token_file=str(token)))
    app.window.resize(1500, 900)
    app.window.show()
    app.start()
    await wait_for(lambda: app.connection.state == "connected")
    await wait_for(lambda: app.provision_panel.form.size_combo.count() > 0)
    app.provisioning.create_cluster(
        "web", "nyc1", "s-1vcpu-1gb", "ubuntu-24-04-x64", 3, ["traffic:flat"]
    )
    droplets = app.provisioning.droplets
    await wait_for(
        lambda: (
            droplets.rowCount() == 3 and all(d.status.value == "active" for d in droplets.items())
        ),
        60,
    )
    cluster, sick = app.provisioning.clusters.item(0), droplets.item(0)
    assert cluster is not None
    assert sick is not None
    app.window.show_panel("Health")
    form = app.health_panel.form
    form.target_id.setValue(cluster.id)
    form.interval.setValue(1.0)
    form.timeout.setValue(0.5)
    form.locations.setText("nyc1,ams3,sgp1")
    form.quorum.setValue(2)
    app.health.create_check(form.form())
    await wait_for(lambda: app.health_panel.state_colour_of(sick.name) == GREEN)
    await asyncio.sleep(8)  # some history before the fault
    app.faults.inject("crash_loop", cluster.id, sick.id, 0.0, 0.0)
    await wait_for(lambda: app.health_panel.state_colour_of(sick.name) == RED)
    await asyncio.sleep(6)
    select(app, sick.name)
    await asyncio.sleep(1.5)
    app.window.grab().save(str(HERE / "health_panel_unhealthy.png"))
    app.window.show_panel("Overview")
    await asyncio.sleep(0.5)
    app.window.grab().save(str(HERE / "health_overview_tile.png"))
    app.window.show_panel("Health")
    for fault in app.faults.faults:
        app.faults.clear(fault.id)
    await wait_for(lambda: app.health_panel.state_colour_of(sick.name) == GREEN)
    await asyncio.sleep(2)
    select(app, sick.name)
    await asyncio.sleep(1.5)
    app.window.grab().save(str(HERE / "health_panel_recovered.png"))
    await app.shutdown()
    server.kill()
    qt.quit()


if __name__ == "__main__":
    qt_app = QApplication(sys.argv)
    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp, loop:
        loop.run_until_complete(main(qt_app, Path(tmp)))
