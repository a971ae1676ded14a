"""DecisionTableModel: the auto-scaler's decisions, newest first, capped to a recent history."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt

from clustergenie_gui.client.types import ScalingAction, ScalingDecision, ScalingMetric
from clustergenie_gui.models.components.palette_in_force import tone_colour
from clustergenie_gui.models.row_table_model import RowTableModel

_ACTION_LABELS = {
    ScalingAction.SCALE_UP: "scale up",
    ScalingAction.SCALE_DOWN: "scale down",
    ScalingAction.NONE: "none",
}
_ACTION_TONES = {ScalingAction.SCALE_UP: "active", ScalingAction.SCALE_DOWN: "running"}


def metric_text(metric: ScalingMetric, value: float, target: float) -> str:
    """ "72.4 / 60 CPU %" style: the value against its target."""
    return f"{value:,.1f} / {target:g} {metric.label}"


def decision_cells(decision: ScalingDecision) -> tuple[str, ...]:
    """Display texts of one decision, in column order."""
    moment = "" if decision.time is None else decision.time.strftime("%a %H:%M:%S")
    return (
        moment,
        metric_text(decision.metric, decision.metric_value, decision.target),
        f"{decision.current_droplets} → {decision.desired_droplets}",
        _ACTION_LABELS.get(decision.action, decision.action.value),
        decision.rule.value.replace("_", " "),
        decision.reason,
    )


class DecisionTableModel(RowTableModel[ScalingDecision]):
    """Recent decisions of one cluster (newest first); the oldest fall off past `limit`."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "Time (sim UTC)",
        "Metric / target",
        "Droplets",
        "Action",
        "Rule",
        "Reason",
    )
    TIME, METRIC, DROPLETS, ACTION, RULE, REASON = range(6)

    def __init__(self, parent: Any = None, limit: int = 500) -> None:
        super().__init__(parent)
        self.limit = limit

    def add(self, decision: ScalingDecision) -> None:
        """Insert a decision, dropping the oldest beyond the limit."""
        self.upsert(decision)
        while self.rowCount() > self.limit:
            oldest = self.item(self.rowCount() - 1)
            assert oldest is not None
            self.remove(oldest.id)

    def display(self, item: ScalingDecision, column: int) -> str:
        """Text for one cell."""
        cells = decision_cells(item)
        return cells[column] if 0 <= column < len(cells) else ""

    def extra_data(self, item: ScalingDecision, column: int, role: int) -> Any:
        """Colour the action; the full reason and formula in a tooltip."""
        if role == Qt.ItemDataRole.ForegroundRole and column == self.ACTION:
            state = _ACTION_TONES.get(item.action)
            return tone_colour(state) if state else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{item.reason}\nformula {item.formula_droplets}, recommended "
                f"{item.recommended_droplets}, stabilized {item.stabilized_droplets}, "
                f"total {item.total_droplets}" + (f", job {item.job_id}" if item.job_id else "")
            )
        return None
