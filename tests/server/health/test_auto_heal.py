"""Auto-heal: once per streak, reboot or replace, within the per-cluster hourly budget."""

from __future__ import annotations

from clustergenie_server.domain.health import (
    AutoHeal,
    CheckDefinition,
    CheckKind,
    Target,
    TargetKind,
)
from clustergenie_server.services.health.auto_heal import AutoHealer


class Actions:
    """Records what a heal asked provisioning to do."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    async def reboot_droplet(self, droplet_id: int, *, retry_of: int | None = None) -> object:
        self.calls.append(("reboot", droplet_id))
        return None

    async def add_droplets(self, *, cluster_id: int, count: int, size: str = "") -> object:
        self.calls.append(("add", cluster_id))
        return None

    async def destroy_droplet(self, droplet_id: int, *, retry_of: int | None = None) -> object:
        self.calls.append(("destroy", droplet_id))
        return None


def check(heal: AutoHeal) -> CheckDefinition:
    """A cluster check that heals after 3 failures."""
    return CheckDefinition(
        1, "c", CheckKind.HTTP, TargetKind.CLUSTER, target_id=9, interval_seconds=5,
        timeout_seconds=1, auto_heal=heal, auto_heal_after=3,
    )  # fmt: skip


def target(droplet_id: int) -> Target:
    """A droplet of cluster 9."""
    return Target(f"droplet:{droplet_id}", 9, droplet_id)


def test_a_heal_is_due_once_per_streak_and_only_when_opted_in() -> None:
    c = check(AutoHeal.REBOOT)
    assert [AutoHealer.due(c, target(1), n) for n in (2, 3, 4, 5)] == [False, True, False, False]
    assert not AutoHealer.due(check(AutoHeal.NONE), target(1), 3)
    assert not AutoHealer.due(c, Target("lb:9", 9, 0), 3)  # balancers are not healed


async def test_replace_adds_a_droplet_then_destroys_the_sick_one() -> None:
    actions = Actions()
    healer = AutoHealer(actions, None, clock=lambda: 1000.0)
    assert await healer.heal(check(AutoHeal.REPLACE), target(4)) == "auto-heal: replacing droplet 4"
    assert actions.calls == [("add", 9), ("destroy", 4)]


async def test_the_budget_is_per_cluster_per_hour() -> None:
    actions, now = Actions(), [1000.0]
    healer = AutoHealer(actions, None, budget_per_hour=2, clock=lambda: now[0])
    c = check(AutoHeal.REBOOT)
    outcomes = [await healer.heal(c, target(n)) for n in (1, 2, 3)]
    assert outcomes[2] == "auto-heal budget spent (2 of 2 this hour)"
    assert actions.calls == [("reboot", 1), ("reboot", 2)]
    other = Target("droplet:7", 8, 7)  # another cluster has its own budget
    assert (await healer.heal(c, other)).startswith("auto-heal: rebooting")
    now[0] += 3601.0  # an hour later the budget is back
    assert (await healer.heal(c, target(3))).startswith("auto-heal: rebooting")
