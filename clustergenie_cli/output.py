"""Printing results: an aligned table by default, JSON or YAML for scripts (--output)."""

from __future__ import annotations

import dataclasses
import enum
import io
import json
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import yaml
from rich import box
from rich.console import Console
from rich.table import Table

Column = tuple[str, Callable[[Any], object]]
FORMATS = ("table", "json", "yaml")


def plain(value: object) -> object:
    """A JSON/YAML-ready copy: dataclasses as dicts, enums as their values, times as ISO 8601."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value if isinstance(value.value, str) else value.name.lower()
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def cell(value: object) -> str:
    """How one value shows in a table cell."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return str(plain(value))
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ",".join(cell(v) for v in value)
    return str(value)


def _print_table(table: Table) -> None:
    if sys.stdout.isatty():
        Console().print(table)
        return
    # A pipe gets whole lines (no wrapping at 80 columns, no colour, no trailing blanks).
    buffer = io.StringIO()
    Console(file=buffer, width=100_000, no_color=True, highlight=False).print(table)
    sys.stdout.writelines(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def emit(data: object, columns: Sequence[Column], output: str, *, no_header: bool = False) -> None:
    """Print one record or a list of records in the chosen format."""
    if output == "json":
        sys.stdout.write(json.dumps(plain(data), indent=2) + "\n")
        return
    if output == "yaml":
        sys.stdout.write(yaml.safe_dump(plain(data), sort_keys=False, allow_unicode=True))
        return
    rows = data if isinstance(data, list | tuple) else [data]
    table = Table(box=box.SIMPLE_HEAD if sys.stdout.isatty() else None, show_header=not no_header)
    table.pad_edge = False
    table.show_edge = False
    for header, _ in columns:
        table.add_column(header, overflow="fold", no_wrap=True)
    for row in rows:
        table.add_row(*(cell(get(row)) for _, get in columns))
    _print_table(table)


def message(text: str) -> None:
    """A line for people on stderr (progress, what happened), never mixed into stdout's data."""
    sys.stderr.write(text + "\n")
