"""RoleGate: disables what the token's role may not do, and every action while disconnected,
with a tooltip saying why."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QWidget

from clustergenie_gui.client.auth_types import Identity, Role


@dataclass
class _Gated:
    target: QWidget | QAction  # what is switched off: a holder around a widget, or an action
    tipped: QWidget | QAction  # what carries the tooltip: the widget itself, or the action
    needed: Role
    tooltip: str  # its own tooltip, restored when the role allows it again


class RoleGate(QObject):
    """Holds the widgets and actions that need a role; set_identity() switches them.

    A gated widget is moved into a bare holder widget, and the holder is what gets disabled: a
    disabled parent disables its child whatever the panel's own logic sets on the child, and the
    child keeps that setting for when the role allows it again.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._gated: list[_Gated] = []
        self._identity: Identity | None = None
        self._offline_reason = ""  # why actions are off while not connected ("" = connected)

    def add(self, item: QWidget | QAction, needed: Role) -> None:
        """Gate item (already laid out, for a widget) behind role needed; a widget of a dialog
        may be gated too: it is forgotten when the dialog is destroyed."""
        target: QWidget | QAction = item if isinstance(item, QAction) else _hold(item)
        gated = _Gated(target, item, needed, item.toolTip())
        self._gated.append(gated)
        target.destroyed.connect(lambda: self._gated.remove(gated))
        self._apply(gated)

    def set_identity(self, identity: Identity | None) -> None:
        """Apply the role of identity (None, not known yet: leave everything to the server)."""
        self._identity = identity
        for gated in self._gated:
            self._apply(gated)

    def set_connection(self, state: str, message: str) -> None:
        """Follow the connection (ConnectionViewModel.connection_changed): while it is not
        "connected", every gated action is off and its tooltip says why."""
        reason = "" if state == "connected" else message
        if reason != self._offline_reason:
            self._offline_reason = reason
            for gated in self._gated:
                self._apply(gated)

    def _apply(self, gated: _Gated) -> None:
        identity = self._identity
        allowed = identity is None or identity.role >= gated.needed
        gated.target.setEnabled(allowed and not self._offline_reason)
        if self._offline_reason:
            gated.tipped.setToolTip(
                f"Not connected to the server ({self._offline_reason.rstrip('.')}). "
                "This comes back once the status bar says Connected."
            )
        elif allowed:
            gated.tipped.setToolTip(gated.tooltip)
        else:
            assert identity is not None
            gated.tipped.setToolTip(
                f"Needs the {gated.needed.label} role; your token ({identity.name}) "
                f"has the {identity.role.label} role."
            )


def _hold(widget: QWidget) -> QWidget:
    """Put widget inside a margin-less holder that takes its place in the parent's layout."""
    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    if layout is None:
        raise ValueError(f"{widget.objectName() or widget} must be laid out before it is gated")
    holder = QWidget(parent)
    holder_layout = QHBoxLayout(holder)
    holder_layout.setContentsMargins(0, 0, 0, 0)
    item = layout.replaceWidget(widget, holder)  # searches nested layouts too
    if item is None:
        raise ValueError(f"{widget.objectName() or widget} is not in its parent's layout")
    holder_layout.addWidget(widget)
    return holder
