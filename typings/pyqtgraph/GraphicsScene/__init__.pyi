"""Types for pyqtgraph's GraphicsScene, the scene every PlotWidget shows; see typings/README.md."""

from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGraphicsScene

class GraphicsScene(QGraphicsScene):
    """A scene that reports the mouse in scene coordinates."""

    sigMouseMoved: ClassVar[Signal]  # (QPointF): the cursor's scene position, on every move
    sigMouseClicked: ClassVar[Signal]  # (mouseEvents.MouseClickEvent): a click over the scene
