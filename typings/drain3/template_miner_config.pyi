"""Types for drain3's miner settings (the ones ClusterGenie sets); see typings/README.md."""

from .masking import MaskingInstruction

class TemplateMinerConfig:
    """Settings of a TemplateMiner; plain attributes, set after construction."""

    masking_instructions: list[MaskingInstruction]
    drain_max_clusters: int | None
    drain_sim_th: float
    parametrize_numeric_tokens: bool
    def __init__(self) -> None: ...
