"""LogTableModel: a virtualised table over a bounded ring buffer of log rows and gap rows.

The view asks only for the rows it shows, so 100,000 buffered lines cost what 50 do to paint.
Appends arrive in batches (one beginInsertRows per batch); when the buffer is full the oldest
rows are removed first (one beginRemoveRows), so memory stays bounded whatever the rate.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from clustergenie_gui.client.logs_types import GapRow, LogRow
from clustergenie_gui.models.components.palette_in_force import colour, current_palette
from clustergenie_gui.models.log_colours import row_background, row_text_colour

Row = LogRow | GapRow
COLUMNS = ("Time", "Level", "Droplet", "Line")
DEFAULT_CAPACITY = 50_000
_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
# The roles data() answers (gap rows use the font too).
_ROLES = frozenset({_DISPLAY, _FOREGROUND, _BACKGROUND, _TOOLTIP, int(Qt.ItemDataRole.FontRole)})


def time_text(t: float) -> str:
    """A line's time as HH:MM:SS.mmm (UTC, as the graph's axis)."""
    return datetime.fromtimestamp(t, UTC).strftime("%H:%M:%S.%f")[:-3]


def row_text(row: Row) -> str:
    """A row as one line of text (for copying)."""
    if isinstance(row, GapRow):
        return f"{time_text(row.t)} --- {row.missed} lines missed: {row.reason}"
    who = row.labels.get("droplet", "")
    count = f" (x{row.count})" if row.count > 1 else ""
    return f"{time_text(row.t)} {row.level.upper():5} {who} {row.line}{count}"


class LogTableModel(QAbstractTableModel):
    """Rows oldest first; at most `capacity` of them."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY, parent: Any = None) -> None:
        super().__init__(parent)
        self.capacity = capacity
        self._rows: deque[Row] = deque()
        # Colours come from the palette in force at paint time (the theme may change).
        self._bold = QFont()
        self._bold.setBold(True)
        self._colours: dict[tuple[int, str], tuple[QColor, QColor | None]] = {}

    # ------------------------------------------------------------------ data
    def append(self, rows: Sequence[Row]) -> None:
        """Add rows at the end, dropping the oldest beyond capacity."""
        if not rows:
            return
        rows = list(rows)[-self.capacity :]
        overflow = len(self._rows) + len(rows) - self.capacity
        if overflow > 0:
            self.beginRemoveRows(QModelIndex(), 0, overflow - 1)
            for _ in range(overflow):
                self._rows.popleft()
            self.endRemoveRows()
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def prepend(self, rows: Sequence[Row]) -> None:
        """Add older rows at the top (up to the room left)."""
        room = self.capacity - len(self._rows)
        rows = list(rows)[-room:] if room > 0 else []
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
        self._rows.extendleft(reversed(rows))
        self.endInsertRows()

    def replace(self, rows: Sequence[Row]) -> None:
        """Show exactly these rows (a search result, a jump to a moment)."""
        self.beginResetModel()
        self._rows = deque(list(rows)[-self.capacity :])
        self.endResetModel()

    def row_at(self, i: int) -> Row:
        """The row at position i."""
        return self._rows[i]

    def rows(self) -> list[Row]:
        """Every row, oldest first."""
        return list(self._rows)

    def oldest_line(self) -> LogRow | None:
        """The oldest line row (the cursor to page in older lines)."""
        return next((r for r in self._rows if isinstance(r, LogRow)), None)

    def first_row_at_or_after(self, t: float) -> int:
        """Index of the first row at or after time t (len when none)."""
        for i, row in enumerate(self._rows):
            if row.t >= t:
                return i
        return len(self._rows)

    # ------------------------------------------------------------------ Qt
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = 0) -> Any:
        # Called for every role of every visible cell at each repaint (about 500 calls a
        # frame while the tail runs): the roles we never answer return before any lookup.
        if role not in _ROLES or not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if isinstance(row, GapRow):
            return self._gap_data(row, column, role)
        if role == _DISPLAY:
            if column == 0:
                return time_text(row.t)
            if column == 1:
                return row.level
            if column == 2:
                return row.labels.get("droplet", "")
            text = row.line if "\n" not in row.line else row.line.replace("\n", " ⏎ ")
            return f"{text}  (×{row.count})" if row.count > 1 else text
        if role == _FOREGROUND:
            return self._level_colours(row.level)[0] if column == 1 else None
        if role == _BACKGROUND:
            return self._level_colours(row.level)[1]
        if role == _TOOLTIP and column == 3:
            return row.line[:4000]
        return None

    def _level_colours(self, level: str) -> tuple[QColor, QColor | None]:
        """(level text, row background) of a level in the palette in force, looked up once."""
        palette = current_palette()
        key = (id(palette), level)
        found = self._colours.get(key)
        if found is None:
            background = row_background(level, palette)
            found = self._colours[key] = (
                colour(row_text_colour(level, palette)),
                colour(background) if background else None,
            )
        return found

    def _gap_data(self, row: GapRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return time_text(row.t)
            if column == 1:
                return "gap"
            if column == 3:
                return f"— {row.missed:,} lines missed here: {row.reason} —"
            return ""
        if role == Qt.ItemDataRole.BackgroundRole:
            return colour(current_palette().surface_alt)
        if role == Qt.ItemDataRole.ForegroundRole:
            return colour(current_palette().text)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        return None
