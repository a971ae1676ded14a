"""Small editable tables of the policy editor: rate limits and scheduled minimums."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.client.types import RateLimit, RateLimitKind, ScheduledMinimum
from clustergenie_gui.models.policy_format import format_weekdays, parse_weekdays

UP, DOWN = "up", "down"


def _spin(low: int, high: int, value: int, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setSuffix(suffix)
    spin.setFrame(False)
    return spin


def _combo(entries: list[tuple[str, str]], current: str) -> QComboBox:
    combo = QComboBox()
    combo.setFrame(False)
    for text, data in entries:
        combo.addItem(text, data)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class _EditableTable(QWidget):
    """A compact table of cell widgets with Add and Remove buttons under it."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, add_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMaximumHeight(112)
        self.add_button = QPushButton(add_text)
        self.remove_button = QPushButton("Remove")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)

    def _append(self, widgets: list[QWidget]) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, widget in enumerate(widgets):
            self.table.setCellWidget(row, column, widget)

    def _spin_value(self, row: int, column: int) -> int:
        widget = self.table.cellWidget(row, column)
        assert isinstance(widget, QSpinBox)
        return widget.value()

    def _combo_data(self, row: int, column: int) -> str:
        widget = self.table.cellWidget(row, column)
        assert isinstance(widget, QComboBox)
        return str(widget.currentData())

    def _text(self, row: int, column: int) -> str:
        widget = self.table.cellWidget(row, column)
        assert isinstance(widget, QLineEdit)
        return widget.text()

    def clear_rows(self) -> None:
        """Remove every row."""
        self.table.setRowCount(0)

    def _on_add_clicked(self) -> None:
        raise NotImplementedError

    def _on_remove_clicked(self) -> None:
        row = self.table.currentRow()
        self.table.removeRow(row if row >= 0 else self.table.rowCount() - 1)


class RateLimitTable(_EditableTable):
    """Rate limits of both directions: direction, at most N droplets or %, per period."""

    HEADERS = ("Direction", "At most", "Unit", "Per")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add rate limit", parent)
        self.table.setToolTip(
            "Empty: the Kubernetes defaults (up: 100 % or 4 droplets per 15 s;"
            " down: 100 % per 15 s)."
        )

    def add_row(self, direction: str, limit: RateLimit) -> None:
        """Append one rate limit of direction "up" or "down"."""
        self._append(
            [
                _combo([("scale up", UP), ("scale down", DOWN)], direction),
                _spin(1, 1000, limit.value),
                _combo(
                    [
                        ("droplets", RateLimitKind.DROPLETS.value),
                        ("%", RateLimitKind.PERCENT.value),
                    ],
                    limit.kind.value,
                ),
                _spin(1, 1800, int(limit.period_seconds), " s"),
            ]
        )

    def set_limits(self, up: tuple[RateLimit, ...], down: tuple[RateLimit, ...]) -> None:
        """Show these limits."""
        self.clear_rows()
        for direction, limits in ((UP, up), (DOWN, down)):
            for limit in limits:
                self.add_row(direction, limit)

    def limits(self, direction: str) -> tuple[RateLimit, ...]:
        """The limits of one direction, in table order."""
        result = []
        for row in range(self.table.rowCount()):
            if self._combo_data(row, 0) == direction:
                result.append(
                    RateLimit(
                        RateLimitKind(self._combo_data(row, 2)),
                        self._spin_value(row, 1),
                        float(self._spin_value(row, 3)),
                    )
                )
        return tuple(result)

    def _on_add_clicked(self) -> None:
        self.add_row(UP, RateLimit(RateLimitKind.DROPLETS, 2, 60.0))


class ScheduleTable(_EditableTable):
    """Scheduled minimums: at least N droplets from hour to hour on weekdays."""

    HEADERS = ("At least", "From (h)", "To (h)", "Weekdays")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add schedule", parent)
        self.table.setToolTip(
            "Simulated UTC hours; To is exclusive and may wrap midnight. "
            "Weekdays: 1-5, 6,7 or mon-fri; empty: every day."
        )

    def add_row(self, schedule: ScheduledMinimum) -> None:
        """Append one scheduled minimum."""
        days = QLineEdit(format_weekdays(schedule.weekdays))
        days.setPlaceholderText("every day")
        days.setFrame(False)
        self._append(
            [
                _spin(1, 1000, schedule.min_droplets),
                _spin(0, 23, schedule.start_hour),
                _spin(1, 24, schedule.end_hour),
                days,
            ]
        )

    def set_schedules(self, schedules: tuple[ScheduledMinimum, ...]) -> None:
        """Show these schedules."""
        self.clear_rows()
        for schedule in schedules:
            self.add_row(schedule)

    def schedules(self) -> tuple[ScheduledMinimum, ...]:
        """The schedules in table order; ValueError names a weekday that does not parse."""
        result = []
        for row in range(self.table.rowCount()):
            result.append(
                ScheduledMinimum(
                    self._spin_value(row, 0),
                    self._spin_value(row, 1),
                    self._spin_value(row, 2),
                    parse_weekdays(self._text(row, 3)),
                )
            )
        return tuple(result)

    def _on_add_clicked(self) -> None:
        self.add_row(ScheduledMinimum(2, 8, 18, (1, 2, 3, 4, 5)))
