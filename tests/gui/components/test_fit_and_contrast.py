"""Every panel fits 1024×700 with nothing clipped, and its text is readable in the dark theme."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application, AppOptions
from clustergenie_gui.client.types import Catalog, DropletStatus, Image, JobState, Region, Size
from clustergenie_gui.models.components.palette import DARK, contrast_ratio
from tests.gui.conftest import OFFSCREEN_WARNING
from tests.gui.fakes import make_cluster, make_droplet, make_job

pytestmark = OFFSCREEN_WARNING

SMALLEST = QSize(1024, 700)


@pytest.fixture
def app(qtbot: QtBot, qloop: object) -> Iterator[Application]:
    """The whole window with some rows in every table; never connected (nothing to wait on)."""
    application = Application(AppOptions(server="127.0.0.1:9"))
    provisioning, jobs = application.provisioning, application.jobs
    # Real catalog entries are long ("s-1vcpu-512mb-10gb — 1 vCPU · 512 MB · 10 GB disk …").
    catalog = Catalog(
        regions=(Region("nyc1", "New York 1"), Region("sfo3", "San Francisco 3")),
        sizes=(
            Size("s-1vcpu-512mb-10gb", 1, 512, 10, 4.0),
            Size("s-8vcpu-16gb", 8, 16384, 320, 96.0),
        ),
        images=(Image("ubuntu-24-04-x64", "Ubuntu 24.04 (LTS) x64", "Ubuntu"),),
    )
    provisioning._catalog = catalog
    provisioning.catalog_changed.emit(catalog)
    provisioning.apply(make_cluster(1, "web-prod-frontend", droplet_count=3))
    provisioning.apply(make_cluster(2, "api-stage", droplet_count=1))
    for droplet_id, status in enumerate(
        (DropletStatus.ACTIVE, DropletStatus.OFF, DropletStatus.ERRORED), start=1
    ):
        provisioning.apply(
            make_droplet(droplet_id, name=f"web-prod-frontend-{droplet_id}", status=status)
        )
    jobs.apply(make_job(1, JobState.FAILED, error="no capacity left in nyc1 for this size"))
    jobs.apply(make_job(2, JobState.RUNNING))
    application.window.show()
    qtbot.waitExposed(application.window)
    yield application
    application.window.close()
    application.window.deleteLater()


def panels(app: Application) -> Iterator[tuple[str, QWidget]]:
    """Show each panel in turn."""
    for title in app.window.panel_titles():
        app.window.show_panel(title)
        yield title, app.window.stack.currentWidget()


def visible_widgets(panel: QWidget) -> list[QWidget]:
    return [w for w in panel.findChildren(QWidget) if w.isVisibleTo(panel) and w.isVisible()]


def inside_scroll_area(widget: QWidget, panel: QWidget) -> bool:
    """Content of a scroll area may extend past what shows: the area scrolls."""
    parent = widget.parentWidget()
    while parent is not None and parent is not panel:
        if isinstance(parent.parentWidget(), QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def clipped(widget: QWidget, panel: QWidget) -> str:
    """Why widget is clipped inside panel, or ""."""
    if inside_scroll_area(widget, panel) or isinstance(
        widget.parentWidget(), QAbstractSpinBox | QComboBox
    ):
        return ""  # scrolled content; a spin box's or combo's own editor (checked as a whole)
    top_left = widget.mapTo(panel, widget.rect().topLeft())
    bottom_right = widget.mapTo(panel, widget.rect().bottomRight())
    if not panel.rect().contains(top_left) or not panel.rect().contains(bottom_right):
        corners = f"{top_left.toTuple()}..{bottom_right.toTuple()}"
        return f"outside the panel {corners}"
    textual = isinstance(widget, (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox))
    if isinstance(widget, QLabel) and not widget.wordWrap() and widget.text():
        textual = True
    if textual:
        need = widget.minimumSizeHint()
        if widget.width() < need.width() or widget.height() < need.height():
            return (
                f"{widget.width()}x{widget.height()} < its minimum {need.width()}x{need.height()}"
            )
    return ""


def test_every_panel_fits_1024_by_700_with_nothing_clipped(app: Application, qtbot: QtBot) -> None:
    window = app.window
    window.resize(SMALLEST)
    qtbot.waitUntil(lambda: window.size() == SMALLEST or window.minimumSizeHint().width() > 0)
    problems = []
    for title, panel in panels(app):
        qtbot.waitUntil(panel.isVisible)
        panel.layout().activate()
        if window.size() != SMALLEST:
            problems.append(
                f"{title}: the window cannot be {SMALLEST.toTuple()}: {window.size().toTuple()}"
            )
        for widget in visible_widgets(panel):
            if why := clipped(widget, panel):
                name = widget.objectName() or type(widget).__name__
                text = getattr(widget, "text", lambda: "")()
                problems.append(f"{title}: {name} {text!r}: {why}")
    assert "\n".join(problems) == ""


def background_of(widget: QWidget) -> QColor:
    """The colour text of widget is drawn on: its own or the nearest painted ancestor's."""
    current: QWidget | None = widget
    while current is not None:
        role = current.backgroundRole()
        colour = current.palette().color(role)
        paints = (
            current.autoFillBackground()
            or current.testAttribute(Qt.WidgetAttribute.WA_StyledBackground)
            or current.isWindow()
            or isinstance(current, QAbstractItemView | QLineEdit)
        )
        if paints and colour.alpha() == 255:
            return colour
        current = current.parentWidget()
    return QColor(DARK.window)


def test_every_panel_is_readable_in_the_dark_theme(app: Application, qtbot: QtBot) -> None:
    assert app.theme is not None
    app.theme.set_choice("dark")
    assert app.theme.palette is DARK
    window = app.window
    window.resize(QSize(1920, 1080))
    problems = []
    checked = 0
    for title, panel in panels(app):
        qtbot.waitUntil(panel.isVisible)
        for widget in visible_widgets(panel):
            if not isinstance(widget, (QLabel, QAbstractButton, QLineEdit, QComboBox)):
                continue
            if not widget.isEnabled() or not getattr(widget, "text", lambda: "")():
                continue  # disabled text is exempt (WCAG 1.4.3)
            foreground = widget.palette().color(widget.foregroundRole())
            background = background_of(widget)
            ratio = contrast_ratio(foreground.name(), background.name())
            checked += 1
            if ratio < 4.5:
                problems.append(
                    f"{title}: {widget.objectName() or type(widget).__name__} "
                    f"{widget.text()!r}: {foreground.name()} on {background.name()} = {ratio:.2f}"
                )
        for view in panel.findChildren(QAbstractItemView):
            model = view.model()
            if model is None or not view.isVisible():
                continue
            base = view.palette().color(view.backgroundRole())
            for row in range(min(model.rowCount(), 20)):
                for column in range(model.columnCount()):
                    brush = model.index(row, column).data(Qt.ItemDataRole.ForegroundRole)
                    colour = QColor(brush) if brush is not None else view.palette().text().color()
                    for ground in (base, view.palette().alternateBase().color()):
                        ratio = contrast_ratio(colour.name(), ground.name())
                        checked += 1
                        if ratio < 4.5:
                            problems.append(f"{title}: cell {row},{column}: {ratio:.2f}")
    assert checked > 100  # the walk reached the panels' text
    assert "\n".join(problems) == ""
