"""The one mapping from a gRPC status to a sentence for people (no raw gRPC text in the GUI).

API: user_message(code_name, details) -> the sentence ClientError.message carries; every
view-model shows that, so the mapping applies everywhere. The server's own messages for
refusals (INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, PERMISSION_DENIED, ...) are written
for people and are kept; transport failures and internal errors get a fixed sentence (their
raw details, e.g. "failed to connect to all addresses; last error: UNKNOWN: ipv4:...", only
go to the log).
"""

from __future__ import annotations

# Statuses whose details our server writes for people (rpc/error_interceptor.py).
_SERVER_WORDS = frozenset(
    {
        "INVALID_ARGUMENT",
        "NOT_FOUND",
        "ALREADY_EXISTS",
        "FAILED_PRECONDITION",
        "PERMISSION_DENIED",
        "UNAUTHENTICATED",
        "RESOURCE_EXHAUSTED",
        "OUT_OF_RANGE",
        "ABORTED",
    }
)

_SENTENCES = {
    "UNAVAILABLE": (
        "The server cannot be reached right now. ClusterGenie keeps reconnecting (see the "
        "status bar); try again once it says Connected."
    ),
    "DEADLINE_EXCEEDED": "The server did not answer in time. Try again in a moment.",
    "CANCELLED": "The request was cut off (the connection closed). Try again once connected.",
    "UNIMPLEMENTED": (
        "This server does not offer that yet (it may be an older version). Update the server."
    ),
    "INTERNAL": "The server failed while doing this. Try again; if it keeps failing, see its log.",
    "UNKNOWN": "The server failed while doing this. Try again; if it keeps failing, see its log.",
    "DATA_LOSS": "The server reported lost data. See its log before trying again.",
}

# Fragments of gRPC's own transport text: never shown, whatever the status says.
_RAW_MARKERS = ("failed to connect to all addresses", "ipv4:", "ipv6:", "unix:", "Socket closed")

_FALLBACK = "The request failed. Try again; if it keeps failing, see the log."


def user_message(code_name: str, details: str) -> str:
    """A sentence that says what went wrong and what to do, for a status and its details."""
    details = details.strip()
    raw = any(marker in details for marker in _RAW_MARKERS)
    if code_name in _SERVER_WORDS and details and not raw:
        return details
    if raw and code_name not in _SENTENCES:
        code_name = "UNAVAILABLE"
    return _SENTENCES.get(code_name, _FALLBACK)
