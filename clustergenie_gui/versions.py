"""The desktop app's versions: ours, Qt's, PySide6's, grpcio's and Python's."""

from __future__ import annotations

import platform

import grpc
import PySide6
from PySide6.QtCore import qVersion

from clustergenie_server.version import __version__


def app_versions() -> dict[str, str]:
    """Name -> version of what this app runs on (for --version and the About box)."""
    return {
        "ClusterGenie": __version__,
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "grpcio": grpc.__version__,
        "Python": platform.python_version(),
    }


def version_text() -> str:
    """What `clustergenie --version` prints."""
    v = app_versions()
    return (
        f"clustergenie {v['ClusterGenie']}\n"
        f"Qt {v['Qt']} (PySide6 {v['PySide6']}), grpcio {v['grpcio']}, Python {v['Python']}\n"
    )
