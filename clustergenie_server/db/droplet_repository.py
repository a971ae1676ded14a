"""Droplets: create in bulk, look up, list and update."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clustergenie_server.db.core_updates import update_one
from clustergenie_server.db.models import DropletRow, as_utc
from clustergenie_server.domain.errors import AlreadyExists, NotFound
from clustergenie_server.domain.models import Droplet, DropletStatus


class DropletRepository:
    """Droplet rows of one unit of work; never commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add_many(
        self,
        *,
        cluster_id: int,
        names: Iterable[str],
        region: str,
        size: str,
        image: str,
        now: datetime,
    ) -> builtins.list[Droplet]:
        """Insert new, locked droplets in the given order; AlreadyExists on a name clash."""
        rows = [
            DropletRow(
                cluster_id=cluster_id,
                name=name,
                region=region,
                size=size,
                image=image,
                status=DropletStatus.NEW.value,
                ip_address="",
                locked=True,
                created_at=now,
                updated_at=now,
            )
            for name in names
        ]
        try:
            # A savepoint keeps the caller's transaction usable after a refused name.
            with self._session.begin_nested():
                self._session.add_all(rows)
        except IntegrityError as error:
            message = str(error.orig)
            if "uq_droplets_cluster_id_name" not in message and "droplets.name" not in message:
                raise
            raise AlreadyExists(
                f"cluster {cluster_id} has a droplet with one of the names "
                f"{', '.join(row.name for row in rows)} already; choose other names"
            ) from error
        return [_to_domain(row) for row in rows]

    def get(self, droplet_id: int) -> Droplet | None:
        """The droplet with that id, destroyed or not, or None."""
        row = self._session.get(DropletRow, droplet_id)
        return None if row is None else _to_domain(row)

    def list(
        self, *, cluster_id: int | None = None, include_destroyed: bool = False
    ) -> builtins.list[Droplet]:
        """Droplets ordered by id, of one cluster or all; destroyed (archive) only when asked."""
        # Core rows, not ORM objects: the telemetry refresh lists every droplet several times a
        # second while droplets become active, and an ORM object per row cost most of that.
        query = sa.select(_DROPLETS).order_by(_DROPLETS.c.id)
        if cluster_id is not None:
            query = query.where(_DROPLETS.c.cluster_id == cluster_id)
        if not include_destroyed:
            query = query.where(_DROPLETS.c.status != DropletStatus.ARCHIVE.value)
        return [_to_domain(row) for row in self._session.execute(query)]

    def placements(self) -> builtins.list[tuple[int, int, str, DropletStatus]]:
        """(id, cluster_id, size, status) of every droplet not destroyed, ordered by id: the
        simulation's inventory, read every second without building whole droplets."""
        return [
            (row.id, row.cluster_id, row.size, DropletStatus(row.status))
            for row in self._session.execute(_PLACEMENTS)
        ]

    def names(self, cluster_id: int) -> set[str]:
        """Every name used in the cluster, destroyed droplets included (names stay unique)."""
        query = sa.select(DropletRow.name).where(DropletRow.cluster_id == cluster_id)
        return set(self._session.scalars(query))

    def update(
        self,
        droplet_id: int,
        *,
        now: datetime,
        status: DropletStatus | None = None,
        size: str | None = None,
        ip_address: str | None = None,
        locked: bool | None = None,
    ) -> Droplet:
        """Change only the given fields and updated_at; NotFound if the droplet is missing."""
        params = {
            "b_id": droplet_id,
            "b_now": now,
            "b_status": None if status is None else status.value,
            "b_size": size,
            "b_ip_address": ip_address,
            "b_locked": locked,
        }
        row = update_one(self._session, DropletRow, droplet_id, _UPDATE, params)
        if row is None:
            raise NotFound(f"droplet {droplet_id} does not exist; see ListDroplets")
        return _to_domain(row)


# update() runs for every droplet a job touches, so its statements are built once (see
# update_one). NULL for a field means "leave it as it is".
_DROPLETS = cast(sa.Table, DropletRow.__table__)
_PLACEMENTS = (
    sa.select(_DROPLETS.c.id, _DROPLETS.c.cluster_id, _DROPLETS.c.size, _DROPLETS.c.status)
    .where(_DROPLETS.c.status != DropletStatus.ARCHIVE.value)
    .order_by(_DROPLETS.c.id)
)


def _given_or_kept(column: str) -> sa.ColumnElement[Any]:
    typed = sa.bindparam(f"b_{column}", type_=_DROPLETS.c[column].type)
    return sa.func.coalesce(typed, _DROPLETS.c[column])


_THIS_ONE = _DROPLETS.c.id == sa.bindparam("b_id")
_UPDATE_STATEMENT = (
    sa.update(_DROPLETS)
    .where(_THIS_ONE)
    .values(
        status=_given_or_kept("status"),
        size=_given_or_kept("size"),
        ip_address=_given_or_kept("ip_address"),
        locked=_given_or_kept("locked"),
        updated_at=sa.bindparam("b_now", type_=_DROPLETS.c.updated_at.type),
    )
)
_UPDATE = (
    _UPDATE_STATEMENT,
    _UPDATE_STATEMENT.returning(_DROPLETS),
    sa.select(_DROPLETS).where(_THIS_ONE),
)


def _to_domain(row: DropletRow | sa.Row[Any]) -> Droplet:
    """A droplet from an ORM row or a Core row of the droplets table (the same names)."""
    return Droplet(
        id=row.id,
        cluster_id=row.cluster_id,
        name=row.name,
        region=row.region,
        size=row.size,
        image=row.image,
        status=DropletStatus(row.status),
        ip_address=row.ip_address,
        locked=row.locked,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
    )
