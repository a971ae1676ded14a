"""RowTableModel: a QAbstractTableModel over a sorted list of frozen dataclasses keyed by id."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QFontDatabase

from clustergenie_gui.models import rows as r
from clustergenie_gui.models.components.palette_in_force import tone_colour

T = TypeVar("T", bound=r.HasId)

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
"""Data role returning the row's dataclass."""

SORT_ROLE = Qt.ItemDataRole.UserRole + 3
"""Optional data role: a cell's own sort key (a number, a timestamp); None sorts by its text."""

Index = QModelIndex | QPersistentModelIndex


def monospace_font() -> QFont:
    """The system fixed-width font, for ids and addresses."""
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


class RowTableModel(QAbstractTableModel, Generic[T]):
    """Rows sorted by SORT_KEY, one per id; subclasses define COLUMNS and display().

    Lookups by id are O(log n): a dict holds each id's value and a parallel list its sort key,
    so a stream of updates to 1,000 rows costs no scan per update. COUNT_KEY, when set, keeps
    a running count of rows per key value (e.g. per status), read with counts().
    """

    COLUMNS: ClassVar[tuple[str, ...]] = ()
    SORT_KEY: ClassVar[r.SortKey] = staticmethod(r.newest_first)
    COUNT_KEY: ClassVar[Callable[[Any], Hashable] | None] = None
    MONOSPACE_COLUMNS: ClassVar[frozenset[int]] = frozenset()
    STATE_COLUMN: ClassVar[int | None] = None

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []
        self._keys: list[Any] = []  # SORT_KEY of each row, same order
        self._by_id: dict[int, T] = {}
        self._counts: Counter[Hashable] = Counter()
        self._mono = monospace_font()

    def _sort_key(self, item: T) -> Any:
        return type(self).SORT_KEY(item)

    def _index_of(self, item_id: int) -> int | None:
        item = self._by_id.get(item_id)
        if item is None:
            return None
        index = bisect.bisect_left(self._keys, self._sort_key(item))
        while self._rows[index].id != item_id:  # only when sort keys are not unique
            index += 1
        return index

    def _count(self, item: T, delta: int) -> None:
        count_key = type(self).COUNT_KEY
        if count_key is not None:
            self._counts[count_key(item)] += delta

    def _insert(self, index: int, item: T) -> None:
        self._rows.insert(index, item)
        self._keys.insert(index, self._sort_key(item))
        self._by_id[item.id] = item
        self._count(item, 1)

    def _delete(self, index: int) -> None:
        item = self._rows.pop(index)
        del self._keys[index]
        del self._by_id[item.id]
        self._count(item, -1)

    def counts(self) -> dict[Hashable, int]:
        """Rows per COUNT_KEY value (only values with rows); empty without a COUNT_KEY."""
        return {key: count for key, count in self._counts.items() if count}

    # Read access ---------------------------------------------------------------------

    def items(self) -> list[T]:
        """A copy of the rows, in display order."""
        return list(self._rows)

    def item(self, row: int) -> T | None:
        """The value at row, or None when out of range."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def get(self, item_id: int) -> T | None:
        """The value with item_id, or None."""
        return self._by_id.get(item_id)

    def row_of(self, item_id: int) -> int | None:
        """Row index of the value with item_id, or None."""
        return self._index_of(item_id)

    # Changes -------------------------------------------------------------------------

    def upsert(self, item: T) -> None:
        """Insert item or replace its older version, keeping the sort order."""
        plan = self._plan_upsert(item)
        if plan.new is None:
            return
        if plan.old is None:
            self.beginInsertRows(QModelIndex(), plan.new, plan.new)
            self._insert(plan.new, item)
            self.endInsertRows()
        elif plan.old == plan.new:
            self._delete(plan.old)
            self._insert(plan.new, item)
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(plan.old, 0), self.index(plan.old, last))
        else:
            # Qt's destination row counts positions before the move.
            destination = plan.new + 1 if plan.new > plan.old else plan.new
            self.beginMoveRows(QModelIndex(), plan.old, plan.old, QModelIndex(), destination)
            self._delete(plan.old)
            self._insert(plan.new, item)
            self.endMoveRows()
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(plan.new, 0), self.index(plan.new, last))

    def _plan_upsert(self, item: T) -> r.Upsert:
        """What r.plan_upsert computes, by bisection on the kept sort keys instead of scans."""
        old = self._index_of(item.id)
        if old is not None and r.is_stale(self._rows[old], item):
            return r.Upsert(old=old, new=None)
        new = bisect.bisect_left(self._keys, self._sort_key(item))
        if old is not None and new > old:
            new -= 1  # positions among the other rows
        return r.Upsert(old=old, new=new)

    def upsert_many(self, items: Iterable[T]) -> None:
        """Upsert each item."""
        for item in items:
            self.upsert(item)

    def remove(self, item_id: int) -> None:
        """Remove the row with item_id, if present."""
        index = self._index_of(item_id)
        if index is None:
            return
        self.beginRemoveRows(QModelIndex(), index, index)
        self._delete(index)
        self.endRemoveRows()

    def prune(self, keep: Iterable[int]) -> None:
        """Remove every row whose id is not in keep."""
        for item_id in r.missing_ids(self._rows, set(keep)):
            self.remove(item_id)

    def clear(self) -> None:
        """Remove every row."""
        self.beginResetModel()
        self._rows.clear()
        self._keys.clear()
        self._by_id.clear()
        self._counts.clear()
        self.endResetModel()

    # Qt overrides --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of rows (0 under any parent: this is a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of columns."""
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Display text, state colours, monospace ids and the row value under ITEM_ROLE."""
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(item, column)
        if role == ITEM_ROLE:
            return item
        if role == Qt.ItemDataRole.FontRole and column in self.MONOSPACE_COLUMNS:
            return self._mono
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATE_COLUMN:
            return tone_colour(str(self.display(item, column)))
        return self.extra_data(item, column, role)

    # For subclasses ------------------------------------------------------------------

    def display(self, item: T, column: int) -> str:
        """Text for one cell."""
        raise NotImplementedError

    def extra_data(self, item: T, column: int, role: int) -> Any:
        """Other roles (tooltips, alignment, custom roles); None by default."""
        return None

    @staticmethod
    def sequence_ids(items: Sequence[r.HasId]) -> set[int]:
        """Ids of items."""
        return {item.id for item in items}
