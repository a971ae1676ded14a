"""Natural sort keys and the filter-text parser of the table component, Qt-free.

API: natural_key("api-stage-10") sorts after natural_key("api-stage-2");
parse_filter("state:failed web") -> FilterQuery; query.matches(cells_by_column) -> bool.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_DIGITS = re.compile(r"(\d+(?:\.\d+)?)")


def natural_key(text: str) -> tuple[str | float, ...]:
    """Sort key comparing runs of digits as numbers: "web-2" < "web-10", "9.5 %" < "10 %".

    The pieces alternate text, number, text...: two keys compare text with text and number
    with number, never one with the other.
    """
    pieces = _DIGITS.split(text.casefold().replace(",", ""))
    return tuple(float(piece) if i % 2 else piece for i, piece in enumerate(pieces))


@dataclass(frozen=True, slots=True)
class FilterQuery:
    """Words every row must contain: free words in any column, `column:word` in that column."""

    words: tuple[str, ...] = ()
    by_column: tuple[tuple[str, str], ...] = ()

    @property
    def empty(self) -> bool:
        """True when the query accepts every row."""
        return not self.words and not self.by_column

    def matches(self, cells: Mapping[str, str]) -> bool:
        """True when the row (column title, casefolded -> cell text) has every word."""
        folded = {title: text.casefold() for title, text in cells.items()}
        for column, word in self.by_column:
            titles = [title for title in folded if title.startswith(column)]
            if not titles:
                return False  # an unknown column matches nothing, so the typo is visible
            if not any(word in folded[title] for title in titles):
                return False
        return all(any(word in text for text in folded.values()) for word in self.words)


def parse_filter(text: str) -> FilterQuery:
    """Split filter text into free words and `column:word` pairs (casefolded)."""
    words: list[str] = []
    by_column: list[tuple[str, str]] = []
    for token in text.casefold().split():
        column, colon, word = token.partition(":")
        if colon and column and word:
            by_column.append((column, word))
        elif token.strip(":"):
            words.append(token.strip(":"))
    return FilterQuery(tuple(words), tuple(by_column))
