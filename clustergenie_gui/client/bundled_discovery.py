"""Where the desktop app's bundled server can be found by the same user's clustergenie-ctl.

The desktop app starts its server with a fresh admin token that lives only in the app's memory.
So that `clustergenie-ctl` run by the same user can talk to it, the app writes one small file,
`bundled-server.json` (address, token, the app's pid), in the user's runtime directory
(`$XDG_RUNTIME_DIR/ClusterGenie`, which systemd-logind makes private to the user and empties at
logout), and removes it when the server stops.

Security: the directory is created 0700 and must be owned by this user with no group or other
access; the file is created 0600 through a private temporary name and then renamed into place.
A reader refuses a file that another user owns or that group/others could read, and ignores one
whose app is no longer running (a crash leaves a stale file behind, never a usable one).
Only the same OS user (or root) can read the token, which is the same trust boundary as the
token file a headless server generates.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP_NAME = "ClusterGenie"
FILE_NAME = "bundled-server.json"


class DiscoveryError(Exception):
    """The discovery file cannot be written safely (a directory others can read or own)."""


@dataclass(frozen=True, slots=True)
class BundledEndpoint:
    """A running desktop app's server: where it listens and its admin token."""

    server: str
    token: str = field(repr=False)
    pid: int  # the desktop app's process; the file is stale once it has gone


def discovery_path() -> Path:
    """The file's path: `$XDG_RUNTIME_DIR/ClusterGenie/bundled-server.json` on Linux."""
    with warnings.catch_warnings():
        # Without XDG_RUNTIME_DIR platformdirs falls back to /tmp/runtime-UID and warns; the
        # ownership and mode checks below are what make that fallback safe to use.
        warnings.simplefilter("ignore")
        return Path(platformdirs.user_runtime_dir(APP_NAME, appauthor=False)) / FILE_NAME


def _private(info: os.stat_result) -> bool:
    """Owned by this user and with no group or other permission bits."""
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owner_ok and not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)


def publish(endpoint: BundledEndpoint, path: Path | None = None) -> Path:
    """Write the file for endpoint, replacing any other app's; DiscoveryError if unsafe."""
    path = path or discovery_path()
    # The runtime dir itself (e.g. the /tmp/runtime-UID fallback) is private too when we make it.
    path.parent.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.parent.mkdir(mode=0o700, exist_ok=True)
    folder = path.parent.lstat()
    if stat.S_ISLNK(folder.st_mode) or not _private(folder):
        raise DiscoveryError(
            f"{path.parent} is not a private directory of this user (it must be owned by "
            "you with mode 0700); the bundled server's token is not published there"
        )
    body = {"server": endpoint.server, "token": endpoint.token, "pid": endpoint.pid}
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(body, out)
        out.write("\n")
    os.replace(partial, path)
    return path


def withdraw(pid: int, path: Path | None = None) -> None:
    """Remove the file if it is still the one process pid published (another app's stays)."""
    path = path or discovery_path()
    found = _load(path)
    if found is not None and found.pid == pid:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process with that pid: not ours, but it exists
    return True


def _load(path: Path) -> BundledEndpoint | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, encoding="utf-8") as source:
        if not _private(os.fstat(source.fileno())):
            return None  # readable by others or owned by someone else: never trusted
        try:
            raw = json.load(source)
            return BundledEndpoint(str(raw["server"]), str(raw["token"]), int(raw["pid"]))
        except (ValueError, KeyError, TypeError):
            return None


def find(path: Path | None = None) -> BundledEndpoint | None:
    """The running desktop app's server for this user, or None (no file, unsafe, or stale)."""
    found = _load(path or discovery_path())
    if found is None or not found.server or not _alive(found.pid):
        return None
    return found
