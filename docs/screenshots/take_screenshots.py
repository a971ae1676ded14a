"""Regenerate the GUI screenshots: xvfb-run -s "-screen 0 1400x900x24" python <this file>.

Starts a throwaway server, creates a few clusters through the app's own client, and saves
grabs of the main window's panels next to this file.
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
from PySide6.QtWidgets import QApplication

from clustergenie_gui.app import Application, AppOptions
from clustergenie_gui.viewmodels.connection_viewmodel import ConnectionState

HERE = Path(__file__).resolve().parent


async def wait_for(condition: object, within: float = 30.0) -> None:
    """Poll condition() until true (a script, so polling is fine here)."""
    async with asyncio.timeout(within):
        while not condition():  # type: ignore[operator]  # noqa: ASYNC110
            await asyncio.sleep(0.1)


async def scenario(app: Application) -> None:
    """Seed data, then grab each interesting panel."""
    app.window.show()
    app.start()
    await wait_for(lambda: app.connection.state == ConnectionState.CONNECTED)
    await wait_for(lambda: app.provisioning.catalog.sizes)
    client = app.client
    catalog = app.provisioning.catalog
    size = catalog.sizes[2].slug
    image = catalog.images[0].slug
    await client.create_cluster("web-prod", "nyc1", size, image, 4, ["web", "prod"])
    await client.create_cluster("db-primary", "ams3", catalog.sizes[4].slug, image, 2, ["db"])
    await client.create_cluster("batch", "fra1", size, image, 3, ["batch"])
    await wait_for(lambda: app.jobs.running_count == 0, 60)
    droplets = [d for d in app.provisioning.droplets.items() if d.name.startswith("batch")]
    await client.power_off_droplet(droplets[0].id)
    await client.create_cluster("staging", "sfo3", size, image, 2, ["staging"])
    await asyncio.sleep(1.0)
    app.window.show_panel("Provision")
    app.provision_panel.select_cluster(app.provisioning.clusters.items()[-1].id)
    app.provision_panel.droplet_view.selectRow(1)
    await asyncio.sleep(0.5)
    app.window.grab().save(str(HERE / "main_window.png"))
    app.window.show_panel("Jobs")
    app.jobs_panel.table.selectRow(0)
    await asyncio.sleep(0.3)
    app.window.grab().save(str(HERE / "jobs.png"))
    await scaling_scenario(app)
    app.window.show_panel("Overview")
    await asyncio.sleep(1.0)
    app.window.grab().save(str(HERE / "overview.png"))
    dialog = app.open_audit_log()  # File → Audit log…
    await wait_for(lambda: app.audit.entries.rowCount() > 0)
    await asyncio.sleep(0.3)
    dialog.grab().save(str(HERE / "audit_log.png"))
    about = app.open_about()  # Help → About ClusterGenie…
    await wait_for(lambda: app.about.server_info is not None)
    about.grab().save(str(HERE / "about.png"))
    await app.shutdown()


async def scaling_scenario(app: Application) -> None:
    """A CPU policy on web-prod, a traffic spike, and the Scaling panel a few minutes later."""
    from clustergenie_gui.client.types import FaultKind, ScalingMetric, ScalingPolicy

    cluster = next(c for c in app.provisioning.clusters.items() if c.name == "web-prod")
    app.window.show_panel("Scaling")
    app.scaling_panel.select_cluster(cluster.id)
    await wait_for(lambda: app.scaling.cluster_id == cluster.id)
    await app.client.set_policy(ScalingPolicy(cluster.id, ScalingMetric.CPU, 55.0, 2, 8))
    app.scaling.load_policy()
    # Let the graph fill with calm traffic first, then spike it for a few simulated minutes.
    await asyncio.sleep(45)
    await app.client.inject_fault(
        FaultKind.TRAFFIC_SPIKE, cluster.id, magnitude=3.0, duration_seconds=240
    )
    await asyncio.sleep(60)
    app.scaling_panel.decision_view.selectRow(0)
    await asyncio.sleep(0.5)
    app.window.grab().save(str(HERE / "scaling.png"))


def main() -> None:
    """Run the scenario against a fresh server."""
    database = Path(tempfile.mkdtemp()) / "db.sqlite"
    token = secrets.token_urlsafe(24)
    os.environ["CLUSTERGENIE_TOKEN"] = token  # the server's one admin token; the app sends it
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
            "0.2",
            "--seed",
            "3",
            "--exit-with-stdin",
            "--log-level",
            "WARNING",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
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
