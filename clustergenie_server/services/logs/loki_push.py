"""The Loki push API (POST /loki/api/v1/push, JSON), so Promtail, Alloy, Vector and Fluent Bit
can send here with their Loki outputs. A bearer token (or basic auth with the token as the
password, as Promtail's basic_auth sends it) of an operator or admin is required.

Bad payloads get HTTP 400 with a JSON {"message": ...}; the valid streams and lines of a payload
with some bad entries are accepted (204 when all were, 400 naming the bad ones otherwise).
"""

from __future__ import annotations

import base64
import gzip
import json
import logging
from typing import Any

from aiohttp import web

from clustergenie_server.domain.auth import Role
from clustergenie_server.domain.logs import Entry
from clustergenie_server.security.tokens import TokenStore
from clustergenie_server.services.logs.log_service import LogService

log = logging.getLogger(__name__)

PUSH_PATH = "/loki/api/v1/push"
MAX_BODY_BYTES = 16 * 1024 * 1024


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"message": message}, status=status)


def parse_push(body: Any) -> tuple[list[Entry], list[str]]:
    """Entries of a Loki JSON push payload and the reasons for the entries refused."""
    if not isinstance(body, dict) or not isinstance(body.get("streams"), list):
        raise ValueError('the body must be {"streams": [{"stream": {...}, "values": [...]}]}')
    entries: list[Entry] = []
    problems: list[str] = []
    for i, s in enumerate(body["streams"]):
        labels = s.get("stream") if isinstance(s, dict) else None
        values = s.get("values") if isinstance(s, dict) else None
        if not isinstance(labels, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in labels.items()
        ):
            problems.append(f"streams[{i}].stream must be an object of string labels")
            continue
        if not isinstance(values, list):
            problems.append(f"streams[{i}].values must be a list of [time, line] pairs")
            continue
        for j, v in enumerate(values):
            entry = _entry(labels, v)
            if entry is None:
                problems.append(
                    f'streams[{i}].values[{j}] must be ["<unix epoch in nanoseconds>", "<line>"]'
                )
            else:
                entries.append(entry)
    return entries, problems


def _entry(labels: dict[str, str], value: Any) -> Entry | None:
    if not isinstance(value, list) or len(value) not in (2, 3) or not isinstance(value[1], str):
        return None
    try:
        nanos = int(value[0])
    except (TypeError, ValueError):
        return None
    merged = dict(labels)
    if len(value) == 3 and isinstance(value[2], dict):  # structured metadata: more labels
        merged.update({str(k): str(v) for k, v in value[2].items()})
    return Entry(merged, value[1], nanos / 1e9 if nanos > 0 else None)


class LokiPushServer:
    """An aiohttp server with the push endpoint."""

    def __init__(self, listen: str, logs: LogService, tokens: TokenStore) -> None:
        self.listen, self._logs, self._tokens = listen, logs, tokens
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        """Listen (port 0 picks a free port; see .port)."""
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        app.router.add_post(PUSH_PATH, self._push)
        app.router.add_get("/ready", self._ready)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        host, _, port = self.listen.rpartition(":")
        site = web.TCPSite(self._runner, host or "127.0.0.1", int(port))
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else int(port)
        log.info("Loki push API on %s:%d%s", host, self.port, PUSH_PATH)

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def _ready(self, request: web.Request) -> web.Response:
        return web.Response(text="ready")

    def _authorised(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        scheme, _, credential = header.partition(" ")
        token = ""
        if scheme.lower() == "bearer":
            token = credential.strip()
        elif scheme.lower() == "basic":
            try:
                token = base64.b64decode(credential).decode().partition(":")[2]
            except (ValueError, UnicodeDecodeError):
                return False
        principal = self._tokens.lookup(token) if token else None
        return principal is not None and principal.role >= Role.OPERATOR

    async def _push(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, "a bearer token of an operator or admin is required")
        if request.content_type == "application/x-protobuf":
            return _error(415, "send JSON (Content-Type: application/json); protobuf is not read")
        raw = await request.read()
        try:
            if raw[:2] == b"\x1f\x8b":  # gzip that aiohttp did not already undo
                raw = gzip.decompress(raw)
            body = json.loads(raw)
            entries, problems = parse_push(body)
        except (ValueError, OSError, EOFError) as exc:
            return _error(400, f"the payload is not a Loki push request: {exc}")
        await self._logs.pipeline.room()
        result = self._logs.ingest(entries, source="loki")
        problems.extend(result.errors)
        if problems or result.rejected:
            return _error(
                400,
                f"accepted {result.accepted} lines; refused: " + "; ".join(problems[:5]),
            )
        return web.Response(status=204)
