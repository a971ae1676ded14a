"""Deploys and versions of one unit of work; never commits."""

from __future__ import annotations

import builtins
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.db.deploy_models import (
    ClusterVersionRow,
    DeploymentRow,
    DropletVersionRow,
    VersionDefectRow,
)
from clustergenie_server.domain.deploys import INITIAL_VERSION, Deployment, DeployState


class DeployRepository:
    """Deployments, cluster and droplet versions (what operators see of deploys)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        *,
        cluster_id: int,
        droplet_id: int | None,
        version: str,
        previous_version: str,
        rollback: bool,
        started_at: float,
        droplets_total: int,
    ) -> Deployment:
        """A new rolling deployment."""
        row = DeploymentRow(
            cluster_id=cluster_id,
            droplet_id=droplet_id,
            version=version,
            previous_version=previous_version,
            rollback=rollback,
            state=DeployState.ROLLING.value,
            job_id=None,
            started_at=started_at,
            finished_at=None,
            droplets_done=0,
            droplets_total=droplets_total,
        )
        self._session.add(row)
        self._session.flush()
        return _to_domain(row)

    def set_job(self, deployment_id: int, job_id: int) -> None:
        """Link a deployment to the job that rolls it out."""
        self._session.get_one(DeploymentRow, deployment_id).job_id = job_id

    def get(self, deployment_id: int) -> Deployment | None:
        """One deployment, or None."""
        row = self._session.get(DeploymentRow, deployment_id)
        return None if row is None else _to_domain(row)

    def list(
        self, *, cluster_id: int, since: float | None = None, limit: int = 100
    ) -> builtins.list[Deployment]:
        """A cluster's deployments, newest first (those still rolling or started since `since`)."""
        query = sa.select(DeploymentRow).where(DeploymentRow.cluster_id == cluster_id)
        if since is not None:
            query = query.where(
                sa.or_(
                    DeploymentRow.started_at >= since,
                    DeploymentRow.finished_at >= since,
                    DeploymentRow.finished_at.is_(None),
                )
            )
        rows = self._session.scalars(
            query.order_by(DeploymentRow.started_at.desc(), DeploymentRow.id.desc()).limit(limit)
        )
        return [_to_domain(r) for r in rows]

    def progress(self, deployment_id: int, done: int) -> None:
        """Record how many droplets run the new version."""
        self._session.get_one(DeploymentRow, deployment_id).droplets_done = done

    def finish(self, deployment_id: int, state: DeployState, at: float) -> Deployment:
        """End a deployment; a whole-cluster one that succeeded sets the cluster's version."""
        row = self._session.get_one(DeploymentRow, deployment_id)
        row.state, row.finished_at = state.value, at
        if state is DeployState.SUCCEEDED and row.droplet_id is None:
            self.set_cluster_version(row.cluster_id, row.version)
        self._session.flush()
        return _to_domain(row)

    def cluster_version(self, cluster_id: int) -> str:
        """The version a cluster runs (INITIAL_VERSION before its first deploy)."""
        row = self._session.get(ClusterVersionRow, cluster_id)
        return INITIAL_VERSION if row is None else row.version

    def set_cluster_version(self, cluster_id: int, version: str) -> None:
        """Make `version` the cluster's, for droplets it provisions from now on too."""
        row = self._session.get(ClusterVersionRow, cluster_id)
        if row is None:
            self._session.add(ClusterVersionRow(cluster_id=cluster_id, version=version))
        else:
            row.version = version

    def set_droplet_version(self, droplet_id: int, cluster_id: int, version: str) -> None:
        """A deploy reached this droplet."""
        row = self._session.get(DropletVersionRow, droplet_id)
        if row is None:
            self._session.add(
                DropletVersionRow(droplet_id=droplet_id, cluster_id=cluster_id, version=version)
            )
        else:
            row.version = version
        self._session.flush()

    def droplet_versions(self, cluster_ids: Iterable[int]) -> dict[int, str]:
        """Droplets that have their own version row, by id."""
        ids = builtins.list(cluster_ids)
        if not ids:
            return {}
        rows = self._session.execute(
            sa.select(DropletVersionRow.droplet_id, DropletVersionRow.version).where(
                DropletVersionRow.cluster_id.in_(ids)
            )
        )
        return {int(d): v for d, v in rows}

    def versions_of(self, cluster_id: int, droplet_ids: Iterable[int]) -> dict[int, str]:
        """The version each droplet runs: its own row, else its cluster's."""
        own = self.droplet_versions([cluster_id])
        default = self.cluster_version(cluster_id)
        return {d: own.get(d, default) for d in droplet_ids}


class DefectRepository:
    """Defective versions: the simulation's and the fault injector's, never diagnosis's."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def mark_bad(
        self, cluster_id: int, version: str, error_rate: float, fault_id: int | None
    ) -> None:
        """Deploying `version` to the cluster makes its droplets fail this share of requests."""
        self._session.add(
            VersionDefectRow(
                cluster_id=cluster_id, version=version, error_rate=error_rate, fault_id=fault_id
            )
        )
        self._session.flush()

    def defects(self) -> builtins.list[tuple[int, str, float, int | None]]:
        """(cluster_id, version, error_rate, fault_id) of every defect."""
        rows = self._session.execute(
            sa.select(
                VersionDefectRow.cluster_id,
                VersionDefectRow.version,
                VersionDefectRow.error_rate,
                VersionDefectRow.fault_id,
            )
        )
        return [(int(c), v, float(e), None if f is None else int(f)) for c, v, e, f in rows]


def _to_domain(row: DeploymentRow) -> Deployment:
    return Deployment(
        id=row.id,
        cluster_id=row.cluster_id,
        droplet_id=row.droplet_id,
        version=row.version,
        previous_version=row.previous_version,
        rollback=row.rollback,
        state=DeployState(row.state),
        job_id=row.job_id,
        started_at=row.started_at,
        finished_at=row.finished_at,
        droplets_done=row.droplets_done,
        droplets_total=row.droplets_total,
    )
