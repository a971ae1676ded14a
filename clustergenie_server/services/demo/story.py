"""The demo's script: three clusters in two regions, then a spike, a bad deploy and a leak.

Each step is data (what the banner says before and while it runs, how long after the previous
step it starts, in simulated seconds) and one coroutine that acts through the public services
as an operator would. Timed for settings.DEMO_TIME_SCALE (5): about 17 minutes of wall time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from clustergenie_server.domain.demo import MilestoneName
from clustergenie_server.domain.diagnosis import DiagnosisDone, RemedyAction
from clustergenie_server.domain.models import DropletStatus
from clustergenie_server.domain.scaling import ScalingMetric, ScalingPolicy
from clustergenie_server.domain.telemetry import FaultKind
from clustergenie_server.services.demo.world import DemoWorld
from clustergenie_server.services.diagnosis.diagnosis_service import (
    DiagnoseRequest,
    RemedyVerdict,
)
from clustergenie_server.services.telemetry.fault_service import FaultRequest

SIZE, IMAGE = "s-1vcpu-1gb", "ubuntu-24-04-x64"
# name, region, droplets, tags (steady traffic so each incident stands out)
CLUSTERS = (
    ("shop", "nyc1", 3, ("rps:150", "traffic:flat", "demo")),
    ("api", "nyc1", 3, ("rps:120", "traffic:flat", "demo")),
    ("batch", "ams3", 2, ("rps:60", "traffic:flat", "demo")),
)
POLL = 15.0  # simulated seconds between looks at the world


Reach = Callable[[MilestoneName, str], None]


@dataclass(slots=True)
class Cast:
    """What earlier steps made that later ones act on."""

    clusters: dict[str, int] = field(default_factory=dict)
    session_id: int = 0
    rollback_remedy: str = ""


Action = Callable[[DemoWorld, Cast, Reach], Awaitable[str]]  # returns what happened, for people


@dataclass(frozen=True, slots=True)
class Step:
    """One step: shown as "next" during `delay`, then as "now" while `run` acts."""

    title: str
    detail: str  # what the audience sees while it runs
    delay: float  # simulated seconds after the previous step ended
    run: Action


async def _until(world: DemoWorld, seconds: float, done: Callable[[], Awaitable[bool]]) -> bool:
    """Look every POLL simulated seconds until done() or `seconds` have passed."""
    deadline = world.clock.now() + seconds
    while not await done():
        if world.clock.now() >= deadline:
            return False
        await world.sleep(POLL)
    return True


async def set_the_stage(world: DemoWorld, cast: Cast, _reach: Reach) -> str:
    """Create the clusters, wait for their droplets, put policies and checks in place."""
    for name, region, count, tags in CLUSTERS:
        existing = {c.name: c.id for c in await world.provisioning.list_clusters()}
        if name not in existing:
            action = await world.provisioning.create_cluster(
                name=name, region=region, size=SIZE, image=IMAGE, droplet_count=count, tags=tags
            )
            existing[name] = action.cluster.id
        cast.clusters[name] = existing[name]

    async def all_active() -> bool:
        droplets = await world.provisioning.list_droplets()
        return all(d.status is DropletStatus.ACTIVE for d in droplets)

    await _until(world, 900, all_active)
    for name, low, high in (("shop", 3, 6), ("api", 3, 5)):
        await world.scaling.set_policy(
            ScalingPolicy(cast.clusters[name], ScalingMetric.CPU, 60.0, low, high)
        )
    checks: list[str] = []
    if world.add_checks is not None:
        for name, cluster_id in cast.clusters.items():
            checks += await world.add_checks(cluster_id, name)
    return "shop, api (nyc1) and batch (ams3) are up; shop and api auto-scale on CPU" + (
        f"; {len(checks)} health checks watch them" if checks else ""
    )


async def traffic_spike(world: DemoWorld, cast: Cast, reach: Reach) -> str:
    """Triple shop's traffic for 20 minutes; wait for the auto-scaler to add droplets."""
    shop = cast.clusters["shop"]
    before, _ = await world.scaling.counts(shop)
    await world.faults.inject(
        FaultRequest(FaultKind.TRAFFIC_SPIKE, shop, magnitude=3.0, duration_seconds=1200)
    )

    async def scaled_out() -> bool:
        return (await world.scaling.counts(shop))[0] > before

    if not await _until(world, 1200, scaled_out):
        return "the spike came, but shop did not scale out in time"
    after, _ = await world.scaling.counts(shop)
    text = f"shop scaled out from {before} to {after} droplets under 3x traffic"
    reach(MilestoneName.SCALE_OUT, text)
    return text


