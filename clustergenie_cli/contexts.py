"""Named contexts (server, token file, TLS CA) like kubectl's, kept in the user's config dir.

A token itself is written to the file only when asked (`context add --store-token`); otherwise
a context names the token *file*, which stays the one place the secret lives.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import platformdirs

APP_NAME = "ClusterGenie"


def config_path() -> Path:
    """Where contexts live: e.g. ~/.config/ClusterGenie/contexts.json (XDG_CONFIG_HOME wins)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "contexts.json"


class ContextError(Exception):
    """A context that does not exist, or a contexts file that cannot be used."""


@dataclass(frozen=True, slots=True)
class Context:
    """One server to talk to and how to authenticate to it."""

    server: str
    token_file: str = ""
    tls_ca: str = ""
    token: str = field(default="", repr=False)  # only with --store-token


@dataclass(frozen=True, slots=True)
class ContextFile:
    """Every context and the one in use."""

    current: str = ""
    contexts: dict[str, Context] = field(default_factory=dict)

    def get(self, name: str) -> Context:
        """The named context; ContextError naming the known ones when there is none."""
        try:
            return self.contexts[name]
        except KeyError:
            known = ", ".join(sorted(self.contexts)) or "none yet"
            raise ContextError(
                f"there is no context {name!r} (known: {known}); add one with "
                "`clustergenie-ctl context add NAME --server HOST:PORT --token-file FILE`"
            ) from None

    def with_context(self, name: str, context: Context) -> ContextFile:
        """A copy with name added or replaced; the first context becomes the current one."""
        return replace(
            self, current=self.current or name, contexts={**self.contexts, name: context}
        )

    def without(self, name: str) -> ContextFile:
        """A copy without name (ContextError if absent); the current one is unset if it was it."""
        self.get(name)
        rest = {k: v for k, v in self.contexts.items() if k != name}
        return ContextFile("" if self.current == name else self.current, rest)


def load(path: Path | None = None) -> ContextFile:
    """The contexts file, or an empty one when it does not exist yet."""
    path = path or config_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ContextFile()
    except (OSError, ValueError) as exc:
        raise ContextError(
            f"cannot read the contexts file {path}: {exc}; fix or remove it"
        ) from exc
    try:
        contexts = {name: Context(**value) for name, value in raw.get("contexts", {}).items()}
        return ContextFile(str(raw.get("current", "")), contexts)
    except (TypeError, AttributeError) as exc:
        raise ContextError(
            f"the contexts file {path} is malformed ({exc}); fix or remove it"
        ) from exc


def save(contexts: ContextFile, path: Path | None = None) -> Path:
    """Write the file readable by this user only (it may hold a token), replacing it whole."""
    path = path or config_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    body = {
        "current": contexts.current,
        "contexts": {
            name: {k: v for k, v in asdict(c).items() if v} for name, c in contexts.contexts.items()
        },
    }
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(body, out, indent=2, sort_keys=True)
        out.write("\n")
    os.replace(partial, path)
    return path
