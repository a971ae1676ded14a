"""The one place the ClusterGenie version is written; pyproject.toml reads it from here."""

from __future__ import annotations

import platform

import grpc
from google.protobuf import __version__ as protobuf_version

__version__ = "0.1.0"


def runtime_versions() -> dict[str, str]:
    """The versions a support request needs: ours, grpcio's, protobuf's and Python's."""
    return {
        "clustergenie": __version__,
        "grpcio": grpc.__version__,
        "protobuf": protobuf_version,
        "python": platform.python_version(),
    }
