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
        folded = utils.default_process(query)
        if not folded:
            return [c for c in commands if c.kind in ("action", "panel")][:limit]
        titles = [utils.default_process(c.title) for c in commands]
        squashed = folded.replace(" ", "")
        # The fuzzy scores of every title in two C++ passes (no Python loop per pair).
        fuzzy = process.cdist([folded], titles, scorer=fuzz.WRatio, workers=1)[0]
        plain = process.cdist(
            [squashed], [t.replace(" ", "") for t in titles], scorer=fuzz.ratio, workers=1
        )[0]
        tokens = folded.split()
        scored: list[tuple[float, int]] = []
        for index, (command, title) in enumerate(zip(commands, titles, strict=True)):
            score = _score(folded, tokens, title, command.detail)
            if score is None:
                score = min((float(fuzzy[index]) + float(plain[index])) / 2, 89.0)
            if score >= cutoff:
                scored.append((-score, index))
        scored.sort()  # best first; ties keep registration order (actions before items)
        return [commands[index] for _score, index in scored[:limit]]


def _score(folded: str, tokens: list[str], title: str, detail: str) -> float | None:
    """How well a query (lower-cased, punctuation as spaces) matches a title, 0..100; None
    when only a fuzzy match can tell.

    In order: the query inside the title ("reb" → Reboot…, "web prod" → web-prod first, then
    web-prod-1...), also without spaces ("webprod10" → web-prod-10); every query word inside a
    title word, whole words counting more ("api 2" → api-stage-2 before api-stage-12); else
    (None) a fuzzy match: rapidfuzz WRatio averaged with the plain ratio of the texts without
    spaces ("crt clust" → Create cluster…); with every word in the detail line, at least 70.
    """
    pairs = [(folded, title)]
    if " " not in folded:  # typed without spaces: match the title without its punctuation
        pairs.append((folded, title.replace(" ", "")))
    for needle, haystack in pairs:
        if needle in haystack:
            start_bonus = 1.0 if haystack.startswith(needle) else 0.0
            return 98.0 + start_bonus - min(len(haystack) - len(needle), 40) * 0.05
    words = title.split()
    whole = 0
    for token in tokens:
        if token in words:
            whole += 1
        elif not any(token in word for word in words):
            break
    else:
        return 90.0 + 5.0 * whole / len(tokens) - min(len(title), 60) * 0.02
    detail = utils.default_process(detail)
    if detail and all(token in detail for token in tokens):
        return 70.0
    return None
