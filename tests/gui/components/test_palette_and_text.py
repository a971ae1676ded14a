"""The palette's contrast, the status sentences and the command registry, Qt-free."""

from __future__ import annotations

import pytest

from clustergenie_gui.client.status_text import user_message
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
                lambda i=i: ran.append(f"d{i}"),
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