async def bad_deploy(world: DemoWorld, cast: Cast, _reach: Reach) -> str:
    """Deploy a flawed version to api and let its errors show for five minutes."""
    await world.faults.inject(FaultRequest(FaultKind.BAD_DEPLOY, cast.clusters["api"], 0, 0.4))
    await world.sleep(300)
    return "api runs a new version; 40 % of its requests now fail"


async def diagnose_api(world: DemoWorld, cast: Cast, reach: Reach) -> str:
    """Ask Diagnose what is wrong with api; keep its session and the roll-back remedy."""
    request = DiagnoseRequest(cast.clusters["api"], question="Why are api's requests failing?")
    done: DiagnosisDone | None = None
    async for event in world.diagnosis.diagnose(request):
        if isinstance(event, DiagnosisDone):
            done = event
    analysis = done.turn.analysis if done is not None else None
    if done is None or analysis is None or analysis.root is None:
        return "Diagnose found no root cause on api"
    cast.session_id = done.session_id
    cause = analysis.root.cause
    rollback = next((r for r in done.turn.remedies if r.action is RemedyAction.ROLL_BACK), None)
    cast.rollback_remedy = rollback.id if rollback is not None else ""
    text = f"Diagnose: {cause.summary}"
    if str(cause.kind) == "bad_deploy":
        reach(MilestoneName.BAD_DEPLOY_DIAGNOSED, text)
    return text


async def roll_back(world: DemoWorld, cast: Cast, reach: Reach) -> str:
    """Apply Diagnose's roll-back remedy and report its verified verdict."""
    if not cast.rollback_remedy:
        return "there is no roll-back remedy to apply"
    verdict: RemedyVerdict | None = None
    async for event in world.diagnosis.apply_remedy(
        cast.session_id, cast.rollback_remedy, confirmed=True
    ):
        if isinstance(event, RemedyVerdict):
            verdict = event
    if verdict is None:
        return "the roll-back ran but gave no verdict"
    if verdict.resolved:
        reach(MilestoneName.ROLLBACK_RESOLVED, f"rolled back; the follow-up says: {verdict.text}")
    return verdict.text


async def memory_leak(world: DemoWorld, cast: Cast, reach: Reach) -> str:
    """Start a leak on batch's first droplet; wait for Health's alert with its cause attached."""
    batch = cast.clusters["batch"]
    target = (await world.provisioning.list_droplets(cluster_id=batch))[0]
    await world.faults.inject(FaultRequest(FaultKind.MEMORY_LEAK, batch, target.id, 3.0))
    if world.alerts is None:
        return f"{target.name} leaks memory (this server runs no health checks to alert on it)"
    lookup = world.alerts
    seen: list[tuple[str, str]] = []

    async def alerted_with_cause() -> bool:
        alert = await lookup(batch, target.id)
        if alert is not None and alert[1]:
            seen.append(alert)
        return bool(seen)

    if not await _until(world, 5400, alerted_with_cause):
        return f"{target.name} leaks memory, but no alert carried a cause in time"
    check, cause = seen[-1]
    text = f"alert {check} on {target.name}, cause attached: {cause}"
    reach(MilestoneName.LEAK_ALERT_WITH_CAUSE, text)
    return text


async def curtain(_world: DemoWorld, _cast: Cast, _reach: Reach) -> str:
    """The end: nothing more happens."""
    return "the clusters keep running: ask questions, or try clustergenie-ctl against this server"


STORY = (
    Step("Three clusters in two regions", "Provisioning shop, api and batch; policies and "
         "checks go in place.", 0, set_the_stage),
    Step("A traffic spike on shop", "shop gets 3x its traffic: watch CPU climb and the "
         "auto-scaler add droplets (Scaling panel).", 420, traffic_spike),
    Step("A bad deploy on api", "A new version reaches api; errors rise on every droplet "
         "(Overview).", 900, bad_deploy),
    Step("Diagnose investigates api", "Diagnose reads metrics, events and deploys and names "
         "the cause (Diagnose panel, session history).", 0, diagnose_api),
    Step("Roll back", "The roll-back remedy runs; a follow-up diagnosis checks the errors are "
         "gone.", 180, roll_back),
    Step("A memory leak on batch", "One droplet's memory grows; the health check alerts, "
         "with Diagnose's cause attached.", 900, memory_leak),
    Step("That's the story", "A spike absorbed, a bad deploy diagnosed and rolled back, a "
         "leak caught with its cause (the milestones below say what this run reached).", 300,
         curtain),
)  # fmt: skip
