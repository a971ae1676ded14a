"""Confirmations that say what will happen: a window-modal question, and type-the-name.

API (for every panel):
    box = ask(parent, "Reboot web-1?", "It is unreachable for about a minute.", "Reboot", then)
        a non-blocking, window-modal box; `then()` runs on the action button only; the default
        is Cancel, so Enter never destroys by accident; Esc cancels.
    dialog = TypeNameDialog(parent, "cluster", "web-prod", "It destroys its 4 droplets.", then)
        the DigitalOcean way for what cannot be undone: the action button unlocks only once
        the exact name is typed.
Keep the returned object (e.g. self.confirm_box) while it is open: tests and Esc use it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clustergenie_gui.widgets.components.theme import set_role


def ask(
    parent: QWidget,
    question: str,
    detail: str,
    action_text: str,
    then: Callable[[], object],
    danger: bool = False,
) -> QMessageBox:
    """Open a window-modal confirmation; then() runs when action_text is chosen."""
    box = QMessageBox(parent)
    box.setObjectName("confirm_box")
    box.setIcon(QMessageBox.Icon.Warning if danger else QMessageBox.Icon.Question)
    box.setWindowTitle("Please confirm")
    box.setText(question)
    box.setInformativeText(detail)
    action = box.addButton(action_text, QMessageBox.ButtonRole.AcceptRole)
    action.setObjectName("confirm_action")
    if danger:
        set_role(action, "danger")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)

    def on_finished(_result: int) -> None:
        if box.clickedButton() is action:
            then()
        box.deleteLater()

    box.finished.connect(on_finished)
    box.open()
    return box


def action_button(box: QMessageBox) -> QPushButton:
    """The box's action button (for tests and keyboard focus)."""
    button = box.findChild(QPushButton, "confirm_action")
    assert button is not None
    return button


class TypeNameDialog(QDialog):
    """Asks for the exact name of what is about to be destroyed before allowing it."""

    def __init__(
        self,
        parent: QWidget,
        what: str,
        name: str,
        consequence: str,
        then: Callable[[], object],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("type_name_dialog")
        self.setWindowTitle(f"Delete {what}")
        self._name = name
        self._then = then
        message = QLabel(
            f"Delete {what} <b>{name}</b>? {consequence} This cannot be undone.<br>"
            f"Type <b>{name}</b> to confirm."
        )
        message.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("type_name_edit")
        self.name_edit.setPlaceholderText(name)
        self.hint = QLabel("")
        set_role(self.hint, "muted")
        buttons = QDialogButtonBox()
        self.delete_button = buttons.addButton(
            f"Delete {what}", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.delete_button.setObjectName("type_name_delete")
        set_role(self.delete_button, "danger")
        self.delete_button.setAutoDefault(False)
        self.delete_button.setDefault(False)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.name_edit.textChanged.connect(self._on_text_changed)
        self.name_edit.returnPressed.connect(self._on_accepted)
        self._on_text_changed("")
        self.finished.connect(self.deleteLater)
        self.open()
        self.name_edit.setFocus()

    def _on_text_changed(self, text: str) -> None:
        matches = text == self._name
        self.delete_button.setEnabled(matches)
        self.hint.setText("" if matches or not text else "The name does not match yet.")

    def _on_accepted(self) -> None:
        if self.name_edit.text() == self._name:
            self.accept()
            self._then()
