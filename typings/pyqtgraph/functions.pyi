"""Types for the pyqtgraph.functions ClusterGenie uses."""

import numpy as np
from numpy.typing import NDArray
from PySide6.QtGui import QPainterPath

def arrayToQPath(
    x: NDArray[np.floating],
    y: NDArray[np.floating],
    connect: str | NDArray[np.bool_] = ...,
    finiteCheck: bool = ...,
) -> QPainterPath: ...
