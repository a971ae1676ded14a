"""Logs screenshots: xvfb-run -s "-screen 0 1400x900x24" python docs/screenshots/<this file>.

A throwaway server at time scale 20; a web-prod cluster, a few minutes of calm traffic, then a
bad deploy (the BAD_DEPLOY fault); grabs the Logs panel with the error-rate jump, then clicks
the spike and grabs the 5xx lines of that moment, then the patterns tab.
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
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from clustergenie_gui.app import Application, AppOptions
from clustergenie_gui.client.types import FaultKind
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionState

HERE = Path(__file__).resolve().parent


async def wait_for(condition: object, within: float = 60.0) -> None:
    """Poll condition() until true (a script, so polling is fine here)."""
    async with asyncio.timeout(within):
        while not condition():  # type: ignore[operator]  # noqa: ASYNC110
            await asyncio.sleep(0.1)


async def scenario(app: Application) -> None:
    """Seed, break, grab."""
    app.window.resize(1400, 900)
    app.window.show()
    app.start()
    await wait_for(lambda: app.connection.state == ConnectionState.CONNECTED)
    await wait_for(lambda: app.provisioning.catalog.sizes)
    catalog = app.provisioning.catalog
    await app.client.create_cluster(
        "web-prod", "nyc1", catalog.sizes[2].slug, catalog.images[0].slug, 3, ["web", "prod"]
    )
    await wait_for(lambda: app.jobs.running_count == 0)
    app.window.show_panel("Logs")
    panel = app.logs_panel
    panel.range_box.set_key("1h")
    panel.query_edit.setText('{cluster="web-prod"}')
    panel.run_button.click()
    await asyncio.sleep(50)  # calm traffic fills the graph
    cluster = next(c for c in app.provisioning.clusters.items() if c.name == "web-prod")
    await app.client.inject_fault(FaultKind.BAD_DEPLOY, cluster.id, magnitude=0.4)
    await asyncio.sleep(25)
    app.window.grab().save(str(HERE / "logs_bad_deploy.png"))
    stats = app.logs.stats
    bucket = int(stats.error_ratio().argmax())
    x = stats.start + (bucket + 0.5) * stats.step
    plot = panel.graph.rate_plot
    pos = plot.mapFromScene(plot.getPlotItem().vb.mapViewToScene(QPointF(x, 1.0)))
    QTest.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos.x(), pos.y()))
    await asyncio.sleep(3)
    app.window.grab().save(str(HERE / "logs_spike_lines.png"))
    panel.tabs.setCurrentIndex(1)
    app.logs.refresh_patterns()
    await wait_for(lambda: panel.patterns.rowCount() > 0)
    await asyncio.sleep(0.5)
    app.window.grab().save(str(HERE / "logs_patterns.png"))
    await app.shutdown()


def main() -> None:
    """Run the scenario against a fresh server."""
    database = Path(tempfile.mkdtemp()) / "db.sqlite"
    token = secrets.token_urlsafe(24)
    os.environ["CLUSTERGENIE_TOKEN"] = token
    server = subprocess.Popen(
        [
            sys.executable, "-m", "clustergenie_server", "--listen", "127.0.0.1:0",
            "--database-url", f"sqlite:///{database}", "--time-scale", "20",
            "--failure-rate", "0", "--seed", "5", "--exit-with-stdin", "--log-level", "WARNING",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert server.stdout is not None
    address = server.stdout.readline().split()[1]
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
