"""Domain errors: each says what was wrong and what to do, and maps to one gRPC status code."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a caller can act on; the message is shown to people as it is."""


class InvalidArgument(DomainError):
    """The request itself is wrong (empty name, unknown size, negative count)."""


class NotFound(DomainError):
    """The named cluster, droplet or job does not exist."""


class AlreadyExists(DomainError):
    """A resource with that name exists already."""


class FailedPrecondition(DomainError):
    """The request is valid but the resource's state does not allow it now."""


class Unavailable(DomainError):
    """A backend (database, cache, bus) cannot be reached; try again later."""
