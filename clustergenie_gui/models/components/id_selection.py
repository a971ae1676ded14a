"""IdSelection: a table's selection held as row ids, so live updates never move it.

API: selection = IdSelection(selection_model); selection.ids -> tuple of selected ids;
selection.select_ids([3, 5]); selection.items() -> their dataclasses (in view order).
Signals: ids_changed(tuple) when the set of selected ids changes (not when rows only move).

Qt keeps a selection through sorting and moves, but when the selected row is removed (a
destroyed droplet, a deleted cluster) its item view makes the neighbouring row current and
selected: a following Delete would then act on a row nobody chose. This keeps exactly the
chosen ids: a removed id leaves the selection (empty if it was the only one), and a row that moves
(re-sorted by a live update) stays selected.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Signal,
)

from clustergenie_gui.models.row_table_model import ITEM_ROLE

_Flag = QItemSelectionModel.SelectionFlag


class IdSelection(QObject):
    """Tracks the ids selected in selection_model and restores them after model changes.

    Signals:
        ids_changed(tuple): the selected ids (in view order) after the user or a restore
            changed which rows are selected.
    """

    ids_changed = Signal(tuple)

    def __init__(self, selection_model: QItemSelectionModel, parent: QObject | None = None) -> None:
        super().__init__(parent or selection_model)
        self._selection = selection_model
        self._ids: tuple[int, ...] = ()
        self._restoring = False
        model = selection_model.model()
        selection_model.selectionChanged.connect(self._on_selection_changed)
        model.rowsAboutToBeRemoved.connect(self._on_rows_about_to_be_removed)
        model.rowsRemoved.connect(self._restore)
        model.rowsInserted.connect(self._restore)
        model.modelReset.connect(self._restore)
        model.layoutChanged.connect(self._restore)

    @property
    def ids(self) -> tuple[int, ...]:
        """Selected ids, in view order."""
        return self._ids

    def items(self) -> list[Any]:
        """The selected rows' dataclasses, in view order."""
        model = self._model()
        rows = sorted(index.row() for index in self._selection.selectedRows())
        return [model.index(row, 0).data(ITEM_ROLE) for row in rows]

    def select_ids(self, ids: Iterable[int], current: bool = True) -> None:
        """Select exactly the rows of ids (those shown); the first becomes current."""
        wanted = tuple(dict.fromkeys(ids))
        self._apply(wanted, make_current=current)
        self._set_ids(self._shown_ids())

    def _model(self) -> QAbstractItemModel:
        return self._selection.model()

    def _rows_by_id(self) -> dict[int, int]:
        model = self._model()
        rows: dict[int, int] = {}
        for row in range(model.rowCount()):
            item = model.index(row, 0).data(ITEM_ROLE)
            if item is not None:
                rows[item.id] = row
        return rows

    def _shown_ids(self) -> tuple[int, ...]:
        return tuple(item.id for item in self.items() if item is not None and hasattr(item, "id"))

    def _apply(self, ids: tuple[int, ...], make_current: bool) -> None:
        model = self._model()
        rows_by_id = self._rows_by_id() if ids else {}
        selection = QItemSelection()
        last_column = max(0, model.columnCount() - 1)
        rows = [rows_by_id[item_id] for item_id in ids if item_id in rows_by_id]
        for row in rows:
            selection.select(model.index(row, 0), model.index(row, last_column))
        self._restoring = True
        try:
            self._selection.select(selection, _Flag.ClearAndSelect)
            if rows and make_current:
                self._selection.setCurrentIndex(model.index(rows[0], 0), _Flag.NoUpdate)
            elif not rows:
                self._selection.setCurrentIndex(QModelIndex(), _Flag.NoUpdate)
        finally:
            self._restoring = False

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if not self._restoring:
            self._set_ids(self._shown_ids())

    def _on_rows_about_to_be_removed(self, *_args: object) -> None:
        # Qt is about to move the selection to a neighbour: ignore what it does until restore.
        self._restoring = True

    def _restore(self, *_args: object) -> None:
        self._restoring = False
        shown = self._shown_ids()
        if shown == self._ids:
            return
        wanted = self._ids
        self._apply(wanted, make_current=False)
        # Ids destroyed or filtered out leave the selection; nothing else is selected instead.
        self._set_ids(self._shown_ids())

    def _set_ids(self, ids: tuple[int, ...]) -> None:
        if ids != self._ids:
            self._ids = ids
            self.ids_changed.emit(ids)
