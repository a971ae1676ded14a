"""What a check probes: its targets resolved from the inventory, and the simulated world."""

from __future__ import annotations

from collections.abc import Sequence

from clustergenie_server.domain.health import CheckDefinition, Target, TargetKind
from clustergenie_server.domain.models import Cluster, Droplet, DropletStatus
from clustergenie_server.services.health.checkers import SimDroplet

_GONE = frozenset({DropletStatus.ARCHIVE})


class InventoryIndex:
    """Clusters and droplets by id, rebuilt when the inventory snapshot changes."""

    def __init__(self) -> None:
        self._source: object = None
        self.clusters: dict[int, Cluster] = {}
        self.droplets: dict[int, Droplet] = {}
        self.by_cluster: dict[int, list[Droplet]] = {}

    def update(self, clusters: Sequence[Cluster], droplets: Sequence[Droplet]) -> None:
        """Take a new snapshot (cheap when it is the same lists as last time)."""
        if self._source is droplets and len(self.clusters) == len(clusters):
            return
        self._source = droplets
        self.clusters = {c.id: c for c in clusters}
        self.droplets = {d.id: d for d in droplets if d.status not in _GONE}
        self.by_cluster = {}
        for d in self.droplets.values():
            self.by_cluster.setdefault(d.cluster_id, []).append(d)

    def sim_droplet(self, droplet_id: int) -> SimDroplet | None:
        """A droplet as the simulated prober sees it."""
        d = self.droplets.get(droplet_id)
        if d is None:
            return None
        return SimDroplet(d.id, d.cluster_id, d.region, d.status is DropletStatus.ACTIVE)

    def sim_cluster(self, cluster_id: int) -> list[SimDroplet]:
        """The droplets behind a cluster's balancer."""
        return [
            SimDroplet(d.id, d.cluster_id, d.region, d.status is DropletStatus.ACTIVE)
            for d in self.by_cluster.get(cluster_id, [])
        ]

    def targets(self, check: CheckDefinition) -> list[Target]:
        """The targets of a check now (a cluster check fans out to its droplets)."""
        match check.target_kind:
            case TargetKind.ADDRESS:
                return [Target("address", label=check.address)]
            case TargetKind.DROPLET:
                d = self.droplets.get(check.target_id)
                cluster = d.cluster_id if d else 0
                label = d.name if d else f"droplet {check.target_id}"
                return [Target(f"droplet:{check.target_id}", cluster, check.target_id, label)]
            case TargetKind.LOAD_BALANCER:
                c = self.clusters.get(check.target_id)
                label = f"{c.name} balancer" if c else f"cluster {check.target_id} balancer"
                return [Target(f"lb:{check.target_id}", check.target_id, 0, label)]
            case _:
                return [
                    Target(f"droplet:{d.id}", d.cluster_id, d.id, d.name)
                    for d in sorted(self.by_cluster.get(check.target_id, []), key=lambda d: d.id)
                ]
