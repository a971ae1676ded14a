"""DemoBanner: a strip above the panels saying what the demo shows and what is about to happen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clustergenie_gui.client.demo_types import DemoState
from clustergenie_gui.viewmodels.demo_viewmodel import DemoViewModel

MILESTONE_LABELS = {
    "scale_out": "scale-out",
    "bad_deploy_diagnosed": "bad deploy diagnosed",
    "rollback_resolved": "roll-back resolved",
    "leak_alert_with_cause": "leak alert with cause",
}


def countdown(seconds: float) -> str:
    """m:ss of a wall-clock wait."""
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class DemoBanner(QFrame):
    """Binds to a DemoViewModel (whoever places it shows it while a demo plays)."""

    def __init__(self, demo: DemoViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demoBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # Theme-aware: the palette's roles, so light and dark both read well.
        self.setStyleSheet(
            "QFrame#demoBanner { background-color: palette(alternate-base);"
            " border: none; border-bottom: 2px solid palette(highlight); }"
        )
        self.view_model = demo
        self.title_label = QLabel()
        self.title_label.setObjectName("demoTitle")
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        self.next_label = QLabel()
        self.milestones_label = QLabel()
        self.error_label = QLabel()
        self.error_label.setObjectName("demoError")
        self.pause_button = QPushButton("Pause")
        self.skip_button = QPushButton("Skip ahead")
        self.pause_button.setToolTip("Hold the countdown to the next incident")
        self.skip_button.setToolTip("Start the next step now")
        text = QVBoxLayout()
        text.setSpacing(2)
        for label in (self.title_label, self.detail_label, self.next_label):
            text.addWidget(label)
        text.addWidget(self.milestones_label)
        text.addWidget(self.error_label)
        buttons = QVBoxLayout()
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.skip_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addLayout(text, 1)
        layout.addLayout(buttons)
        self.pause_button.clicked.connect(demo.toggle_pause)
        self.skip_button.clicked.connect(demo.skip)
        demo.state_changed.connect(self._on_state_changed)
        demo.error.connect(self._on_error)
        self._on_state_changed(demo.state)
        self._on_error("")

    def _on_state_changed(self, state: DemoState) -> None:
        if not state.running:
            return
        self.title_label.setText(f"Demo {state.step}/{state.step_count} · {state.title}")
        self.detail_label.setText(state.detail)
        if state.finished:
            self.next_label.setText("The story is over; the clusters keep running.")
        elif state.paused:
            self.next_label.setText(
                f"Paused · next: {state.next_title} "
                f"({countdown(state.seconds_to_next)} left when resumed)"
            )
        elif state.seconds_to_next > 0:
            self.next_label.setText(
                f"Next: {state.next_title} in {countdown(state.seconds_to_next)}"
            )
        else:
            self.next_label.setText(f"Next: {state.next_title}" if state.next_title else "")
        self.milestones_label.setText(
            "   ".join(
                f"{'✔' if m.reached else '○'} {MILESTONE_LABELS.get(m.name, m.name)}"
                for m in state.milestones
            )
        )
        self.milestones_label.setTextFormat(Qt.TextFormat.PlainText)
        self.pause_button.setText("Resume" if state.paused else "Pause")
        self.pause_button.setEnabled(not state.finished)
        self.skip_button.setEnabled(not state.finished)

    def _on_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
