"""CommandRegistry: every action and every item the command palette can find, Qt-free.

API (for every panel; the app wiring owns one registry and hands it to panels):
    registry.add(Command("Reboot selected droplets", run=..., kind="action", shortcut="…"))
    registry.add_source(lambda: [Command(f"droplet {d.name}", run=..., kind="droplet") ...])
        a source is asked at each search, so live items (clusters, droplets, jobs, checks,
        log streams...) need no bookkeeping;
    registry.search("web 2", limit=30) -> best matches first (rapidfuzz; empty query: actions).
A Command whose enabled() is False is still found (so people learn it exists) but carries
why_disabled for the palette to show, and run is not called.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

Source = Callable[[], Iterable["Command"]]


def _always() -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Command:
    """One thing the palette can run: an action, or opening an item (cluster, droplet, job)."""

    title: str
    run: Callable[[], object]
    kind: str = "action"  # "action", "panel", "cluster", "droplet", "job", ...
    detail: str = ""  # a second line: "nyc1 · active · 203.0.113.5"
    shortcut: str = ""  # shown beside the title, e.g. "Ctrl+3"
    enabled: Callable[[], bool] = field(default=_always)
    why_disabled: str = ""

    @property
    def search_text(self) -> str:
        """What a query is matched against."""
        return f"{self.title} {self.kind} {self.detail}"


class CommandRegistry:
    """Fixed commands plus live sources; searched by fuzzy match on title, kind and detail."""

    def __init__(self) -> None:
        self._commands: list[Command] = []
        self._sources: list[Source] = []

    def add(self, command: Command) -> None:
        """Register a fixed command."""
        self._commands.append(command)

    def add_source(self, source: Source) -> None:
        """Register a callable that lists live commands (asked at every search)."""
        self._sources.append(source)

    def all(self) -> list[Command]:
        """Every command: fixed ones first, then each source's."""
        commands = list(self._commands)
        for source in self._sources:
            commands.extend(source())
        return commands

    def search(self, query: str, limit: int = 30, cutoff: float = 60.0) -> list[Command]:
        """Best matches for query (all actions when it is empty), best first."""
        commands = self.all()
        query = query.strip()
        if not query:
            return [c for c in commands if c.kind in ("action", "panel")][:limit]
        choices = [c.search_text for c in commands]
        # WRatio weighs partial and token-order matches: "web 2" finds "droplet web-prod-2".
        matches = process.extract(
            query,
            choices,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            limit=max(limit, 200),
            score_cutoff=cutoff,
        )
        # WRatio finds (partial, any word order) but ties often: "web 2" scores web-prod-1..9
        # alike. Ranking by its mean with the plain ratio against the title puts the closest
        # name first ("web-prod-2", the cluster "web-prod" for "web-prod"); then actions first.
        folded = utils.default_process(query)

        def rank(match: tuple[str, float, int]) -> tuple[float, int]:
            title = utils.default_process(commands[match[2]].title.replace("-", ""))
            closeness = fuzz.ratio(folded.replace(" ", ""), title.replace(" ", ""))
            return (-(match[1] + closeness) / 2, match[2])

        ranked = sorted(matches, key=rank)[:limit]
        return [commands[index] for _text, _score, index in ranked]
