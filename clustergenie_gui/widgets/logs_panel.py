"""The Logs panel: query bar, live log graphs, the live tail and the patterns tab; it binds to
LogsViewModel and does no work of its own."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QColor, QFontDatabase, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.client.logs_types import LogPattern
from clustergenie_gui.models.components.navigation import Navigation
from clustergenie_gui.models.components.palette_in_force import tone_colour
from clustergenie_gui.models.log_table_model import row_text
from clustergenie_gui.viewmodels.logs_viewmodel import LogsViewModel
from clustergenie_gui.widgets.components.theme import set_role
from clustergenie_gui.widgets.graph_tools import TimeRangePicker
from clustergenie_gui.widgets.logs_graph_widget import LogsGraph


class LogsPanel(QWidget):
    """Everything an operator keeps open all day."""

    def __init__(self, vm: LogsViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vm = vm
        self.query_box = QComboBox()
        self.query_box.setEditable(True)
        self.query_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.query_box.setEditText(vm.query)
        edit = self.query_box.lineEdit()
        assert edit is not None  # an editable combo box has one
        self.query_edit: QLineEdit = edit
        self.query_edit.setPlaceholderText('{cluster="web-prod"} |= "timeout"')
        self._completions = QStringListModel(self)
        completer = QCompleter(self._completions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.query_box.setCompleter(completer)
        self.run_button = QPushButton("Run")
        self.range_box = TimeRangePicker()  # the shared one: 10 min, 1 h, 6 h, 24 h, custom
        self.error_label = QLabel()
        set_role(self.error_label, "field_error")  # the theme's error text, light or dark
        self.error_label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        self.graph = LogsGraph(vm.stats)
        self.table = QTableView()
        self.table.setModel(vm.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((0, 100), (1, 60), (2, 110)):
            self.table.setColumnWidth(column, width)
        self.follow_button = QPushButton("Pause")
        self.follow_button.setCheckable(True)
        self.new_label = QLabel()
        self.copy_button = QPushButton("Copy")
        self.older_button = QPushButton("Load older")
        self.status_label = QLabel()
        set_role(self.status_label, "muted")

        self.patterns = QTableWidget(0, 4)
        self.patterns.setHorizontalHeaderLabels(["Count", "New", "Template", "First seen"])
        self.patterns.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.patterns.verticalHeader().hide()
        self.patterns_button = QPushButton("Refresh patterns")

        self._layout()
        self._bind()

    def _layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Query"))
        bar.addWidget(self.query_box, 1)
        bar.addWidget(self.run_button)
        bar.addWidget(QLabel("Range"))
        bar.addWidget(self.range_box)
        lines = QWidget()
        lines_layout = QVBoxLayout(lines)
        lines_layout.setContentsMargins(0, 0, 0, 0)
        tools = QHBoxLayout()
        for w in (self.follow_button, self.new_label, self.copy_button, self.older_button):
            tools.addWidget(w)
        tools.addStretch(1)
        tools.addWidget(self.status_label)
        lines_layout.addLayout(tools)
        lines_layout.addWidget(self.table)
        patterns = QWidget()
        patterns_layout = QVBoxLayout(patterns)
        patterns_layout.setContentsMargins(0, 0, 0, 0)
        patterns_layout.addWidget(self.patterns_button, 0, Qt.AlignmentFlag.AlignLeft)
        patterns_layout.addWidget(self.patterns)
        self.tabs = QTabWidget()
        self.tabs.addTab(lines, "Lines")
        self.tabs.addTab(patterns, "Patterns")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.graph)
        split.addWidget(self.tabs)
        split.setSizes([260, 500])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.error_label)
        layout.addWidget(split, 1)

    def _bind(self) -> None:
        vm = self._vm
        self.query_edit.returnPressed.connect(self._on_run)
        self.run_button.clicked.connect(self._on_run)
        self.range_box.range_changed.connect(vm.set_range)
        self.follow_button.toggled.connect(lambda paused: vm.set_following(not paused))
        self.copy_button.clicked.connect(self.copy_selection)
        QShortcut(QKeySequence.StandardKey.Copy, self.table, self.copy_selection)
        self.older_button.clicked.connect(vm.load_older)
        self.patterns_button.clicked.connect(vm.refresh_patterns)
        self.graph.clicked.connect(vm.jump_to)
        vm.query_error.connect(self._on_query_error)
        vm.paused_count_changed.connect(self._on_paused_count)
        vm.following_changed.connect(self._on_following)
        vm.stats_changed.connect(self.graph.redraw)
        vm.patterns_changed.connect(self._on_patterns)
        vm.labels_changed.connect(self._on_labels)
        vm.jumped.connect(self._on_jumped)
        vm.busy_changed.connect(lambda busy: self.older_button.setEnabled(not busy))
        vm.status_changed.connect(self.status_label.setText)
        vm.model.rowsInserted.connect(self._on_rows_inserted)

    def apply_navigation(self, nav: Navigation) -> None:
        """Run nav.filter_text as the query ("Show logs" of a droplet, a cluster...): the
        tail follows again, on the Lines tab, and the graphs restart with it."""
        if not nav.filter_text:
            return
        self.query_box.setEditText(nav.filter_text)
        self._vm.set_following(True)
        self.tabs.setCurrentIndex(0)
        self._on_run()

    # ------------------------------------------------------------------ slots
    def _on_run(self) -> None:
        text = self.query_box.currentText()
        self._vm.set_query(text)
        self.query_box.blockSignals(True)
        self.query_box.clear()
        self.query_box.addItems(self._vm.history)
        self.query_box.setEditText(text)
        self.query_box.blockSignals(False)

    def _on_query_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def _on_paused_count(self, count: int) -> None:
        self.new_label.setText(f"{count:,} new lines" if count else "")

    def _on_following(self, following: bool) -> None:
        self.follow_button.blockSignals(True)
        self.follow_button.setChecked(not following)
        self.follow_button.blockSignals(False)
        self.follow_button.setText("Pause" if following else "Follow")
        if following:
            self.table.scrollToBottom()

    def _on_rows_inserted(self) -> None:
        if self._vm.following:
            self.table.scrollToBottom()

    def _on_jumped(self, t: float) -> None:
        self.tabs.setCurrentIndex(0)
        self.table.scrollToTop()

    def _on_labels(self, labels: dict[str, list[str]]) -> None:
        words = [f"{name}=" for name in labels]
        words += [f'{name}="{value}"' for name, values in labels.items() for value in values]
        self._completions.setStringList(words)

    def _on_patterns(self, patterns: list[LogPattern]) -> None:
        self.patterns.setRowCount(len(patterns))
        for i, p in enumerate(patterns):
            first = datetime.fromtimestamp(p.first_seen, UTC).strftime("%H:%M:%S")
            for j, text in enumerate(
                (f"{p.count:,}", "new" if p.is_new else "", p.template, first)
            ):
                item = QTableWidgetItem(text)
                if p.is_new:
                    item.setForeground(tone_colour("failed") or QColor())  # the bad tone
                self.patterns.setItem(i, j, item)

    def copy_selection(self) -> None:
        """Copy the selected rows (or every row) as text."""
        model = self._vm.model
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows:
            rows = list(range(model.rowCount()))
        text = "\n".join(row_text(model.row_at(i)) for i in rows)
        QGuiApplication.clipboard().setText(text)
