"""Types for the mouse events a GraphicsScene delivers; see typings/README.md."""

from PySide6.QtCore import QPointF, Qt

class MouseClickEvent:
    """One click, as sigMouseClicked emits it."""

    def scenePos(self) -> QPointF: ...
    def button(self) -> Qt.MouseButton: ...
    def double(self) -> bool: ...
