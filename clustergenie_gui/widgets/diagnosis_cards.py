"""Cause cards of the Diagnose panel: the root cause or a symptom, its evidence (a small graph
of the metric that proves it, facts, events, log lines) and its remedies with a preview."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.client import diagnosis_types as d
from clustergenie_gui.models.components.palette_in_force import colour, current_palette
from clustergenie_gui.widgets.components.theme import set_role, set_tone

# A finding's severity -> the palette tone of its heading and of the card's left stripe.
TONES = {"critical": "bad", "warning": "busy", "info": ""}


def _label(text: str, *, bold: bool = False, tone: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    set_tone(label, tone)
    return label


def metric_graph(points: d.MetricPoints) -> QWidget:
    """A small, static graph of the evidence's metric (with its baseline, when known)."""
    import pyqtgraph as pg  # loaded with the first card, not at start-up

    from clustergenie_gui.widgets.graph_tools import FollowTheme, theme_plot

    plot = pg.PlotWidget()
    plot.setFixedHeight(110)
    item = plot.getPlotItem()
    item.setMenuEnabled(False)
    item.setMouseEnabled(x=False, y=False)
    item.hideButtons()
    item.hideAxis("bottom")
    item.getAxis("left").enableAutoSIPrefix(False)
    item.setLabel("left", f"{points.metric} ({points.unit})" if points.unit else points.metric)
    # Error rates read better as percentages.
    scale = 100.0 if points.metric == "error_rate" else 1.0

    def draw() -> None:
        """(Re)draw in the palette in force: at creation and on every theme change."""
        palette = current_palette()
        theme_plot(plot)
        item.clear()
        if not points.times:
            return
        t0 = points.times[0]
        xs = [(t - t0) / 60.0 for t in points.times]
        ys = [v * scale for v in points.values]
        item.plot(xs, ys, pen=pg.mkPen(colour(palette.series[0]), width=2))
        if points.baseline is not None:
            item.addLine(
                y=points.baseline * scale,
                pen=pg.mkPen(colour(palette.crosshair), style=Qt.PenStyle.DashLine),
            )

    draw()
    FollowTheme(plot, draw)
    plot.setObjectName(f"graph_{points.metric}")
    widget: QWidget = plot
    return widget


class RemedyRow(QWidget):
    """A remedy: its title and Apply; Apply shows the preview and Confirm/Cancel."""

    def __init__(self, remedy: d.Remedy, apply: Callable[[str], object]) -> None:
        super().__init__()
        self.remedy = remedy
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        row = QHBoxLayout()
        fixes = "" if remedy.fixes else " (relieves, does not fix)"
        row.addWidget(_label(f"{remedy.title}{fixes}"), 1)
        self.apply_button = QPushButton("Apply…")
        self.apply_button.setObjectName(f"apply_{remedy.id}")
        row.addWidget(self.apply_button)
        layout.addLayout(row)
        self.preview = QFrame()
        set_role(self.preview, "card")
        box = QVBoxLayout(self.preview)
        box.addWidget(_label(f"What changes: {remedy.changes}"))
        box.addWidget(_label(f"Cost: {remedy.cost_text}"))
        buttons = QHBoxLayout()
        self.confirm_button = QPushButton(f"Confirm: {remedy.title}")
        self.cancel_button = QPushButton("Cancel")
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.preview.hide()
        layout.addWidget(self.preview)
        self.apply_button.clicked.connect(self.preview.show)
        self.cancel_button.clicked.connect(self.preview.hide)

        def confirm() -> None:
            self.preview.hide()
            apply(remedy.id)

        self.confirm_button.clicked.connect(confirm)


class CauseCard(QFrame):
    """One finding as a card: severity, summary, chain, evidence, remedies."""

    def __init__(
        self,
        finding: d.Finding,
        *,
        title: str,
        chain: tuple[str, ...] = (),
        remedies: tuple[d.Remedy, ...] = (),
        apply: Callable[[str], object] = lambda _id: None,
        show_logs: Callable[[d.Finding], object] | None = None,
    ) -> None:
        super().__init__()
        self.finding = finding
        tone = TONES.get(finding.severity, "")
        self.setObjectName("cause_card")
        self.setProperty("severity", finding.severity)  # the stripe's colour (theme.py)
        set_role(self, "card")  # the theme's surface and border
        layout = QVBoxLayout(self)
        head = f"{title}: {finding.kind.replace('_', ' ')} · {finding.target} · {finding.severity}"
        self.heading = _label(f"{head} · {finding.confidence:.0%}", bold=True, tone=tone)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        # The finding's droplet (or cluster) lines in the Logs panel, where the evidence is.
        self.logs_button = QPushButton("Show logs")
        self.logs_button.setToolTip(f"{finding.target}'s lines in the Logs panel")
        if show_logs is None or not finding.target:
            self.logs_button.hide()  # (never setVisible(True) while parentless: a window)
        else:
            self.logs_button.clicked.connect(lambda: show_logs(finding))
        top.addWidget(self.logs_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(_label(finding.summary))
        if len(chain) > 1:
            layout.addWidget(_label("Chain: " + " → ".join(chain)))
        facts = [f"{k}: {v}" for k, v in finding.facts if v]
        if facts:
            layout.addWidget(_label(" · ".join(facts)))
        if finding.metrics:
            layout.addWidget(metric_graph(finding.metrics[0]))
        for text in finding.events[:3]:
            layout.addWidget(_label(f"event: {text}"))
        for text in finding.logs[:4]:
            layout.addWidget(_label(f"log: {text}"))
        self.remedy_rows = [RemedyRow(r, apply) for r in remedies]
        for row in self.remedy_rows:
            layout.addWidget(row)
