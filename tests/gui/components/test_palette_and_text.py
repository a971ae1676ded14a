"""The palette's contrast, the status sentences and the command registry, Qt-free."""

from __future__ import annotations

from functools import partial

import pytest

from clustergenie_gui.client.health_client import TargetHealth
from clustergenie_gui.client.status_text import user_message
from clustergenie_gui.models import health_model
from clustergenie_gui.models.components.command_registry import Command, CommandRegistry
from clustergenie_gui.models.components.palette import (
    DARK,
    LIGHT,
    Palette,
    contrast_ratio,
    text_pairs,
)


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=lambda p: p.name)
def test_every_text_colour_meets_wcag_aa_on_its_backgrounds(palette: Palette) -> None:
    failing = [
        (what, round(contrast_ratio(fg, bg), 2))
        for what, fg, bg in text_pairs(palette)
        if contrast_ratio(fg, bg) < 4.5
    ]
    assert failing == []


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=lambda p: p.name)
def test_health_status_cells_are_readable_in_both_themes(palette: Palette) -> None:
    """Every status-grid cell (the state colours as backgrounds) under its text: WCAG AA."""
    ratios = {
        state: round(contrast_ratio(palette.cell_text, palette.state_cell(state)[0]), 2)
        for state in ("healthy", "degraded", "unhealthy", "unknown", "lone_failure")
    }
    assert all(ratio >= 4.5 for ratio in ratios.values()), ratios
    # The states stay told apart: five different fills.
    assert len({palette.state_cell(state)[0] for state in ratios}) == len(ratios)


def test_the_health_grid_paints_its_cells_from_the_palette() -> None:
    """The grid's cell colours are the palette's (no app: the light theme is in force)."""
    sick = TargetHealth(1, "10.0.0.2", "web-2", 1, "unhealthy")
    lone = TargetHealth(1, "10.0.0.3", "web-3", 1, "healthy", failing_locations=("ams3",))
    assert health_model.colour(sick) == LIGHT.cell_unhealthy
    assert health_model.colour(lone) == LIGHT.cell_lone_failure
    assert contrast_ratio(health_model.cell_text(), health_model.colour(sick)) >= 4.5


def test_contrast_ratio_matches_the_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_raw_grpc_text_never_reaches_people() -> None:
    raw = "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:1: refused"
    for code in ("UNAVAILABLE", "UNKNOWN", "INTERNAL", "FAILED_PRECONDITION"):
        message = user_message(code, raw)
        assert "ipv4" not in message
        assert "UNKNOWN" not in message
        assert message.endswith(".")
    assert "reconnecting" in user_message("UNAVAILABLE", raw)
    # The server's own sentences for refusals are kept as they are.
    assert user_message("INVALID_ARGUMENT", "name is empty") == "name is empty"
    assert "in time" in user_message("DEADLINE_EXCEEDED", "Deadline Exceeded")


def test_the_registry_finds_items_by_fuzzy_name_and_ranks_the_closest_first() -> None:
    ran: list[str] = []
    registry = CommandRegistry()
    registry.add(Command("Create cluster…", lambda: ran.append("create")))
    registry.add(Command("Reboot selected droplets…", lambda: ran.append("reboot")))
    registry.add_source(
        lambda: [
            Command(
                f"api-stage-{i}",
                partial(ran.append, f"d{i}"),
                kind="droplet",
                detail=f"api-stage · active · 203.0.113.{i}",  # as the app lists droplets
            )
            for i in range(1, 13)
        ]
    )
    assert [c.title for c in registry.search("apistage10", limit=2)][0] == "api-stage-10"
    assert registry.search("api 2")[0].title == "api-stage-2"
    assert registry.search("api 1")[0].title == "api-stage-1"
    assert registry.search("droplet api-stage-7")[0].title == "api-stage-7"
    assert registry.search("crt clust")[0].title == "Create cluster…"
    assert [c.title for c in registry.search("")] == [
        "Create cluster…",
        "Reboot selected droplets…",
    ]
    assert registry.search("zzzz-nothing") == []
    registry.search("reboot")[0].run()
    assert ran == ["reboot"]
