"""Types for drain3's TemplateMiner; see typings/README.md."""

from typing import TypedDict

from .drain import Drain
from .template_miner_config import TemplateMinerConfig

class _Added(TypedDict):
    """What add_log_message says about the line it mined."""

    change_type: str  # "cluster_created", "cluster_template_changed" or "none"
    cluster_id: int
    cluster_size: int
    template_mined: str
    cluster_count: int

class TemplateMiner:
    """Drain with masking (and optional persistence, which ClusterGenie does not use)."""

    drain: Drain
    config: TemplateMinerConfig
    def __init__(
        self, persistence_handler: None = ..., config: TemplateMinerConfig | None = ...
    ) -> None: ...
    def add_log_message(self, log_message: str) -> _Added: ...
