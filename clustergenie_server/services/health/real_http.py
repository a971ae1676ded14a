"""A real HTTP(S) probe over asyncio streams, timed per phase as blackbox_exporter does.

Phases: connect (TCP), tls (handshake), first byte (request written to the status line) and
transfer (the rest of the answer). HTTP/1.1 with `Connection: close`; redirects are followed
(at most MAX_REDIRECTS) when the check says so. The certificate's expiry is read even when it
is not verified (tls_insecure), so [CERT_EXPIRY] can warn before a verified probe would fail.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from cryptography import x509

from clustergenie_server.domain.health import HttpSpec, Phases
from clustergenie_server.services.health.probe import Probe

MAX_REDIRECTS = 5
MAX_BODY_BYTES = 1 << 20  # conditions read the start of a body; a huge one is cut here
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(slots=True)
class _Timing:
    connect: float = 0.0
    tls: float = 0.0
    first_byte: float = 0.0
    transfer: float = 0.0

    def phases(self) -> Phases:
        ms = 1000.0
        return Phases(self.connect * ms, self.tls * ms, self.first_byte * ms, self.transfer * ms)


async def http_probe(url: str, spec: HttpSpec, limit_seconds: float) -> Probe:
    """GET (or spec.method) url within limit_seconds; never raises for a network problem."""
    timeout = limit_seconds
    timing = _Timing()
    started = time.perf_counter()
    expiry: list[float | None] = [None]
    try:
        async with asyncio.timeout(timeout):
            status, body = await _follow(url, spec, timing, expiry)
    except TimeoutError:
        return _failed(f"timed out after {timeout:g}s", started, timing, expiry[0])
    except ssl.SSLCertVerificationError as exc:
        return _failed(f"TLS: {exc.verify_message or exc.reason}", started, timing, expiry[0])
    except (OSError, ssl.SSLError, ValueError, asyncio.IncompleteReadError) as exc:
        return _failed(_describe(exc), started, timing, expiry[0])
    return Probe(
        connected=True,
        latency_ms=(time.perf_counter() - started) * 1000.0,
        status_code=status,
        body=body,
        phases=timing.phases(),
        cert_expiry_at=expiry[0],
    )


async def _follow(
    url: str, spec: HttpSpec, timing: _Timing, expiry: list[float | None]
) -> tuple[int, bytes]:
    method = spec.method
    for _ in range(MAX_REDIRECTS + 1):
        status, headers, body = await _exchange(url, method, spec, timing, expiry)
        location = headers.get("location")
        if not (spec.follow_redirects and status in _REDIRECTS and location):
            return status, body
        url = urljoin(url, location)
        if status == 303:
            method = "GET"
    raise ValueError(f"more than {MAX_REDIRECTS} redirects")


async def _exchange(
    url: str, method: str, spec: HttpSpec, timing: _Timing, expiry: list[float | None]
) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    host = parts.hostname or ""
    port = parts.port or (443 if secure else 80)
    t0 = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port)
    try:
        t1 = time.perf_counter()
        timing.connect += t1 - t0
        if secure:
            await writer.start_tls(_context(spec.tls_insecure), server_hostname=host)
            timing.tls += time.perf_counter() - t1
            expiry[0] = _expiry(writer)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        writer.write(_request(method, host, port, path, spec))
        await writer.drain()
        t2 = time.perf_counter()
        status_line = await reader.readline()
        t3 = time.perf_counter()
        timing.first_byte += t3 - t2
        status = _status(status_line)
        headers = await _headers(reader)
        body = await _body(reader, headers)
        timing.transfer += time.perf_counter() - t3
        return status, headers, body
    finally:
        writer.close()


def _context(insecure: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _expiry(writer: asyncio.StreamWriter) -> float | None:
    ssl_object = writer.get_extra_info("ssl_object")
    der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
    if not der:
        return None
    return x509.load_der_x509_certificate(der).not_valid_after_utc.timestamp()


def _request(method: str, host: str, port: int, path: str, spec: HttpSpec) -> bytes:
    body = spec.body.encode()
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    lines += ["User-Agent: ClusterGenie-Health/1", "Accept: */*"]
    lines += [f"{k}: {v}" for k, v in spec.headers]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _status(line: bytes) -> int:
    parts = line.decode("latin-1").split()
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise ValueError(f"not an HTTP answer: {line[:40]!r}")
    return int(parts[1])


async def _headers(reader: asyncio.StreamReader) -> dict[str, str]:
    headers: dict[str, str] = {}
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return headers


async def _body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if headers.get("transfer-encoding", "").lower() == "chunked":
        chunks: list[bytes] = []
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                return b"".join(chunks)[:MAX_BODY_BYTES]
            chunks.append(await reader.readexactly(size))
            await reader.readline()
    if (length := headers.get("content-length")) is not None:
        return await reader.readexactly(min(int(length), MAX_BODY_BYTES))
    return await reader.read(MAX_BODY_BYTES)


def _failed(error: str, started: float, timing: _Timing, expiry: float | None) -> Probe:
    latency = (time.perf_counter() - started) * 1000.0
    return Probe(False, latency, error=error, phases=timing.phases(), cert_expiry_at=expiry)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, asyncio.IncompleteReadError):
        return "the connection closed mid-answer"
    return str(exc) or type(exc).__name__
