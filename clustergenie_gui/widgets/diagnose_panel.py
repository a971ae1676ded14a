"""DiagnosePanel: ask about a cluster or droplet, watch the steps and the streamed answer, see
the root cause and symptoms as cards with evidence, apply a remedy, follow the timeline and
the session history, export a session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.client import diagnosis_types as d
from clustergenie_gui.models.cluster_list_model import ClusterListModel
from clustergenie_gui.models.components.navigation import Navigation, logs_of
from clustergenie_gui.models.droplet_table_model import DropletTableModel
from clustergenie_gui.viewmodels.diagnosis_viewmodel import SUGGESTIONS, DiagnosisViewModel
from clustergenie_gui.widgets.common import ErrorLabel, panel_header
from clustergenie_gui.widgets.components.theme import set_role, set_tone
from clustergenie_gui.widgets.diagnosis_cards import CauseCard

WINDOWS = (("last 15 min", 900.0), ("last hour", 3600.0), ("last 6 h", 21_600.0),
           ("last 24 h", 86_400.0))  # fmt: skip


def _clock(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%H:%M:%S")


def finding_logs(finding: d.Finding) -> Navigation | None:
    """A finding's logs: its droplet's lines, or its cluster's when it names the cluster."""
    if finding.droplet_id:
        return logs_of(droplet=finding.target)
    return logs_of(cluster=finding.target)


