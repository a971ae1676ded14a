"""Edge checks of a check definition: each failure names the field and the fix."""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from urllib.parse import urlsplit

from clustergenie_server.domain.errors import InvalidArgument
from clustergenie_server.domain.health import CheckDefinition, CheckKind, TargetKind
from clustergenie_server.services.health import conditions

MIN_INTERVAL_SECONDS = 1.0
MAX_INTERVAL_SECONDS = 86_400.0
MAX_THRESHOLD = 100
_NAME = re.compile(r"^[\w .:/-]{1,100}$")
_HOST_PORT = re.compile(r"^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$")
_HEADER = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def finite(value: float, field: str, *, low: float = 0.0, high: float = 1e12) -> float:
    """A number in [low, high] (NaN and infinities refused)."""
    if not math.isfinite(value) or not low <= value <= high:
        raise InvalidArgument(f"{field}: {value} is out of range; give {low:g} to {high:g}")
    return value


def text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    """Text within the column's length."""
    if required and not value:
        raise InvalidArgument(f"{field}: give a value")
    if len(value) > limit:
        raise InvalidArgument(f"{field}: {len(value)} characters; the limit is {limit}")
    return value


def check_definition(c: CheckDefinition, regions: Collection[str]) -> tuple[conditions.Clause, ...]:
    """Raise InvalidArgument for the first wrong field; returns the parsed conditions."""
    if not _NAME.match(c.name):
        raise InvalidArgument(
            "name: give 1 to 100 letters, digits, spaces or . : / - _ (e.g. web-http)"
        )
    _timing(c)
    for field, value in (
        ("failure_threshold", c.failure_threshold),
        ("success_threshold", c.success_threshold),
        ("auto_heal_after", c.auto_heal_after),
    ):
        if not 1 <= value <= MAX_THRESHOLD:
            raise InvalidArgument(f"{field}: {value} is out of range; give 1 to {MAX_THRESHOLD}")
    _locations(c, regions)
    _target(c)
    if c.kind is CheckKind.HTTP:
        _http(c)
    try:
        return conditions.parse(c.conditions)
    except conditions.ConditionError as exc:
        raise InvalidArgument(
            f"conditions: {exc.message} (column {exc.column}); e.g. [STATUS] == 200 && "
            "[RESPONSE_TIME] < 300"
        ) from None


def _timing(c: CheckDefinition) -> None:
    finite(c.interval_seconds, "interval_seconds", high=MAX_INTERVAL_SECONDS)
    finite(c.timeout_seconds, "timeout_seconds", high=MAX_INTERVAL_SECONDS)
    if not MIN_INTERVAL_SECONDS <= c.interval_seconds <= MAX_INTERVAL_SECONDS:
        raise InvalidArgument(
            f"interval_seconds: {c.interval_seconds:g} is out of range; give at least "
            f"{MIN_INTERVAL_SECONDS:g} s and at most a day"
        )
    if not 0 < c.timeout_seconds < c.interval_seconds:
        raise InvalidArgument(
            f"timeout_seconds: {c.timeout_seconds:g} s must be above 0 and shorter than the "
            f"interval ({c.interval_seconds:g} s); lower the timeout or raise the interval"
        )


def _locations(c: CheckDefinition, regions: Collection[str]) -> None:
    unknown = [x for x in c.locations if x not in regions]
    if unknown:
        raise InvalidArgument(
            f"locations: {', '.join(unknown)} not a region; use regions from GetCatalog "
            f"({', '.join(sorted(regions)[:5])}...)"
        )
    if len(set(c.locations)) != len(c.locations):
        raise InvalidArgument("locations: a location is listed twice; list each once")
    if not 1 <= c.quorum <= len(c.locations):
        raise InvalidArgument(
            f"quorum: {c.quorum} is more than the {len(c.locations)} location(s); give 1 to "
            f"{len(c.locations)} or add locations"
        )


def _target(c: CheckDefinition) -> None:
    if c.target_kind is not TargetKind.ADDRESS:
        if c.target_id <= 0:
            raise InvalidArgument(
                f"target_id: give the {c.target_kind.value.replace('_', ' ')}'s "
                f"{'droplet' if c.target_kind is TargetKind.DROPLET else 'cluster'} id"
            )
        if not 1 <= c.port <= 65535:
            raise InvalidArgument(f"port: {c.port} is not a port; give 1 to 65535")
        return
    if not c.address:
        raise InvalidArgument("address: give a URL (HTTP) or host:port for a real target")
    if c.kind is CheckKind.HTTP:
        parts = urlsplit(c.address)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidArgument(
                f"address: {c.address!r} is not an http:// or https:// URL with a host; "
                "e.g. https://example.com/health"
            )
        try:
            _ = parts.port
        except ValueError:
            raise InvalidArgument(f"address: the port of {c.address!r} is not a number") from None
    elif c.kind is CheckKind.PING:
        if not re.match(r"^[A-Za-z0-9.:-]+$", c.address):
            raise InvalidArgument(f"address: {c.address!r} is not a host name or IP address")
    else:
        m = _HOST_PORT.match(c.address)
        if m is None or not 1 <= int(m.group(2)) <= 65535:
            raise InvalidArgument(f"address: {c.address!r} is not host:port; e.g. 127.0.0.1:50051")


def _http(c: CheckDefinition) -> None:
    h = c.http
    if h.method not in METHODS:
        raise InvalidArgument(
            f"http.method: {h.method!r} is not one of {', '.join(sorted(METHODS))}"
        )
    if not h.path.startswith("/"):
        raise InvalidArgument(f"http.path: {h.path!r} must start with /")
    if not 100 <= h.status_min <= h.status_max <= 599:
        raise InvalidArgument(
            f"http.status_min/max: {h.status_min}-{h.status_max} is not a status range; "
            "e.g. 200-299"
        )
    for name, value in h.headers:
        if not _HEADER.match(name) or "\n" in value or "\r" in value:
            raise InvalidArgument(f"http.headers: {name!r} is not a valid header")


def known_target(c: CheckDefinition, droplets: Collection[int], clusters: Collection[int]) -> None:
    """NotFound-style InvalidArgument when the simulated target does not exist."""
    if c.target_kind is TargetKind.DROPLET and c.target_id not in droplets:
        raise InvalidArgument(
            f"target_id: droplet {c.target_id} does not exist; see ListDroplets for ids"
        )
    if (
        c.target_kind in (TargetKind.CLUSTER, TargetKind.LOAD_BALANCER)
        and c.target_id not in clusters
    ):
        raise InvalidArgument(
            f"target_id: cluster {c.target_id} does not exist; see ListClusters for ids"
        )
