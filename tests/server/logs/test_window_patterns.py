"""A window's patterns as the Patterns tab asks for them: a template's "first seen" is near its
first line in the window even when the window's newest lines are all of its last minute."""

from __future__ import annotations

from clustergenie_server.services.logs import log_service as log_service_module
from clustergenie_server.services.logs.log_service import LogService
from clustergenie_server.services.logs.patterns import MAX_LINES_MINED
from clustergenie_server.services.logs.pipeline import LogPipeline
from tests.server.logs.conftest import T0, stream

WINDOW = 1000.0
ERRORS_FROM = T0 + 200.0  # one error a second from here on
FLOOD_FROM = T0 + 900.0  # then more routine lines than are mined, in the last 100 s


async def _fill(pipeline: LogPipeline) -> None:
    errors = stream(level="error")
    pipeline.accept(
        [(errors, ERRORS_FROM + i, f"payment {i} declined by gateway", 1) for i in range(800)]
    )
    routine = stream()
    flood = MAX_LINES_MINED  # more than the half of a window that is mined
    pipeline.accept(
        [(routine, FLOOD_FROM + 100.0 * i / flood, f"order {i} created", 1) for i in range(flood)]
    )
    await pipeline.flush(everything=True)


async def test_first_seen_is_near_the_first_line_not_the_start_of_the_newest_lines(
    pipeline: LogPipeline, service: LogService
) -> None:
    await _fill(pipeline)
    patterns = await service.pattern_counts("{}", T0, T0 + WINDOW, T0, spread=True)
    declined = next(p for p in patterns if "declined" in p.template)
    slice_width = WINDOW / log_service_module.PATTERN_SLICES
    assert ERRORS_FROM <= declined.first_seen <= ERRORS_FROM + slice_width

    # Sampled from the newest lines only (what Diagnose asks for), it reads the flood's time.
    newest = await service.pattern_counts("{}", T0, T0 + WINDOW, T0)
    declined_newest = next(p for p in newest if "declined" in p.template)
    assert declined_newest.first_seen >= FLOOD_FROM
