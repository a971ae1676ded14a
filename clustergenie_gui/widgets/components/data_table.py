"""DataTable: the one table of the app: filter box, natural sort, empty state, context menu.

API (for every panel):
    table = DataTable(model, "droplets", empty_text="No droplets yet: create a cluster.")
    table.view / table.proxy / table.filter_edit / table.selection (an IdSelection)
    table.mirror(button)        # the button's action in the context menu (same enabled state,
                                # so role gating and state rules apply alike; same tooltip)
    table.set_delete_button(b)  # Delete key asks through this button (its confirmation)
    table.activated(object)     # Enter or double-click on a row: its dataclass ("open details")
    table.selection_changed()   # the selected ids changed
    table.selected_items() / table.current_item() / table.select_id(id) / table.select_ids(ids)
    table.set_filter_text("state:failed") / table.focus_filter()   # "/" in the table does it
    table.save_state() -> QByteArray; table.restore_state(state): column widths, order, sort
    table.set_min_widths({column: px}) for columns whose content is drawn (progress bars)
Tab leaves the table (it never walks cells); coming in with nothing selected selects the first
row; Esc in the filter clears it and returns to rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QFocusEvent, QHelpEvent, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.models.components.id_selection import IdSelection
from clustergenie_gui.models.components.table_proxy_model import TableProxyModel
from clustergenie_gui.widgets.components.theme import set_role

MAX_FITTED_WIDTH = 340  # a fitted column never grows past this; the text elides with a tooltip
FIT_PRECISION = 200  # rows sampled when fitting columns to their contents (1,000 cost a frame)
ROW_HEIGHT = 26


class DataTableView(QTableView):
    """A QTableView that leaves on Tab, opens on Enter, and shows elided cells in a tooltip.

    Signals:
        enter_pressed(): Enter or Return on the current row.
        delete_pressed(): the Delete key.
        filter_requested(): "/" typed in the table.
        menu_requested(QPoint): the Menu key or Shift+F10, at the current row (viewport px).
        focus_entered(): the keyboard focus came in (by Tab, a shortcut or a click).
    """

    enter_pressed = Signal()
    focus_entered = Signal()
    delete_pressed = Signal()
    filter_requested = Signal()
    menu_requested = Signal(QPoint)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter opens, Delete asks to destroy, "/" filters; the rest is Qt's."""
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.enter_pressed.emit()
        elif key == Qt.Key.Key_Delete:
            self.delete_pressed.emit()
        elif event.text() == "/":
            self.filter_requested.emit()
        elif key == Qt.Key.Key_Menu or (
            key == Qt.Key.Key_F10 and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.menu_requested.emit(self.visualRect(self.currentIndex()).center())
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Say the focus came in (the table then selects its first row if none is)."""
        super().focusInEvent(event)
        self.focus_entered.emit()

    def viewportEvent(self, event: QEvent) -> bool:
        """A cell whose text does not fit shows it whole in a tooltip (unless it has its own)."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.indexAt(event.pos())
            if index.isValid() and index.data(Qt.ItemDataRole.ToolTipRole) is None:
                text = str(index.data() or "")
                width = self.fontMetrics().horizontalAdvance(text) + 12
                if text and width > self.columnWidth(index.column()):
                    QToolTip.showText(event.globalPos(), text, self)
                    return True
                QToolTip.hideText()
                event.ignore()
                return True
        return super().viewportEvent(event)


class DataTable(QWidget):
    """A filterable, sortable table over a RowTableModel, with selection kept by row id.

    Signals:
        activated(object): Enter or double-click on a row; carries its dataclass.
        selection_changed(): the selected ids changed (read them with selected_items()).
    """

    activated = Signal(object)
    selection_changed = Signal()

    def __init__(
        self,
        model: QAbstractItemModel,
        name: str,
        empty_text: str = "Nothing here yet.",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_data_table")
        self._empty_text = empty_text
        self._mirrored: list[QPushButton] = []
        self._delete_button: QPushButton | None = None
        self._fitted = False
        self.menu: QMenu | None = None  # the context menu last opened
        self._min_widths: dict[int, int] = {}
        self.proxy = TableProxyModel(self)
        self.proxy.setSourceModel(model)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName(f"{name}_filter")
        self.filter_edit.setPlaceholderText("Filter (/ or Ctrl+F) — words, or column:word")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip(
            "Rows containing every word; column:word looks in one column (e.g. state:failed)."
        )
        self.count_label = QLabel()
        set_role(self.count_label, "muted")
        self.view = DataTableView()
        self.view.setObjectName(f"{name}_table")
        self.view.setModel(self.proxy)
        self._setup_view()
        self.empty_label = QLabel(self.view.viewport())
        self.empty_label.setObjectName(f"{name}_empty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        set_role(self.empty_label, "empty")
        self.selection = IdSelection(self.view.selectionModel(), self)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

        self.filter_edit.textChanged.connect(self.proxy.set_filter_text)
        self.filter_edit.installEventFilter(self)
        self.view.enter_pressed.connect(self._on_enter_pressed)
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.delete_pressed.connect(self._on_delete_pressed)
        self.view.filter_requested.connect(self.focus_filter)
        self.view.focus_entered.connect(self._select_first_if_none)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        self.view.menu_requested.connect(self._on_context_menu)
        self.selection.ids_changed.connect(lambda _ids: self.selection_changed.emit())
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._on_rows_changed)
        self._on_rows_changed()

    def _setup_view(self) -> None:
        view = self.view
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setShowGrid(False)
        view.setWordWrap(False)
        view.setTabKeyNavigation(False)  # Tab leaves the table for the next control
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        header = view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        header.setResizeContentsPrecision(FIT_PRECISION)
        header.setSortIndicatorClearable(True)  # a third click returns to the model's order
        view.setSortingEnabled(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)

    # Selection -----------------------------------------------------------------------

    def selected_items(self) -> list[Any]:
        """The selected rows' dataclasses, in view order."""
        return [item for item in self.selection.items() if item is not None]

    def current_item(self) -> Any:
        """The first selected row's dataclass, or None."""
        items = self.selected_items()
        return items[0] if items else None

    def select_id(self, item_id: int) -> None:
        """Select only the row of item_id (when shown) and scroll to it."""
        self.select_ids([item_id])

    def select_ids(self, ids: Iterable[int]) -> None:
        """Select exactly the rows of ids and scroll to the first."""
        self.selection.select_ids(ids)
        current = self.view.currentIndex()
        if current.isValid():
            self.view.scrollTo(current)

    # Filter --------------------------------------------------------------------------

    def set_filter_text(self, text: str) -> None:
        """Filter as if text had been typed."""
        self.filter_edit.setText(text)

    def focus_filter(self) -> None:
        """Put the cursor in the filter box, its text selected."""
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the filter: Esc clears it (then returns to the rows), Down/Enter go to the rows."""
        if (
            watched is self.filter_edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            key = event.key()
            if key == Qt.Key.Key_Escape and self.filter_edit.text():
                self.filter_edit.clear()
                return True
            if key in (Qt.Key.Key_Escape, Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._focus_rows()
                return True
        return super().eventFilter(watched, event)

    def _focus_rows(self) -> None:
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._select_first_if_none()

    def _select_first_if_none(self) -> None:
        """Coming into a table with nothing selected selects its first row, so Enter, Delete
        and the arrows act at once (as in k9s or a file manager)."""
        if not self.selected_items() and self.proxy.rowCount():
            item = self.proxy.item_at(0)
            if item is not None:
                self.select_id(item.id)

    # Actions -------------------------------------------------------------------------

    def mirror(self, *buttons: QPushButton) -> None:
        """Offer each button's action in the context menu, enabled exactly when it is."""
        self._mirrored.extend(buttons)

    def set_delete_button(self, button: QPushButton) -> None:
        """The Delete key clicks button (when enabled), which asks before destroying."""
        self._delete_button = button

    def context_menu(self) -> QMenu:
        """A menu of the mirrored buttons' actions for the selection (built now)."""
        menu = QMenu(self)
        menu.setObjectName("table_context_menu")
        menu.setToolTipsVisible(True)
        for button in self._mirrored:
            action = QAction(button.text().replace("&", ""), menu)
            action.setEnabled(button.isEnabled())
            action.setToolTip(button.toolTip())
            action.triggered.connect(button.click)
            menu.addAction(action)
        return menu

    def _on_context_menu(self, position: QPoint) -> None:
        index = self.view.indexAt(position)
        if index.isValid() and not self.view.selectionModel().isRowSelected(index.row()):
            item = self.proxy.item_at(index.row())
            if item is not None:
                self.select_id(item.id)
        if self._mirrored:
            self.menu = self.context_menu()
            self.menu.popup(self.view.viewport().mapToGlobal(position))

    def _on_enter_pressed(self) -> None:
        item = self.proxy.item_at(self.view.currentIndex().row())
        if item is not None:
            self.activated.emit(item)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        item = self.proxy.item_at(index.row())
        if item is not None:
            self.activated.emit(item)

    def _on_delete_pressed(self) -> None:
        if self._delete_button is not None and self._delete_button.isEnabled():
            self._delete_button.click()

    # Empty state, widths, saved state -------------------------------------------------

    def _on_rows_changed(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.proxy.sourceModel().rowCount()
        if total == 0:
            self.empty_label.setText(self._empty_text)
        elif shown == 0:
            self.empty_label.setText(
                f"No rows match “{self.proxy.filter_text}”. Esc in the filter clears it."
            )
        self.empty_label.setVisible(shown == 0)
        self.count_label.setText(f"{shown:,} of {total:,}" if shown != total else f"{total:,}")
        self._place_empty_label()
        if shown and not self._fitted and self.isVisible():
            self._fitted = True
            self.fit_columns()

    def set_min_widths(self, widths: dict[int, int]) -> None:
        """Columns that fitting must leave at least this wide (e.g. a progress bar)."""
        self._min_widths = dict(widths)

    def fit_columns(self) -> None:
        """Size columns to their contents (sampled rows), none wider than MAX_FITTED_WIDTH."""
        self.view.resizeColumnsToContents()
        for column in range(self.proxy.columnCount()):
            width = min(self.view.columnWidth(column), MAX_FITTED_WIDTH)
            self.view.setColumnWidth(column, max(width, self._min_widths.get(column, 0)))

    def _place_empty_label(self) -> None:
        self.empty_label.setGeometry(self.view.viewport().rect())

    def showEvent(self, event: QShowEvent) -> None:
        """Fit the columns on first show (sizes measured while hidden are not the real ones)."""
        super().showEvent(event)
        if not self._fitted and self.proxy.rowCount():
            self._fitted = True
            self.fit_columns()
        self._place_empty_label()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the empty-state message centred on the rows' area."""
        super().resizeEvent(event)
        self._place_empty_label()

    def save_state(self) -> QByteArray:
        """Column widths, order, visibility and the sort, for QSettings."""
        return self.view.horizontalHeader().saveState()

    def restore_state(self, state: QByteArray) -> bool:
        """Restore what save_state saved; True when it applied (columns are then not fitted)."""
        restored = bool(self.view.horizontalHeader().restoreState(state))
        if restored:
            self._fitted = True
            header = self.view.horizontalHeader()
            self.proxy.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        return restored
