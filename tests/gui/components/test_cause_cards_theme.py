"""Graphs follow the theme: a Diagnose evidence graph and every styled plot redraw in dark."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from clustergenie_gui.client import diagnosis_types as d
from clustergenie_gui.models.components.palette import DARK, LIGHT
from clustergenie_gui.widgets.components.theme import ThemeManager
from clustergenie_gui.widgets.diagnosis_cards import CauseCard
from tests.gui.conftest import OFFSCREEN_WARNING

pytestmark = OFFSCREEN_WARNING

SURGE = d.Finding(
    "traffic_surge", "web-prod", 0, "critical", 0.97, 1.0e9,
    "traffic to web-prod rose ×6.9",
    metrics=(d.MetricPoints("offered_rps", "web-prod", (1.0e9, 1.0e9 + 60, 1.0e9 + 120),
                            (200.0, 900.0, 1400.0), 204.0, "req/s"),),
)  # fmt: skip


def graph_colours(card: CauseCard) -> tuple[str, str]:
    """(background, curve pen) of the card's evidence graph, as a user sees them."""
    plot = card.findChild(pg.PlotWidget)
    assert plot is not None
    (curve,) = plot.getPlotItem().listDataItems()
    return plot.backgroundBrush().color().name(), curve.opts["pen"].color().name()


def test_the_evidence_graph_and_heading_follow_the_theme(qtbot: QtBot, qapp: QApplication) -> None:
    theme = ThemeManager(qapp, "light")
    try:
        card = CauseCard(SURGE, title="Root cause")
        qtbot.addWidget(card)
        card.show()
        assert graph_colours(card) == (LIGHT.graph_background, LIGHT.series[0])
        assert card.heading.property("tone") == "bad"  # critical
        theme.set_choice("dark")
        qtbot.waitUntil(lambda: graph_colours(card) == (DARK.graph_background, DARK.series[0]))
        assert card.heading.palette().color(card.heading.foregroundRole()).name() == DARK.bad
    finally:
        theme.set_choice("light")
        theme.deleteLater()


def test_every_styled_plot_follows_the_theme(qtbot: QtBot, qapp: QApplication) -> None:
    """Health's latency graph and the Logs graphs are styled plots with no theme code."""
    from clustergenie_gui.widgets.health_panel import LatencyGraph

    theme = ThemeManager(qapp, "light")
    try:
        graph = LatencyGraph()
        qtbot.addWidget(graph)
        graph.show()
        assert graph.plot.backgroundBrush().color().name() == LIGHT.graph_background
        theme.set_choice("dark")
        qtbot.waitUntil(
            lambda: graph.plot.backgroundBrush().color().name() == DARK.graph_background
        )
        axis = graph.plot.getPlotItem().getAxis("left")
        assert (axis.labelText, axis.labelUnits) == ("latency", "ms")  # restyled, not reset
    finally:
        theme.set_choice("light")
        theme.deleteLater()
