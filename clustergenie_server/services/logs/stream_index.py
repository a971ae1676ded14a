"""Every stream this server knows, in memory: a selector is resolved here, not in SQL."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from clustergenie_server.domain.logs import Stream

_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def labels_of_key(key: str) -> dict[str, str]:
    """The labels of a canonical key `{a="1", b="2"}`."""
    return {k: v.replace('\\"', '"').replace("\\\\", "\\") for k, v in _LABEL.findall(key)}


class StreamIndex:
    """Streams by id, kept from the database's index and from every line accepted since."""

    def __init__(self) -> None:
        self._streams: dict[int, Stream] = {}

    def __len__(self) -> int:
        return len(self._streams)

    def add(self, stream: Stream) -> bool:
        """Remember a stream; True when it was new."""
        if stream.id in self._streams:
            return False
        self._streams[stream.id] = stream
        return True

    def load(self, rows: Iterable[tuple[int, str]]) -> None:
        """Add the streams the database knows (id, canonical labels)."""
        for stream_id, key in rows:
            if stream_id not in self._streams:
                self._streams[stream_id] = Stream(stream_id, labels_of_key(key), key)

    def get(self, stream_id: int) -> Stream | None:
        """One stream."""
        return self._streams.get(stream_id)

    def matching(self, selects: Callable[[Mapping[str, str]], bool]) -> list[Stream]:
        """The streams a selector takes."""
        return [s for s in self._streams.values() if selects(s.labels)]

    def label_values(self) -> dict[str, set[str]]:
        """Every label name with the values seen (for completion in the query bar)."""
        out: dict[str, set[str]] = {}
        for stream in self._streams.values():
            for name, value in stream.labels.items():
                out.setdefault(name, set()).add(value)
        return out
