"""Every job kind's handler, built in one place from what the handlers need (app.build_server).

A new kind adds its handler here; build_job_handlers refuses to build a set that leaves a kind
without one, so a job of that kind can never be queued and then found unrunnable.
"""

from __future__ import annotations

from collections.abc import Mapping

from clustergenie_server.domain.models import JobKind
from clustergenie_server.services.deploys.deploy_job import DeployVersion
from clustergenie_server.services.jobs.job_handlers import DROPLET_AND_CLUSTER_HANDLERS, JobHandler
from clustergenie_server.services.scaling.scale_job import DropletActions, ScaleCluster
from clustergenie_server.services.telemetry.world_effects import FreeDisk, RebootEndsRunaways
from clustergenie_server.settings import Settings
from clustergenie_server.simulation.clock import SimClock


def build_job_handlers(
    settings: Settings, *, droplets: DropletActions, clock: SimClock
) -> Mapping[JobKind, JobHandler]:
    """One handler per job kind; `droplets` is what the scale job provisions and destroys with,
    `clock` the simulated time that deploys, reboots and disk cleanups change the world at."""
    sim = settings.simulation
    handlers: dict[JobKind, JobHandler] = {
        cls.kind: cls(sim) for cls in DROPLET_AND_CLUSTER_HANDLERS
    }
    handlers[JobKind.SCALE_CLUSTER] = ScaleCluster(sim, settings.scaling, droplets)
    handlers[JobKind.DEPLOY_VERSION] = DeployVersion(sim, clock)
    # A reboot also ends runaway processes (a CPU hog, a leak's memory) in the simulated world.
    handlers[JobKind.REBOOT_DROPLET] = RebootEndsRunaways(sim, clock)
    handlers[JobKind.FREE_DISK] = FreeDisk(sim, clock)
    if missing := sorted(kind.value for kind in set(JobKind) - set(handlers)):
        raise ValueError(f"no job handler for {', '.join(missing)}; add one in job_kinds.py")
    return handlers
