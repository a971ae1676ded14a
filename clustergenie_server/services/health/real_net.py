"""Real TCP-connect and ICMP echo probes (asyncio; nothing blocks the loop)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import struct
import time
from typing import Any

from clustergenie_server.domain.health import Phases
from clustergenie_server.services.health.probe import Probe


def split_host_port(address: str, default_port: int = 0) -> tuple[str, int]:
    """'host:port' or '[v6]:port' -> (host, port); a missing port takes default_port."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit():
        return address.strip("[]"), default_port
    return host.strip("[]"), int(port)


async def tcp_probe(address: str, limit_seconds: float) -> Probe:
    """Connect to host:port and close again."""
    timeout = limit_seconds
    host, port = split_host_port(address)
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(host, port)
    except TimeoutError:
        return Probe(False, timeout * 1000.0, error=f"timed out after {timeout:g}s")
    except OSError as exc:
        error = "connection refused" if isinstance(exc, ConnectionRefusedError) else str(exc)
        return Probe(False, (time.perf_counter() - started) * 1000.0, error=error)
    latency = (time.perf_counter() - started) * 1000.0
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return Probe(True, latency, phases=Phases(connect_ms=latency))


async def ping_probe(host: str, limit_seconds: float) -> Probe:
    """One ICMP echo through an unprivileged datagram socket (or a raw one when root)."""
    timeout = limit_seconds
    started = time.perf_counter()
    try:
        sock = _icmp_socket()
    except PermissionError:
        return Probe(
            False,
            0.0,
            error="this server may not send ICMP (see net.ipv4.ping_group_range); "
            "use a TCP check instead",
        )
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            address = str((await loop.getaddrinfo(host, None, family=socket.AF_INET))[0][4][0])
            ident = os.getpid() & 0xFFFF
            await loop.sock_sendto(sock, _echo_request(ident), (address, 0))
            # A raw socket sees every ICMP packet of the host (our own requests among them):
            # wait for the echo reply from that address.
            while True:
                packet, source = await loop.sock_recvfrom(sock, 1024)
                if _is_reply(packet, source, address, ident, sock):
                    break
    except TimeoutError:
        return Probe(False, timeout * 1000.0, error=f"no echo reply within {timeout:g}s")
    except OSError as exc:
        return Probe(False, (time.perf_counter() - started) * 1000.0, error=str(exc))
    finally:
        sock.close()
    return Probe(True, (time.perf_counter() - started) * 1000.0)


def _icmp_socket() -> socket.socket:
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
    except PermissionError:
        sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    sock.setblocking(False)
    return sock


def _is_reply(packet: bytes, source: Any, address: str, ident: int, sock: socket.socket) -> bool:
    """An echo reply (type 0) from address; a raw socket's packets start with the IP header,
    and a datagram socket's ids are the kernel's own."""
    if not isinstance(source, tuple) or source[0] != address:
        return False
    if sock.type == socket.SOCK_RAW:
        packet = packet[(packet[0] & 0x0F) * 4 :] if packet else packet
        if len(packet) < 8 or struct.unpack("!H", packet[4:6])[0] != ident:
            return False
    return len(packet) >= 8 and packet[0] == 0


def _echo_request(ident: int) -> bytes:
    header = struct.pack("!BBHHH", 8, 0, 0, ident, 1)
    payload = b"clustergenie"
    return struct.pack("!BBHHH", 8, 0, _checksum(header + payload), ident, 1) + payload


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total: int = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF
