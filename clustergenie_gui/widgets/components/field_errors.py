"""FieldErrors: a form's server errors shown under the field they are about.

API (for every form):
    errors = FieldErrors(form_layout, fallback=ErrorLabel())
    errors.add("name", name_edit, ("name",))      # under the row of name_edit
    errors.show_message("cluster name is empty")  # under the first field whose word it has,
                                                  # else in the fallback; "" clears all
    errors.label("name") -> the QLabel (hidden while it has no text)
A field's error clears as soon as that field changes; the focus is never moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from clustergenie_gui.widgets.common import ErrorLabel
from clustergenie_gui.widgets.components.theme import set_role


class FieldErrors:
    """Per-field error labels in a QFormLayout, matched to a message by keywords."""

    def __init__(self, form: QFormLayout, fallback: ErrorLabel) -> None:
        self._form = form
        self._fallback = fallback
        self._fields: dict[str, tuple[QLabel, tuple[str, ...]]] = {}

    def add(self, key: str, field: QWidget, keywords: Sequence[str]) -> QLabel:
        """A hidden error label under field's row, shown for messages with any keyword."""
        label = QLabel()
        label.setObjectName(f"{key}_error")
        label.setWordWrap(True)
        set_role(label, "field_error")
        label.hide()
        row = self._row_of(field)
        self._form.insertRow(row + 1, "", label)
        self._form.setRowVisible(row + 1, False)
        self._fields[key] = (label, tuple(k.casefold() for k in keywords))
        if isinstance(field, QLineEdit):
            field.textEdited.connect(lambda _t: self.clear(key))
        elif isinstance(field, QComboBox):
            field.currentIndexChanged.connect(lambda _i: self.clear(key))
        elif isinstance(field, QAbstractSpinBox):
            field.editingFinished.connect(lambda: self.clear(key))
            if hasattr(field, "valueChanged"):
                field.valueChanged.connect(lambda _v: self.clear(key))
        return label

    def _row_of(self, widget: QWidget) -> int:
        position = cast(tuple[int, QFormLayout.ItemRole], self._form.getWidgetPosition(widget))
        return position[0]

    def label(self, key: str) -> QLabel:
        """The error label of key."""
        return self._fields[key][0]

    def show_message(self, message: str) -> None:
        """Show message under its field (or in the fallback); "" clears every error."""
        for key in self._fields:
            self.clear(key)
        self._fallback.show_message("")
        if not message:
            return
        folded = message.casefold()
        for key, (label, keywords) in self._fields.items():
            if any(word in folded for word in keywords):
                label.setText(message)
                self._set_visible(key, True)
                return
        self._fallback.show_message(message)

    def clear(self, key: str) -> None:
        """Hide key's error."""
        label, _keywords = self._fields[key]
        if label.text():
            label.setText("")
        self._set_visible(key, False)

    def _set_visible(self, key: str, visible: bool) -> None:
        label = self._fields[key][0]
        self._form.setRowVisible(self._row_of(label), visible)
        label.setVisible(visible)
