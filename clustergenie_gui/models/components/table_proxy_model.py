"""TableProxyModel: natural sort, filter text and an optional row predicate over a RowTableModel.

API (for every panel's table):
    proxy = TableProxyModel(); proxy.setSourceModel(model)
    proxy.set_filter_text("state:failed web")   # words in any column, `column:word` in one
    proxy.set_row_predicate(lambda item: item.cluster_id == 3)   # or None for every row
    proxy.item_at(row) -> the row's dataclass; proxy.row_of_id(id) -> proxy row or None
    proxy.sort(column, order) sorts naturally (api-stage-2 < api-stage-10); column -1 keeps
    the source order (newest first, by name...).
Sort keys come from SORT_ROLE when the source gives one (numbers, datetimes), else from the
display text through natural_key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from clustergenie_gui.models.components.natural_sort import FilterQuery, natural_key, parse_filter
from clustergenie_gui.models.row_table_model import ITEM_ROLE, SORT_ROLE

Index = QModelIndex | QPersistentModelIndex
RowPredicate = Callable[[Any], bool]


class TableProxyModel(QSortFilterProxyModel):
    """Sorts naturally, filters by typed words and by a predicate on the row's value."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._query = FilterQuery()
        self._filter_text = ""
        self._predicate: RowPredicate | None = None
        self.setDynamicSortFilter(True)
        self.setSortRole(SORT_ROLE)

    @property
    def filter_text(self) -> str:
        """The filter as typed."""
        return self._filter_text

    def set_filter_text(self, text: str) -> None:
        """Show only rows with every word of text (see natural_sort.parse_filter)."""
        if text == self._filter_text:
            return
        self._refilter(lambda: self._set_query(text))

    def _set_query(self, text: str) -> None:
        self._filter_text = text
        self._query = parse_filter(text)

    def set_row_predicate(self, predicate: RowPredicate | None) -> None:
        """Show only rows whose value passes predicate (None: every row)."""
        self._refilter(lambda: setattr(self, "_predicate", predicate))

    def refilter(self) -> None:
        """Re-run the predicate (its inputs changed, e.g. another cluster was chosen)."""
        self._refilter(lambda: None)

    def _refilter(self, change: Callable[[], object]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10; invalidateRowsFilter before
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateRowsFilter()

    def item_at(self, row: int) -> Any:
        """The dataclass of proxy row, or None."""
        return self.index(row, 0).data(ITEM_ROLE) if 0 <= row < self.rowCount() else None

    def row_of_id(self, item_id: int) -> int | None:
        """Proxy row of the item with item_id, or None when it is absent or filtered out."""
        source = self.sourceModel()
        row_of = getattr(source, "row_of", None)
        if row_of is None:
            return None
        source_row = row_of(item_id)
        if source_row is None:
            return None
        index = self.mapFromSource(source.index(source_row, 0))
        return index.row() if index.isValid() else None

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        """Accept rows passing the predicate and containing every filter word."""
        source = self.sourceModel()
        if self._predicate is not None:
            item = source.index(source_row, 0, source_parent).data(ITEM_ROLE)
            if item is None or not self._predicate(item):
                return False
        if self._query.empty:
            return True
        orientation = Qt.Orientation.Horizontal
        cells = {
            str(source.headerData(column, orientation)).casefold(): str(
                source.index(source_row, column, source_parent).data() or ""
            )
            for column in range(source.columnCount())
        }
        return self._query.matches(cells)

    def lessThan(self, left: Index, right: Index) -> bool:
        """Natural order of display texts, or the source's SORT_ROLE keys when it has them."""
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a is None or b is None or type(a) is not type(b):
            a = natural_key(str(left.data() or ""))
            b = natural_key(str(right.data() or ""))
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)
