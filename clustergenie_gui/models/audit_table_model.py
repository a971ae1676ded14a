"""AuditTableModel: audited calls, newest first (File → Audit log…)."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt

from clustergenie_gui.client.auth_types import AuditEntry
from clustergenie_gui.models.components.palette_in_force import tone_colour
from clustergenie_gui.models.row_table_model import RowTableModel


class AuditTableModel(RowTableModel[AuditEntry]):
    """One row per audited call; the outcome is green when it was carried out, red otherwise."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "Time (UTC)",
        "Who",
        "Role",
        "Call",
        "On",
        "Outcome",
        "From",
    )
    TIME, CALLER, ROLE, METHOD, TARGETS, OUTCOME, PEER = range(7)
    MONOSPACE_COLUMNS: ClassVar[frozenset[int]] = frozenset({TARGETS, PEER})

    def display(self, item: AuditEntry, column: int) -> str:
        """Text for one cell."""
        cells = (
            "" if item.at is None else item.at.strftime("%Y-%m-%d %H:%M:%S"),
            item.caller,
            item.role.label,
            item.method,
            item.targets,
            item.outcome,
            item.peer,
        )
        return cells[column] if 0 <= column < len(cells) else ""

    def extra_data(self, item: AuditEntry, column: int, role: int) -> Any:
        """Colour the outcome; the whole cell in a tooltip (targets and peers run long)."""
        if role == Qt.ItemDataRole.ForegroundRole and column == self.OUTCOME:
            return tone_colour("active" if item.outcome == "OK" else "failed")
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.TARGETS, self.PEER):
            return self.display(item, column)
        return None
