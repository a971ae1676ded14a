"""Syslog over TCP (RFC 5424 messages; RFC 6587 octet-counted and newline-framed), so rsyslog,
syslog-ng or journald's forwarder can ship lines here.

HOSTNAME becomes the droplet label, APP-NAME the source, the severity the level. A structured
data element `[clustergenie@32473 token="..." cluster="..."]` authenticates the sender (an
operator's or admin's token; syslog has no other place for one) and may name the cluster and more
labels. Messages without a valid token are refused, counted and logged; unknown droplets are
labelled, not refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from datetime import datetime

from clustergenie_server.domain.auth import Role
from clustergenie_server.domain.logs import Entry
from clustergenie_server.security.tokens import TokenStore
from clustergenie_server.services.logs.log_service import LogService

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 64 * 1024
SD_ID = "clustergenie@32473"
_SEVERITY = ("error", "error", "error", "error", "warn", "info", "info", "debug")
_HEADER = re.compile(
    r"^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (.*))?$", re.S
)
_SD_ELEMENT = re.compile(r"\[([^\s\]]+)((?:\s+[^\s=\]]+=\"(?:[^\"\\]|\\.)*\")*)\]")
_SD_PARAM = re.compile(r"([^\s=\]]+)=\"((?:[^\"\\]|\\.)*)\"")


def parse_rfc5424(message: str) -> tuple[dict[str, str], str, float | None, str | None] | None:
    """(labels, text, time, token) of one message, or None when it is not RFC 5424."""
    m = _HEADER.match(message.rstrip("\r\n"))
    if m is None:
        return None
    pri, stamp, host, app, procid, _msgid, sd, text = m.groups()
    labels = {
        "droplet": host if host != "-" else "unknown",
        "source": app if app != "-" else "syslog",
    }
    labels["level"] = _SEVERITY[int(pri) % 8]
    if procid != "-":
        labels["procid"] = procid
    token = None
    for sd_id, params in _SD_ELEMENT.findall(sd or ""):
        if sd_id != SD_ID:
            continue
        for k, v in _SD_PARAM.findall(params):
            v = v.replace('\\"', '"').replace("\\]", "]").replace("\\\\", "\\")
            if k == "token":
                token = v
            elif re.match(r"^[A-Za-z_]\w*$", k):
                labels[k] = v
    labels.setdefault("cluster", "external")
    t = None
    if stamp != "-":
        with contextlib.suppress(ValueError):
            t = datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    # A BOM may start the MSG (RFC 5424 6.4); relays such as rsyslog keep the space before it.
    body = (text or "").removeprefix("\ufeff").lstrip(" ")
    return labels, body, t, token


class SyslogServer:
    """Accepts TCP connections and reads framed messages from each."""

    def __init__(self, listen: str, logs: LogService, tokens: TokenStore) -> None:
        self.listen, self._logs, self._tokens = listen, logs, tokens
        self._server: asyncio.Server | None = None
        self.port = 0
        self.accepted = self.refused = self.malformed = 0

    async def start(self) -> None:
        """Listen (port 0 picks a free port; see .port)."""
        host, _, port = self.listen.rpartition(":")
        self._server = await asyncio.start_server(self._client, host or "127.0.0.1", int(port))
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("syslog (RFC 5424 over TCP) on %s:%d", host, self.port)

    async def stop(self) -> None:
        """Stop listening and close the connections."""
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2.0)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                message = await _read_frame(reader)
                if message is None:
                    return
                self._handle(message)
        except (ConnectionError, asyncio.IncompleteReadError, ValueError) as exc:
            log.warning("syslog: closing a connection: %s", exc)
        finally:
            writer.close()

    def _handle(self, message: bytes) -> None:
        parsed = parse_rfc5424(message.decode("utf-8", "replace"))
        if parsed is None:
            self.malformed += 1
            if self.malformed % 1000 == 1:
                log.warning(
                    "syslog: %d messages were not RFC 5424 (e.g. %r)", self.malformed, message[:80]
                )
            return
        labels, text, t, token = parsed
        principal = self._tokens.lookup(token) if token else None
        if principal is None or principal.role < Role.OPERATOR:
            self.refused += 1
            if self.refused % 1000 == 1:
                log.warning(
                    "syslog: refused %d messages without a valid token in [%s token=\"...\"]",
                    self.refused, SD_ID,
                )  # fmt: skip
            return
        result = self._logs.ingest([Entry(labels, text, t)], source="syslog")
        self.accepted += result.accepted


async def _read_frame(reader: asyncio.StreamReader) -> bytes | None:
    """One message: `LEN SP MSG` (octet counting) or MSG LF (non-transparent framing)."""
    first = await reader.read(1)
    if not first:
        return None
    while first in (b"\n", b"\r", b" "):
        first = await reader.read(1)
        if not first:
            return None
    if first.isdigit():
        digits = first + await reader.readuntil(b" ")
        length = int(digits[:-1])
        if length > MAX_MESSAGE_BYTES:
            raise ValueError(f"a message of {length} bytes is more than {MAX_MESSAGE_BYTES}")
        return await reader.readexactly(length)
    rest = await reader.readuntil(b"\n")
    return first + rest[:-1]
