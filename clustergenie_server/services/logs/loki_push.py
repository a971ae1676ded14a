"""The Loki push API (POST /loki/api/v1/push), so Promtail, Alloy, Vector and Fluent Bit can
send here with their Loki outputs: JSON (`Content-Type: application/json`, gzip allowed), or
protobuf (`application/x-protobuf`: a logproto.PushRequest, snappy block-compressed, what
Promtail and Alloy send). A bearer token (or basic auth with the token as the password, as
Promtail's basic_auth sends it) of an operator or admin is required.

Bad payloads get HTTP 400 with a JSON {"message": ...}; the valid streams and lines of a payload
with some bad entries are accepted (204 when all were, 400 naming the bad ones otherwise).
"""

from __future__ import annotations

import base64
import gzip
import json
import logging
from typing import Any

import cramjam
from aiohttp import hdrs, web

from clustergenie_server.domain.auth import Role
from clustergenie_server.domain.logs import Entry, IngestResult
from clustergenie_server.security.tokens import TokenStore
from clustergenie_server.services.logs.ingest import MAX_BATCH_LINES
from clustergenie_server.services.logs.log_service import LogService
from clustergenie_server.services.logs.query_errors import QueryError
from clustergenie_server.services.logs.query_parser import parse_labels
from clustergenie_server.wire.loki_convert import decode_push

log = logging.getLogger(__name__)

PUSH_PATH = "/loki/api/v1/push"
MAX_BODY_BYTES = 16 * 1024 * 1024
MAX_DECODED_BYTES = 64 * 1024 * 1024  # a snappy body's size once decompressed
JSON, PROTOBUF = "application/json", "application/x-protobuf"
ACCEPTED_TYPES = (
    f"{JSON} (Loki's JSON push, gzip allowed) or {PROTOBUF} (a snappy-compressed "
    "logproto.PushRequest, as Promtail and Alloy send)"
)
_SNAPPY_FRAMED = b"\xff\x06\x00\x00sNaPpY"  # the stream identifier of snappy's framed format


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


def parse_push_protobuf(body: bytes) -> tuple[list[Entry], list[str]]:
    """Entries of a snappy-compressed logproto.PushRequest and the reasons for the streams
    refused (ValueError when the body is not one)."""
    entries: list[Entry] = []
    problems: list[str] = []
    for i, stream in enumerate(decode_push(unsnappy(body))):
        try:
            labels = parse_labels(stream.labels)
        except QueryError as exc:
            text = stream.labels if len(stream.labels) <= 200 else stream.labels[:200] + "..."
            problems.append(
                f"streams[{i}].labels {text!r} at character {exc.pos + 1}: {exc.reason}; "
                'labels are Prometheus label-set text such as {job="varlogs", host="a"}'
            )
            continue
        for e in stream.entries:  # the lines without metadata share their stream's labels
            merged = {**labels, **e.metadata} if e.metadata else labels
            entries.append(Entry(merged, e.line, _seconds(e.nanos)))
    return entries, problems


def unsnappy(body: bytes) -> bytes:
    """A snappy block-compressed body decompressed (ValueError saying what to send instead)."""
    if body.startswith(_SNAPPY_FRAMED):
        raise ValueError(
            "the body is in snappy's framed (stream) format; compress it with the block format "
            "(Go's snappy.Encode, Python's cramjam.snappy.compress_raw), as Promtail does"
        )
    try:
        size = cramjam.snappy.decompress_raw_len(body)
        if size > MAX_DECODED_BYTES:
            raise ValueError(
                f"the body says it decompresses to {size} bytes, more than "
                f"{MAX_DECODED_BYTES}; send smaller batches (Promtail: clients[].batchsize)"
            )
        return bytes(cramjam.snappy.decompress_raw(body))
    except cramjam.DecompressionError as exc:
        raise ValueError(
            f"the body is not snappy block-compressed ({exc}); with Content-Type {PROTOBUF}, "
            "send the serialized PushRequest compressed with snappy's block format"
        ) from None


def _seconds(nanos: int) -> float | None:
    """Unix nanoseconds as seconds; 0 (or less: no time given) is None, the server's now."""
    return nanos / 1e9 if nanos > 0 else None


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
    return Entry(merged, value[1], _seconds(nanos))


def _json_entries(raw: bytes) -> tuple[list[Entry], list[str]]:
    """Entries of a JSON push body (gzip that aiohttp did not already undo is undone here)."""
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return parse_push(json.loads(raw))


def _body_type(request: web.Request) -> str | None:
    """JSON or PROTOBUF by the Content-Type (none given: JSON, as before protobuf was read),
    or None for a type this endpoint does not read."""
    if hdrs.CONTENT_TYPE not in request.headers:
        return JSON
    kind = request.content_type
    return kind if kind in (JSON, PROTOBUF) else None


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
        kind = _body_type(request)
        if kind is None:
            return _error(
                415, f"Content-Type {request.content_type} is not read here: send {ACCEPTED_TYPES}"
            )
        raw = await request.read()
        try:
            entries, problems = parse_push_protobuf(raw) if kind == PROTOBUF else _json_entries(raw)
        except (ValueError, OSError, EOFError) as exc:
            return _error(400, f"the payload is not a Loki push request: {exc}")
        result = await self._ingest(entries)
        problems.extend(result.errors)
        if problems or result.rejected:
            return _error(
                400,
                f"accepted {result.accepted} lines; refused: " + "; ".join(problems[:5]),
            )
        return web.Response(status=204)

    async def _ingest(self, entries: list[Entry]) -> IngestResult:
        """Ingest in batches of what the pipeline takes at once (a Promtail batch of 1 MiB of
        short lines holds more), each after waiting for room."""
        total = IngestResult()
        for start in range(0, len(entries), MAX_BATCH_LINES):
            await self._logs.pipeline.room()
            result = self._logs.ingest(entries[start : start + MAX_BATCH_LINES], source="loki")
            total.accepted += result.accepted
            total.rejected += result.rejected
            total.errors.extend(result.errors[: 5 - len(total.errors)])
        return total
