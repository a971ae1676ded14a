"""Reading a running server's /metrics as Prometheus would: scrape, look up a sample, wait."""

from __future__ import annotations

from collections.abc import Callable

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from clustergenie_server.app import ServerApp
from tests.waiting import eventually

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def metrics_url(app: ServerApp) -> str:
    """The server's /metrics (it must run with metrics_listen)."""
    assert app.ops is not None
    return f"http://127.0.0.1:{app.ops.endpoint.port}/metrics"


async def scrape(app: ServerApp) -> Samples:
    """Every sample of one scrape, by (name, labels)."""
    async with aiohttp.ClientSession() as http, http.get(metrics_url(app)) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = await response.text()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """One sample's value (0 when it is not there)."""
    return samples.get((name, frozenset(labels.items())), 0.0)


async def scrape_until(
    app: ServerApp, ready: Callable[[Samples], bool], within: float = 20.0
) -> Samples:
    """Scrape until ready(samples) holds (jobs finish and lines are written in their own time);
    the scrape that satisfied it."""
    scraped: list[Samples] = []

    async def satisfied() -> bool:
        scraped.append(await scrape(app))
        return ready(scraped[-1])

    await eventually(satisfied, timeout=within, what="a scrape of /metrics that satisfies ready")
    return scraped[-1]
