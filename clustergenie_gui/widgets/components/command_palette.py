"""CommandPalette: Ctrl+K / Ctrl+P: type a few letters, Enter runs the action or opens the item.

API: palette = CommandPalette(registry, parent_window); palette.open_palette() shows it with
an empty query (every action); Up/Down choose, Enter runs, Esc closes. palette.run_current()
runs the highlighted command (tests and the Enter key).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.models.components.command_registry import Command, CommandRegistry
from clustergenie_gui.widgets.components.theme import set_role

_KIND_LABELS = {"action": "", "panel": "panel"}
COMMAND_ROLE = Qt.ItemDataRole.UserRole + 10


class CommandPalette(QDialog):
    """A query box over a list of the registry's best matches."""

    def __init__(self, registry: CommandRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("command_palette")
        self.setWindowTitle("Go to anything")
        self.setModal(True)
        self.resize(620, 420)
        self._registry = registry
        self.query_edit = QLineEdit()
        self.query_edit.setObjectName("command_query")
        self.query_edit.setPlaceholderText(
            "Type an action, a cluster, a droplet or a job… (Enter runs, Esc closes)"
        )
        self.results = QListWidget()
        self.results.setObjectName("command_results")
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the query
        self.hint = QLabel()
        set_role(self.hint, "muted")
        layout = QVBoxLayout(self)
        layout.addWidget(self.query_edit)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.hint)
        self.query_edit.textChanged.connect(self._update_results)
        self.query_edit.installEventFilter(self)
        self.results.itemActivated.connect(lambda _item: self.run_current())
        self.results.currentItemChanged.connect(self._on_current_changed)

    def open_palette(self) -> None:
        """Show with an empty query, the cursor in it."""
        self.query_edit.clear()
        self._update_results("")
        self.open()
        self.activateWindow()
        self.query_edit.setFocus()

    def commands(self) -> list[Command]:
        """The commands listed now, in order."""
        return [self.results.item(i).data(COMMAND_ROLE) for i in range(self.results.count())]

    def _update_results(self, query: str) -> None:
        self.results.clear()
        for command in self._registry.search(query):
            kind = _KIND_LABELS.get(command.kind, command.kind)
            if command.title.casefold().startswith(kind):
                kind = ""  # "job #5 …" says what it is already
            text = f"{kind}  {command.title}" if kind else command.title
            if command.detail:
                text += f"   —   {command.detail}"
            if command.shortcut:
                text += f"   [{command.shortcut}]"
            item = QListWidgetItem(text)
            item.setData(COMMAND_ROLE, command)
            if not command.enabled():
                item.setForeground(self.palette().color(self.palette().ColorRole.PlaceholderText))
                item.setToolTip(command.why_disabled or "Not possible right now")
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)
        else:
            self.hint.setText(f"Nothing matches “{query}”.")

    def _on_current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        command = current.data(COMMAND_ROLE) if current is not None else None
        if isinstance(command, Command):
            self.hint.setText(
                command.why_disabled or "Not possible right now"
                if not command.enabled()
                else "Enter runs it."
            )

    def run_current(self) -> bool:
        """Run the highlighted command (and close); False when there is none or it is off."""
        item = self.results.currentItem()
        command = item.data(COMMAND_ROLE) if item is not None else None
        if not isinstance(command, Command) or not command.enabled():
            return False
        self.accept()
        parent = self.parentWidget()
        if parent is not None:
            parent.activateWindow()  # the focus goes back to the window the command acts in
        command.run()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up/Down/PageUp/PageDown move in the list while typing; Enter runs."""
        if (
            watched is self.query_edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.run_current()
                return True
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(key))
            if step is not None and self.results.count():
                row = (self.results.currentRow() + step) % self.results.count()
                self.results.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)
