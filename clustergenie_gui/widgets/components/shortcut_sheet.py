"""ShortcutSheet: every keyboard shortcut on one page (F1 or ?).

API: SHORTCUTS lists (keys, what) pairs; other panels may pass extra rows:
ShortcutSheet(parent, extra=[("Ctrl+T", "Follow the log")]).open().
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from clustergenie_gui.widgets.components.theme import set_role

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+1 … Ctrl+7", "Overview, Diagnose, Provision, Scaling, Jobs, Health, Logs"),
    ("Ctrl+K  or  Ctrl+P", "Go to anything: an action, a cluster, a droplet, a job"),
    ("/  or  Ctrl+F", "Filter the table you are in (words, or column:word)"),
    ("Esc", "Clear the filter, close a dialog or the palette"),
    ("Enter", "Open the selected row (a cluster's droplets, a droplet's jobs, a job's target)"),
    ("Delete", "Destroy / delete / cancel the selected rows (asks first)"),
    ("Shift+↑↓, Ctrl+A", "Select several rows (bulk reboot, power, destroy)"),
    ("Menu key  or  Shift+F10", "The selected rows' actions"),
    ("Ctrl+L", "Show the logs of the selected droplet, cluster, check or finding"),
    ("Tab / Shift+Tab", "Next / previous control (tables are left, not walked)"),
    ("Ctrl+,", "Settings (server, theme, notifications)"),
    ("F1  or  ?", "This sheet"),
    ("Ctrl+Q", "Quit"),
)


class ShortcutSheet(QDialog):
    """A two-column table of keys and what they do; Esc or Close closes it."""

    def __init__(
        self, parent: QWidget | None = None, extra: Sequence[tuple[str, str]] = ()
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shortcut_sheet")
        self.setWindowTitle("Keyboard shortcuts")
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        for row, (keys, what) in enumerate((*SHORTCUTS, *extra)):
            key_label = QLabel(keys)
            set_role(key_label, "section")
            grid.addWidget(key_label, row, 0)
            grid.addWidget(QLabel(what), row, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(buttons)
        self.finished.connect(self.deleteLater)
