"""The one table the bench prints: figure | value | reference | ratio (ours / reference)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Row:
    """One figure of ours beside the reference it is compared with."""

    figure: str
    value: float | None  # None: not measured (the label says why)
    reference: float | None
    unit: str
    reference_label: str = ""  # what the reference is, when it is not the bare gRPC server

    @property
    def ratio(self) -> float | None:
        """ours / reference; for rates higher is better, for latencies and times lower is."""
        if self.value is None or self.reference is None or self.reference == 0:
            return None
        return self.value / self.reference


def median(values: Sequence[float]) -> float:
    """The median, or 0.0 for no values (a figure that could not be measured)."""
    return statistics.median(values) if values else 0.0


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted sequence."""
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".rstrip()


def _ratio(ratio: float) -> str:
    # Two significant digits below 0.1, so a tiny ratio does not print as 0.00.
    return f"{ratio:.2g}" if ratio < 0.1 else f"{ratio:.2f}"


def format_table(rows: Sequence[Row], header: str = "") -> str:
    """Render rows as a Markdown table (readable in a terminal, pasteable into the docs)."""
    table = [("figure", "value", "reference", "ratio")]
    for row in rows:
        reference = _number(row.reference, row.unit)
        if row.reference_label:
            reference = f"{reference} ({row.reference_label})"
        ratio = "-" if row.ratio is None else _ratio(row.ratio)
        table.append((row.figure, _number(row.value, row.unit), reference, ratio))
    widths = [max(len(line[i]) for line in table) for i in range(4)]

    def render(cells: Sequence[str]) -> str:
        left = cells[0].ljust(widths[0])
        rest = " | ".join(c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
        return f"| {left} | {rest} |"

    lines = [header] if header else []
    lines.append(render(table[0]))
    lines.append(
        "|"
        + "|".join(("-" * (w + 1) + ":") if i else "-" * (w + 2) for i, w in enumerate(widths))
        + "|"
    )
    lines.extend(render(line) for line in table[1:])
    return "\n".join(lines)
