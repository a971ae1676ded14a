"""Qt-free row bookkeeping for the table models: sorted upsert, removal and pruning by id."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from clustergenie_gui.models.components.natural_sort import natural_key


class HasId(Protocol):
    """A row value with a stable integer id and, optionally, when it last changed."""

    @property
    def id(self) -> int: ...

    @property
    def updated_at(self) -> datetime | None: ...


T = TypeVar("T", bound=HasId)
SortKey = Callable[[Any], Any]


def newest_first(item: HasId) -> tuple[int]:
    """Sort key: higher ids (created later) first."""
    return (-item.id,)


def by_name(item: Any) -> tuple[tuple[str | float, ...], int]:
    """Sort key: name, naturally (api-stage-2 before api-stage-10, any case), then id."""
    return (natural_key(str(item.name)), item.id)


@dataclass(frozen=True, slots=True)
class Upsert:
    """What an upsert did: `old` row index (None: inserted), `new` row index (None: ignored)."""

    old: int | None
    new: int | None


def is_stale(old: HasId, new: HasId) -> bool:
    """True when new is an older version than old (a late reply racing a stream update)."""
    if old.updated_at is None or new.updated_at is None:
        return False
    return new.updated_at < old.updated_at


def find(rows: Sequence[HasId], item_id: int) -> int | None:
    """Row index of the item with item_id, or None."""
    for index, row in enumerate(rows):
        if row.id == item_id:
            return index
    return None


def plan_upsert(rows: Sequence[T], item: T, key: SortKey) -> Upsert:
    """Where item goes in rows sorted by key: replaces its old version or is inserted."""
    old = find(rows, item.id)
    if old is not None and is_stale(rows[old], item):
        return Upsert(old=old, new=None)
    others = [row for row in rows if row.id != item.id] if old is not None else list(rows)
    new = bisect.bisect_left(others, key(item), key=key)
    return Upsert(old=old, new=new)


def apply_upsert(rows: list[T], item: T, key: SortKey) -> Upsert:
    """Insert or replace item in rows (kept sorted by key, no duplicate ids); returns the plan."""
    plan = plan_upsert(rows, item, key)
    if plan.new is None:
        return plan
    if plan.old is not None:
        del rows[plan.old]
    rows.insert(plan.new, item)
    return plan


def missing_ids(rows: Sequence[HasId], keep: Collection[int]) -> list[int]:
    """Ids of rows not in keep (to prune after a fresh snapshot)."""
    return [row.id for row in rows if row.id not in keep]
