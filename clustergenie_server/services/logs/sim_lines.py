"""Texts of simulated log lines: access lines (logfmt, so `| logfmt | status >= 500` works), app
messages, stack traces and the marks faults leave (kernel OOM kills, systemd restarts...)."""

from __future__ import annotations

import numpy as np

PATHS = (
    ("GET", "/api/orders", 0.3), ("GET", "/api/products", 0.25), ("POST", "/api/orders", 0.1),
    ("GET", "/api/cart", 0.12), ("PUT", "/api/cart", 0.05), ("GET", "/healthz", 0.1),
    ("POST", "/api/login", 0.05), ("DELETE", "/api/cart/items", 0.03),
)  # fmt: skip
_PATH_CUMULATIVE = np.cumsum([p[2] for p in PATHS]) / sum(p[2] for p in PATHS)
OK_STATUS = np.array([200, 200, 200, 200, 200, 201, 204, 301, 304, 404])
ERROR_STATUS = np.array([500, 500, 502, 503, 504])
GOOD_VERSION = "v2.4.0"
BAD_VERSION = "v2.5.0-rc1"

APP_INFO = (
    "order {n} created in {ms}ms",
    "cache refresh finished: {n} keys in {ms}ms",
    "user session {n} started",
    "payment {n} authorised in {ms}ms",
    "worker pool: {n} jobs processed",
)
APP_WARN = (
    "slow query took {ms}ms: SELECT * FROM orders WHERE customer_id = ?",
    "retrying request to inventory service (attempt {n})",
    "connection pool 90% used ({n} of 64 connections)",
)
TRACEBACK = (
    "{error} while handling {path} (request {n})\n"
    "Traceback (most recent call last):\n"
    '  File "/srv/app/handlers.py", line 212, in handle\n'
    "    return view(request)\n"
    '  File "/srv/app/{module}.py", line {line}, in {func}\n'
    "    {code}\n"
    "{error}"
)
DEPLOY_ERRORS = (
    ("orders", 88, "create_order", "total = cart['customer_id'].total", "KeyError: 'customer_id'"),
    ("serializers", 41, "dump", "return schema.dump(obj)",
     "TypeError: 'NoneType' object is not iterable"),
)  # fmt: skip
BASE_ERRORS = (
    ("inventory", 130, "reserve", "stock.reserve(item)",
     "TimeoutError: inventory reserve timed out"),
)  # fmt: skip


def access_lines(
    rng: np.random.Generator, n: int, status: np.ndarray, p50_ms: float, version: str
) -> list[str]:
    """n access lines with statuses drawn from `status`."""
    if n <= 0:
        return []
    # searchsorted and integer indexing: rng.choice validates p on every call, and this runs
    # for every droplet of every tick.
    paths = np.minimum(np.searchsorted(_PATH_CUMULATIVE, rng.random(n)), len(PATHS) - 1).tolist()
    statuses = status[rng.integers(0, len(status), n)].tolist()
    latencies = np.maximum(1, rng.gamma(2.0, max(p50_ms, 1.0) / 1.7, n)).astype(int).tolist()
    sizes = rng.integers(200, 20_000, n).tolist()
    clients = rng.integers(2, 250, n).tolist()
    return [
        f"method={PATHS[p][0]} path={PATHS[p][1]} status={s} latency={ms}ms bytes={b} "
        f"client=10.0.{c % 8}.{c} version={version}"
        for p, s, ms, b, c in zip(paths, statuses, latencies, sizes, clients, strict=True)
    ]


def app_info(rng: np.random.Generator, n: int) -> list[str]:
    """n routine application messages."""
    picks = rng.integers(0, len(APP_INFO), n).tolist()
    nums = rng.integers(1000, 99999, n).tolist()
    mss = rng.integers(2, 80, n).tolist()
    return [APP_INFO[i].format(n=k, ms=ms) for i, k, ms in zip(picks, nums, mss, strict=True)]


def app_warn(rng: np.random.Generator, n: int) -> list[str]:
    """n warnings."""
    picks = rng.integers(0, len(APP_WARN), n).tolist()
    nums = rng.integers(2, 60, n).tolist()
    mss = rng.integers(900, 4000, n).tolist()
    return [APP_WARN[i].format(n=k, ms=ms) for i, k, ms in zip(picks, nums, mss, strict=True)]


def tracebacks(rng: np.random.Generator, n: int, *, bad_deploy: bool) -> list[str]:
    """n errors with stack traces (a bad deploy's own, or the usual rare ones)."""
    kinds = DEPLOY_ERRORS if bad_deploy else BASE_ERRORS
    out = []
    for _ in range(n):
        module, line, func, code, error = kinds[int(rng.integers(0, len(kinds)))]
        path = PATHS[int(rng.integers(0, len(PATHS)))][1]
        out.append(
            TRACEBACK.format(
                path=path,
                n=int(rng.integers(100_000, 1_000_000)),
                module=module,
                line=line,
                func=func,
                code=code,
                error=error,
            )  # fmt: skip
        )
    return out
