"""Regenerate health_form.png and health_maintenance.png: PYTHONPATH=$PWD python <this file>
[folder] (offscreen; next to this file unless a folder is given).

Starts a throwaway server, fills the check form with an HTTP POST (a header the server refuses,
shown under its field), adds a check of a closed port, then a one-off and a weekly maintenance
window through the dialog, and saves grabs of the form and of the dialog.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import qasync
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QApplication

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from clustergenie_gui.app import Application, AppOptions  # noqa: E402
from tests.auth_support import TEST_TOKEN  # noqa: E402
from tests.gui.conftest import start_server  # noqa: E402


async def wait_for(condition: Callable[[], bool], within: float = 30.0) -> None:
    """Poll condition() until true (a script, so polling is fine here)."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.1)


async def main(qt: QApplication, folder: Path, out: Path) -> None:
    """Drive the app through the scenario and save the grabs."""
    server = start_server(folder / "db.sqlite", "--time-scale", "20", "--failure-rate", "0")
    token = folder / "token"
    token.write_text(TEST_TOKEN)  # noqa: ASYNC240 - a script
    app = Application(AppOptions(server=server.address, token_file=str(token)))
    app.window.resize(1280, 900)
    app.window.show()
    app.start()
    await wait_for(lambda: app.connection.state == "connected")
    app.window.show_panel("Health")
    form = app.health_panel.form
    form.name.setText("api-orders")
    form.target_kind.setCurrentText("address")
    form.address.setText("http://127.0.0.1:9/orders")
    form.method.setCurrentText("POST")
    form.headers.setPlainText("Content-Type: application/json\nX-Probe clustergenie")
    form.body.setPlainText('{"sku": "probe", "dry_run": true}')
    form.status_max.setValue(299)
    form.interval.setValue(5.0)
    form.timeout.setValue(1.0)
    form.conditions.setText("[STATUS] == 201 && [RESPONSE_TIME] < 500")
    app.health.create_check(form.form())
    await wait_for(lambda: form.error_for("headers").isVisible())
    await asyncio.sleep(0.5)
    form.grab().save(str(out / "health_form.png"))
    form.headers.setPlainText("Content-Type: application/json\nX-Probe: clustergenie")
    app.health.create_check(form.form())
    await wait_for(lambda: app.health_panel.grid.topLevelItemCount() == 1)
    dialog = app.health_menu.open_maintenance()
    started = QDateTime.currentDateTime().addSecs(-600)
    dialog.starts.setDateTime(started)
    dialog.ends.setDateTime(started.addSecs(5400))
    dialog.description.setText("database failover drill")
    app.health_admin.add_window(dialog.entered())
    await wait_for(lambda: len(dialog.rows()) == 1)
    dialog.repeats.setCurrentIndex(dialog.repeats.findData("weekly"))
    dialog.starts.setDateTime(QDateTime.currentDateTime().addDays(2))
    dialog.lasts.setValue(45)
    dialog.description.setText("kernel upgrades")
    app.health_admin.add_window(dialog.entered())
    await wait_for(lambda: len(dialog.rows()) == 2)
    await asyncio.sleep(0.5)
    dialog.grab().save(str(out / "health_maintenance.png"))
    await app.shutdown()
    server.kill()
    qt.quit()


if __name__ == "__main__":
    qt_app = QApplication(sys.argv)
    loop = qasync.QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    with tempfile.TemporaryDirectory() as tmp, loop:
        loop.run_until_complete(main(qt_app, Path(tmp), target))
