"""Qt-free asyncio client for the ClusterGenie gRPC API."""

from clustergenie_gui.client.client import ClientError, ClusterGenieClient

__all__ = ["ClientError", "ClusterGenieClient"]
