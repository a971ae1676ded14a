"""Ordering versions of one row by their `updated_at`, as every watch and view does."""

from __future__ import annotations

from datetime import datetime


def older(updated_at: datetime | None, than: datetime | None) -> bool:
    """True when a version is known to be older than another version of the same row; one
    without a time is never older (there is nothing to order it by)."""
    return updated_at is not None and than is not None and updated_at < than
