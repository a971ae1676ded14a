"""Types for drain3's masks; see typings/README.md."""

class MaskingInstruction:
    """Replace what pattern matches with <mask_with> before mining."""

    def __init__(self, pattern: str, mask_with: str) -> None: ...
