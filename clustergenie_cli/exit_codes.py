"""The exit codes of clustergenie-ctl: one per class of failure, so scripts can branch on them."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """What the process returns; documented in `clustergenie-ctl --help`."""

    OK = 0
    FAILED = 1  # the command ran and failed (a job failed or was cancelled, an unexpected error)
    USAGE = 2  # bad command line (unknown verb or option, a value of the wrong type)
    NOT_FOUND = 3  # no such cluster, droplet, job, fault or context
    DENIED = 4  # no or an unknown token (unauthenticated), or a role too low (permission denied)
    UNAVAILABLE = 5  # the server cannot be reached or did not answer in time
    INVALID = 6  # the server refused a value (invalid argument, out of range)
    CONFLICT = 7  # the resource's state does not allow it now, or it exists already
    LIMITED = 8  # too many requests or streams (resource exhausted); try again later


# gRPC status names (as ClientError.code carries them) to the exit code of their class.
_BY_STATUS = {
    "NOT_FOUND": ExitCode.NOT_FOUND,
    "UNAUTHENTICATED": ExitCode.DENIED,
    "PERMISSION_DENIED": ExitCode.DENIED,
    "UNAVAILABLE": ExitCode.UNAVAILABLE,
    "DEADLINE_EXCEEDED": ExitCode.UNAVAILABLE,
    "INVALID_ARGUMENT": ExitCode.INVALID,
    "OUT_OF_RANGE": ExitCode.INVALID,
    "FAILED_PRECONDITION": ExitCode.CONFLICT,
    "ALREADY_EXISTS": ExitCode.CONFLICT,
    "ABORTED": ExitCode.CONFLICT,
    "RESOURCE_EXHAUSTED": ExitCode.LIMITED,
}


def for_status(code: str) -> ExitCode:
    """The exit code for a gRPC status name; FAILED for any other."""
    return _BY_STATUS.get(code, ExitCode.FAILED)


def help_text() -> str:
    """The exit-code table for --help (one line each)."""
    lines = {
        ExitCode.OK: "success",
        ExitCode.FAILED: "failed (e.g. a job that --wait watched failed)",
        ExitCode.USAGE: "bad usage (unknown verb/option, wrong value type)",
        ExitCode.NOT_FOUND: "not found (cluster, droplet, job, fault, context)",
        ExitCode.DENIED: "unauthenticated or permission denied (token, role)",
        ExitCode.UNAVAILABLE: "server unreachable or no answer within --timeout",
        ExitCode.INVALID: "invalid argument (the server refused a value)",
        ExitCode.CONFLICT: "failed precondition / already exists (state forbids it now)",
        ExitCode.LIMITED: "rate limited (resource exhausted); try again later",
    }
    return "\n\n".join(f"{int(code)}  {text}" for code, text in lines.items())