class DiagnosePanel(QWidget):
    """Binds to a DiagnosisViewModel; the cluster and droplet lists come from provisioning.

    Signals:
        navigate_requested(object): a Navigation (a card's Show logs).
    """

    navigate_requested = Signal(object)

    SIDE_REFRESH_MS = 10_000

    def __init__(
        self,
        vm: DiagnosisViewModel,
        clusters: ClusterListModel,
        droplets: DropletTableModel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._vm, self._clusters, self._droplets = vm, clusters, droplets
        self.cards: list[CauseCard] = []
        self._side_timer = QTimer(self)
        self._side_timer.setInterval(self.SIDE_REFRESH_MS)
        self._side_timer.timeout.connect(self.refresh_side)
        # Applying a remedy needs the operator role: the wiring gates each Apply button.
        self._gate: Callable[[QWidget], None] = lambda _widget: None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(
            panel_header(
                "Diagnose", "Ask what is wrong; get the root cause, its evidence and a fix."
            )
        )
        layout.addLayout(self._build_controls())
        layout.addLayout(self._build_suggestions())
        self.error_label = ErrorLabel()
        layout.addWidget(self.error_label)
        layout.addWidget(self._build_body(), 1)
        self._connect()
        self._fill_clusters()

    def _build_controls(self) -> QVBoxLayout:
        self.cluster_combo = QComboBox()
        self.cluster_combo.setMinimumWidth(140)
        self.droplet_combo = QComboBox()
        self.droplet_combo.setMinimumWidth(140)
        self.window_combo = QComboBox()
        for label, seconds in WINDOWS:
            self.window_combo.addItem(label, seconds)
        self.window_combo.setCurrentIndex(1)
        self.question_edit = QLineEdit()
        self.question_edit.setPlaceholderText(
            "Ask a question, e.g. what is wrong with this cluster?"
        )
        completer = QCompleter(list(SUGGESTIONS), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.question_edit.setCompleter(completer)
        self.ask_button = QPushButton("Ask")
        self.ask_button.setDefault(True)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.new_button = QPushButton("New session")
        self.export_button = QPushButton("Export…")
        # Two rows: what to look at, then the question (one row did not fit 1024 px).
        scope = QHBoxLayout()
        for widget in (
            QLabel("Cluster"), self.cluster_combo, QLabel("Droplet"), self.droplet_combo,
            self.window_combo,
        ):  # fmt: skip
            scope.addWidget(widget)
        scope.addStretch(1)
        scope.addWidget(self.new_button)
        scope.addWidget(self.export_button)
        ask = QHBoxLayout()
        ask.addWidget(self.question_edit, 1)
        ask.addWidget(self.ask_button)
        ask.addWidget(self.stop_button)
        rows = QVBoxLayout()
        rows.addLayout(scope)
        rows.addLayout(ask)
        return rows

    def _build_suggestions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel("Try:"), 0, Qt.AlignmentFlag.AlignTop)
        grid = QGridLayout()  # three a row: all five in one row did not fit 1024 px
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(0)
        self.suggestion_buttons = []
        for i, text in enumerate(SUGGESTIONS):
            button = QPushButton(text)
            button.setFlat(True)
            set_role(button, "link")  # the accent colour of the theme in force
            button.clicked.connect(lambda _=False, text=text: self._ask(text))
            self.suggestion_buttons.append(button)
            grid.addWidget(button, *divmod(i, 3), Qt.AlignmentFlag.AlignLeft)
        row.addLayout(grid)
        row.addStretch(1)
        return row

    def _build_body(self) -> QSplitter:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel("Sessions"))
        self.sessions_list = QListWidget()
        side_layout.addWidget(self.sessions_list)
        splitter.addWidget(side)

        center = QWidget()
        c = QVBoxLayout(center)
        c.setContentsMargins(0, 0, 0, 0)
        c.addWidget(QLabel("Investigation"))
        self.steps_list = QListWidget()
        self.steps_list.setMaximumHeight(130)
        self.steps_list.setWordWrap(True)
        c.addWidget(self.steps_list)
        self.answer_view = QTextBrowser()
        self.answer_view.setOpenExternalLinks(False)
        self.answer_view.setMinimumHeight(160)
        c.addWidget(self.answer_view, 2)
        self.progress_label = QLabel("")
        self.progress_label.setWordWrap(True)
        c.addWidget(self.progress_label)
        self.verdict_label = QLabel("")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setObjectName("verdict_label")
        self.verdict_label.setMinimumHeight(36)
        c.addWidget(self.verdict_label)
        self.cards_host = QWidget()
        self.cards_layout = QVBoxLayout(self.cards_host)
        self.cards_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.cards_host)
        c.addWidget(scroll, 3)
        splitter.addWidget(center)

        right = QWidget()
        r = QVBoxLayout(right)
        r.setContentsMargins(0, 0, 0, 0)
        r.addWidget(QLabel("Timeline"))
        self.timeline_list = QListWidget()
        self.timeline_list.setWordWrap(True)
        r.addWidget(self.timeline_list)
        splitter.addWidget(right)
        splitter.setSizes([180, 760, 300])
        return splitter

    def _connect(self) -> None:
        vm = self._vm
        self.ask_button.clicked.connect(lambda: self._ask(self.question_edit.text()))
        self.question_edit.returnPressed.connect(lambda: self._ask(self.question_edit.text()))
        self.stop_button.clicked.connect(vm.cancel)
        self.new_button.clicked.connect(vm.new_session)
        self.export_button.clicked.connect(vm.export)
        self.cluster_combo.currentIndexChanged.connect(self._on_cluster_changed)
        # A click shows the session, as Enter or a double click does.
        for opened in (self.sessions_list.itemActivated, self.sessions_list.itemClicked):
            opened.connect(lambda item: vm.open_session(int(item.data(Qt.ItemDataRole.UserRole))))
        self._clusters.modelReset.connect(self._fill_clusters)
        self._clusters.rowsInserted.connect(self._fill_clusters)
        self._clusters.rowsRemoved.connect(self._fill_clusters)
        self._droplets.rowsInserted.connect(self._fill_droplets)
        self._droplets.modelReset.connect(self._fill_droplets)
        vm.busy_changed.connect(self._on_busy_changed)
        vm.started.connect(self._on_started)
        vm.step_added.connect(self._on_step_added)
        vm.findings_ready.connect(self._on_findings_ready)
        vm.answer_changed.connect(self._show_answer)
        vm.remedies_ready.connect(self._on_remedies_ready)
        vm.remedy_progress.connect(self.progress_label.setText)
        vm.verdict_ready.connect(self._on_verdict_ready)
        vm.sessions_changed.connect(self._on_sessions_changed)
        vm.timeline_changed.connect(self._on_timeline_changed)
        vm.exported.connect(self._on_exported)
        vm.error.connect(self.error_label.show_message)

    def set_gate(self, gate: Callable[[QWidget], None]) -> None:
        """How each new Apply button is gated (RoleGate.add with the operator role)."""
        self._gate = gate

    # -- inputs ---------------------------------------------------------------------------

    def logs_navigation(self) -> Navigation | None:
        """Ctrl+L: the logs of the card holding the focus, else the root cause's, else of the
        droplet (or cluster) chosen to diagnose."""
        focused = QApplication.focusWidget()
        card = next((c for c in self.cards if focused is not None and c.isAncestorOf(focused)),
                    self.cards[0] if self.cards else None)  # fmt: skip
        if card is not None:
            return finding_logs(card.finding)
        if self.droplet_combo.currentData():
            return logs_of(droplet=self.droplet_combo.currentText())
        return logs_of(cluster=self.cluster_combo.currentText())

    def _show_logs(self, finding: d.Finding) -> None:
        nav = finding_logs(finding)
        if nav is not None:
            self.navigate_requested.emit(nav)

    def cluster_id(self) -> int:
        """The chosen cluster's id (0: none)."""
        value = self.cluster_combo.currentData()
        return int(value) if value else 0

    def _ask(self, question: str) -> None:
        text = question.strip() or SUGGESTIONS[0]
        self.question_edit.setText(text)
        droplet = self.droplet_combo.currentData()
        window = float(self.window_combo.currentData())
        self._vm.ask(self.cluster_id(), int(droplet or 0), text, window)

    def _fill_clusters(self, *_args: object) -> None:
        current = self.cluster_id()
        self.cluster_combo.blockSignals(True)
        self.cluster_combo.clear()
        for cluster in self._clusters.items():
            self.cluster_combo.addItem(cluster.name, cluster.id)
        index = self.cluster_combo.findData(current)
        self.cluster_combo.setCurrentIndex(max(0, index))
        self.cluster_combo.blockSignals(False)
        self._on_cluster_changed()

    def _fill_droplets(self, *_args: object) -> None:
        cluster_id, current = self.cluster_id(), self.droplet_combo.currentData()
        self.droplet_combo.blockSignals(True)
        self.droplet_combo.clear()
        self.droplet_combo.addItem("whole cluster", 0)
        for droplet in self._droplets.items():
            if droplet.cluster_id == cluster_id:
                self.droplet_combo.addItem(droplet.name, droplet.id)
        self.droplet_combo.setCurrentIndex(max(0, self.droplet_combo.findData(current)))
        self.droplet_combo.blockSignals(False)

    def _on_cluster_changed(self, *_args: object) -> None:
        self._fill_droplets()
        self.refresh_side()

    def refresh_side(self) -> None:
        """Reload the cluster's timeline and the session history (shown, then every
        SIDE_REFRESH_MS while shown: others' deploys, jobs and sessions appear)."""
        if self.cluster_id() and not self._vm.busy:
            self._vm.refresh(self.cluster_id(), float(self.window_combo.currentData()))

    def showEvent(self, event: QShowEvent) -> None:
        """Shown: the side panes catch up, then follow."""
        super().showEvent(event)
        self.refresh_side()
        self._side_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        """Hidden: nothing polls."""
        super().hideEvent(event)
        self._side_timer.stop()

    # -- outputs --------------------------------------------------------------------------

    def _on_busy_changed(self, busy: bool) -> None:
        self.ask_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
        for row in (r for card in self.cards for r in card.remedy_rows):
            row.apply_button.setEnabled(not busy)

    def _on_started(self, question: str) -> None:
        self.steps_list.clear()
        self.answer_view.clear()
        if question != "follow-up":
            self.verdict_label.setText("")
            self.progress_label.setText("")
            self._clear_cards()

    def _on_step_added(self, step: d.Step) -> None:
        item = QListWidgetItem(f"{step.index}. {step.tool} — {step.summary}")
        item.setToolTip(step.summary)
        self.steps_list.addItem(item)
        self.steps_list.scrollToBottom()

    def _clear_cards(self) -> None:
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        self.cards = []

    def _on_findings_ready(self, findings: d.Findings) -> None:
        self._clear_cards()
        self._findings = findings
        if not findings.causes:
            text = "No root cause found. Checked: " + ", ".join(findings.checked)
            self.progress_label.setText(text)
            return
        self._add_cards(findings, ())

    def _add_cards(self, findings: d.Findings, remedies: tuple[d.Remedy, ...]) -> None:
        self._clear_cards()
        root = findings.causes[0]
        logs = self._show_logs
        self._add(CauseCard(root.cause, title="Root cause", chain=root.chain, remedies=remedies,
                            apply=self._vm.apply_remedy, show_logs=logs))  # fmt: skip
        for symptom in root.symptoms[:4]:
            self._add(CauseCard(symptom, title="Symptom", show_logs=logs))
        for other in findings.causes[1:3]:
            self._add(CauseCard(other.cause, title="Also", chain=other.chain, show_logs=logs))

    def _add(self, card: CauseCard) -> None:
        self.cards_layout.insertWidget(self.cards_layout.count() - 1, card)
        self.cards.append(card)
        for row in card.remedy_rows:
            self._gate(row.apply_button)

    def _on_remedies_ready(self, remedies: list[d.Remedy]) -> None:
        findings = getattr(self, "_findings", None)
        if findings is not None and findings.causes:
            self._add_cards(findings, tuple(remedies))

    def _on_verdict_ready(self, verdict: d.Verdict) -> None:
        mark = "✔" if verdict.resolved else "✘"
        set_tone(self.verdict_label, "good" if verdict.resolved else "bad")
        font = self.verdict_label.font()
        font.setBold(True)
        self.verdict_label.setFont(font)
        self.verdict_label.setText(f"{mark} Follow-up: {verdict.text}")

    def _on_sessions_changed(self, sessions: list[d.SessionInfo]) -> None:
        self.sessions_list.clear()
        for s in sessions:
            item = QListWidgetItem(f"{s.title}")
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            item.setToolTip(f"session {s.id}, updated {_clock(s.updated_at)}")
            self.sessions_list.addItem(item)

    def _on_timeline_changed(self, entries: list[d.TimelineEntry]) -> None:
        self.timeline_list.clear()
        for e in reversed(entries):
            self.timeline_list.addItem(f"{_clock(e.time)}  {e.kind}: {e.text}")

    def _show_answer(self, markdown: str) -> None:
        """The answer as Markdown without raw HTML: it quotes log lines and patterns, whose
        `<*>` and `<NUM>` (or a sender's `<b>`) must read as text, not vanish as tags."""
        features = QTextDocument.MarkdownFeature
        self.answer_view.document().setMarkdown(
            markdown, features.MarkdownDialectGitHub | features.MarkdownNoHTML
        )

    def _on_exported(self, name: str, markdown: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the session", name, "Markdown (*.md)")
        if path:
            Path(path).write_text(markdown, encoding="utf-8")
            self.progress_label.setText(f"Exported to {path}")
