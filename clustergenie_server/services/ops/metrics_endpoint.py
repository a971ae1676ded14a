"""MetricsEndpoint: http://HOST:PORT/metrics for Prometheus, served on the server's event loop."""

from __future__ import annotations

import asyncio
import logging
import socket

from aiohttp import web
from prometheus_client import generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from clustergenie_server.services.ops.server_metrics import MetricsSources, ServerMetrics

log = logging.getLogger(__name__)


class EndpointError(RuntimeError):
    """The metrics address cannot be bound."""


class MetricsEndpoint:
    """An aiohttp site with one route; each scrape refreshes the database counts first."""

    def __init__(self, listen: str, metrics: ServerMetrics, sources: MetricsSources) -> None:
        self._host, _, port = listen.rpartition(":")
        self._host = self._host.strip("[]")
        self._port = int(port)
        self._metrics, self._sources = metrics, sources
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        """Bind and serve; EndpointError when the address is taken or cannot be resolved."""
        sock = await self._bind()
        app = web.Application()
        app.router.add_get("/metrics", self._scrape)
        app.router.add_get("/", self._index)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()
        self.port = int(sock.getsockname()[1])
        await self._sources.start()
        log.info("serving Prometheus metrics on http://%s:%d/metrics", self._host, self.port)

    async def _bind(self) -> socket.socket:
        # Our own socket: the real port is known when 0 was asked for (tests), and a taken
        # address fails here with a message that names the setting.
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(
                self._host, self._port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
            )
            family, kind, proto, _, address = infos[0]
            sock = socket.socket(family, kind, proto)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
        except OSError as exc:
            raise EndpointError(
                f"cannot serve metrics on {self._host}:{self._port}: {exc.strerror or exc}; "
                "choose another address with --metrics-listen"
            ) from exc
        sock.setblocking(False)
        return sock

    async def stop(self) -> None:
        """Stop serving."""
        await self._sources.stop()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _scrape(self, request: web.Request) -> web.Response:
        await self._sources.refresh()
        # Formatting thousands of droplet series takes milliseconds: off the event loop (the
        # instruments are thread-safe, and the collector reads values it replaces whole).
        loop = asyncio.get_running_loop()
        body = await loop.run_in_executor(None, generate_latest, self._metrics.registry)
        # The classic text format: every Prometheus 2.x (Debian's included) parses it.
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_PLAIN_0_0_4})

    async def _index(self, request: web.Request) -> web.Response:
        return web.Response(text="ClusterGenie server: metrics at /metrics\n")
