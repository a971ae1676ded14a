"""ProgressDelegate: draws a job's progress as a slim bar coloured by its state."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from clustergenie_gui.client.types import Job
from clustergenie_gui.models.components.palette_in_force import colour, current_palette
from clustergenie_gui.models.job_table_model import PROGRESS_ROLE, job_state_label
from clustergenie_gui.models.row_table_model import ITEM_ROLE


class ProgressDelegate(QStyledItemDelegate):
    """A rounded bar with the percentage beside it; green done, amber running, red failed."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Paint the bar over the normal cell background."""
        progress = index.data(PROGRESS_ROLE)
        job = index.data(ITEM_ROLE)
        if not isinstance(progress, float) or not isinstance(job, Job):
            super().paint(painter, option, index)
            return
        # Draw selection/alternate background without the text.
        style_option = QStyleOptionViewItem(option)
        self.initStyleOption(style_option, index)
        style_option.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, style_option, painter, widget)

        rect: QRect = option.rect.adjusted(6, 8, -46, -8)
        palette = current_palette()
        bar = colour(palette.tone(job_state_label(job)))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour(palette.border))
        painter.drawRoundedRect(rect, 3, 3)
        filled = QRect(rect)
        filled.setWidth(round(rect.width() * max(0.0, min(1.0, progress))))
        if filled.width() > 0:
            painter.setBrush(bar)
            painter.drawRoundedRect(filled, 3, 3)
        painter.setPen(option.palette.text().color())
        text_rect = QRect(
            rect.right() + 4,
            option.rect.top(),
            40,
            option.rect.height(),
        )
        alignment = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
        painter.drawText(text_rect, int(alignment), f"{progress:.0%}")
        painter.restore()
