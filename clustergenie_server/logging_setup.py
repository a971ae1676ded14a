"""Structured logging: one JSON object per line on stderr, so logs can be shipped and searched."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

# kafka-python logs every failed reconnect (several per second while a broker is down); our bus
# says once what is wrong and when it retries, so keep one of its lines per logger per period.
LIBRARY_LOG_PERIOD_SECONDS = 60.0


class JsonLineFormatter(logging.Formatter):
    """time, level, logger, message, and the exception if any, as one JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class OncePerPeriod(logging.Filter):
    """Passes one record per logger and level per period for loggers under prefix (every record
    of other loggers); says how many it held back."""

    def __init__(
        self,
        prefix: str,
        period: float = LIBRARY_LOG_PERIOD_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._prefix, self._period, self._clock = prefix, period, clock
        self._last: dict[tuple[str, int], float] = {}
        self._held: dict[tuple[str, int], int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        """True for the first record of its logger and level in the period."""
        if not record.name.startswith(self._prefix):
            return True
        key, now = (record.name, record.levelno), self._clock()
        if now - self._last.get(key, -self._period) < self._period:
            self._held[key] = self._held.get(key, 0) + 1
            return False
        self._last[key] = now
        if held := self._held.pop(key, 0):
            record.msg = f"{record.msg} ({held} similar lines held back)"
        return True


def configure_logging(level: str) -> None:
    """Send every log record to stderr as JSON lines (stdout is kept for the READY handshake)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLineFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Their INFO lines are per-connection noise at our INFO level.
    for noisy in ("alembic", "grpc"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    handler.addFilter(OncePerPeriod("kafka"))
