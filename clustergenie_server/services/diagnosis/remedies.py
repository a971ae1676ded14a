"""Remedies: concrete actions for a root cause, each with a preview (what changes, the cost
per month from the catalog). Applying one is remedy_actions' work."""

from __future__ import annotations

import math

from clustergenie_server.domain.diagnosis import (
    Finding,
    FindingKind,
    Remedy,
    RemedyAction,
    RootCause,
)
from clustergenie_server.domain.telemetry import Metric
from clustergenie_server.services.diagnosis.analyzers.common import nanmedian
from clustergenie_server.services.diagnosis.window import TelemetryWindow
from clustergenie_server.simulation.catalog import Catalog

K, A = FindingKind, RemedyAction
HEADROOM_CPU = 60.0  # scale so the droplets would run at this CPU


def _cost(catalog: Catalog, sizes: list[str]) -> float:
    total = 0.0
    for slug in sizes:
        size = catalog.size(slug)
        total += size.price_monthly if size else 0.0
    return round(total, 2)


def _bigger(catalog: Catalog, slug: str) -> str:
    """The next size up with more vCPUs and memory (same family order as the catalog)."""
    current = catalog.size(slug)
    if current is None:
        return slug
    options = sorted(
        (s for s in catalog.sizes if s.vcpus >= current.vcpus and s.memory_mb > current.memory_mb),
        key=lambda s: s.price_monthly,
    )
    return options[0].slug if options else slug


class RemedyPlanner:
    """Proposes remedies for root causes, priced from the catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def propose(self, causes: tuple[RootCause, ...], w: TelemetryWindow) -> list[Remedy]:
        """Remedies for the first causes (best first), numbered r1, r2, ..."""
        out: list[Remedy] = []
        for rc in causes[:3]:
            if rc.cause.severity.value < 2 and rc is not causes[0]:
                continue
            for remedy in self._for(rc.cause, w):
                out.append(_numbered(remedy, len(out) + 1))
        for rc in causes[:1]:
            for s in rc.symptoms:
                if s.kind is K.HEALTH_CHECK_FAILING and (check := s.fact("check")):
                    out.append(_numbered(self._pause(s, check, w), len(out) + 1))
        return out

    def _for(self, f: Finding, w: TelemetryWindow) -> list[Remedy]:
        sizes = [d.size for d in w.droplets]
        now = _cost(self._catalog, sizes)
        droplet = w.droplet(f.target.droplet_id)
        name = f.target.name
        match f.kind:
            case K.BAD_DEPLOY:
                version = f.fact("previous version")
                return [
                    self._make(A.ROLL_BACK, f, f"Roll back {w.cluster.name} to {version}",
                               f"deploys {version} again to the droplets that run "
                               f"{f.fact('version')}; no droplets are added or removed",
                               now, now, True, version=version),
                ]  # fmt: skip
            case K.MEMORY_LEAK if droplet is not None:
                return [
                    self._make(A.REPLACE, f, f"Replace {name}",
                               f"provisions a fresh {droplet.size} droplet, then destroys "
                               f"{name} (the leaking process goes with it)", now, now, True),
                    self._make(A.REBOOT, f, f"Reboot {name}",
                               f"restarts {name}: its memory is freed, but a leak in the running "
                               "software grows again", now, now, False),
                ]  # fmt: skip
            case K.CPU_HOG if droplet is not None:
                bigger = _bigger(self._catalog, droplet.size)
                resized = _cost(
                    self._catalog, [bigger if d is droplet else d.size for d in w.droplets]
                )
                return [
                    self._make(A.REBOOT, f, f"Reboot {name}",
                               f"restarts {name}, ending the runaway process", now, now, True),
                    self._make(A.RESIZE, f, f"Resize {name} to {bigger}",
                               f"gives {name} more CPU ({droplet.size} → {bigger}); the hog "
                               "keeps its share", now, resized, False, size=bigger),
                ]  # fmt: skip
            case K.DISK_FILLING if droplet is not None:
                return [
                    self._make(A.FREE_DISK, f, f"Free disk on {name}",
                               f"stops the runaway writer on {name}, deletes old logs and "
                               "restarts the service", now, now, True),
                ]  # fmt: skip
            case K.NETWORK_LATENCY | K.NETWORK_PARTITION | K.CRASH_LOOP if droplet is not None:
                return [
                    self._make(A.REPLACE, f, f"Replace {name}",
                               f"provisions a fresh {droplet.size} droplet on another host, then "
                               f"destroys {name}", now, now, True),
                    self._make(A.REBOOT, f, f"Reboot {name}", f"restarts {name}", now, now, False),
                ]  # fmt: skip
            case K.TRAFFIC_SURGE | K.SCALING_AT_MAX:
                return self._capacity(f, w, sizes, now)
            case _:
                return []

    def _capacity(
        self, f: Finding, w: TelemetryWindow, sizes: list[str], now: float
    ) -> list[Remedy]:
        cpu = float(nanmedian(w.cluster_series(Metric.CPU_PERCENT)[-3:]))
        offered = float(nanmedian(w.cluster_series(Metric.OFFERED_RPS)[-3:]))
        served = float(nanmedian(w.cluster_series(Metric.REQUESTS_PER_SECOND)[-3:]))
        n = max(1, len(w.droplets))
        load = cpu * max(1.0, offered / max(served, 1e-6))  # what all of it would need
        target = max(n + 1, math.ceil(n * load / HEADROOM_CPU))
        size = sizes[0] if sizes else ""
        after = now + _cost(self._catalog, [size] * (target - n))
        out = []
        if w.policy is not None and w.policy.max_droplets < target:
            out.append(
                self._make(A.RAISE_MAX, f, f"Raise the scaling maximum of {w.cluster.name} to "
                           f"{target}", f"the policy's max_droplets {w.policy.max_droplets} → "
                           f"{target}; the auto-scaler adds droplets as it needs", now, after,
                           True, max=str(target))
            )  # fmt: skip
        out.append(
            self._make(A.SCALE_OUT, f, f"Scale {w.cluster.name} out to {target} droplets",
                       f"adds {target - n} {size} droplet(s) ({n} → {target}) so they run near "
                       f"{HEADROOM_CPU:.0f} % CPU", now, after, True, count=str(target))
        )  # fmt: skip
        return out

    def _pause(self, f: Finding, check: str, w: TelemetryWindow) -> Remedy:
        cost = _cost(self._catalog, [d.size for d in w.droplets])
        return self._make(
            A.PAUSE_CHECK, f, f"Pause check {check}",
            f"stops {check} alerting while the cause is fixed", cost, cost, False, check=check,
        )  # fmt: skip

    def _make(
        self,
        action: RemedyAction,
        f: Finding,
        title: str,
        changes: str,
        before: float,
        after: float,
        fixes: bool,
        **params: str,
    ) -> Remedy:
        return Remedy(
            "", action, title, f.target, tuple(sorted(params.items())), changes, before, after,
            fixes, f.key,
        )  # fmt: skip


def _numbered(r: Remedy, n: int) -> Remedy:
    return Remedy(
        f"r{n}", r.action, r.title, r.target, r.params, r.changes, r.monthly_cost_before,
        r.monthly_cost_after, r.fixes, r.cause_key,
    )  # fmt: skip
