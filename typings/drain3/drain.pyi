"""Types for drain3's clusters of log lines; see typings/README.md."""

from collections.abc import Collection

class LogCluster:
    """One template and how many lines it has mined."""

    cluster_id: int
    size: int
    def get_template(self) -> str: ...

class Drain:
    """The parse tree and its clusters."""

    @property
    def clusters(self) -> Collection[LogCluster]: ...
