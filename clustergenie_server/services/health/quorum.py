"""Probe locations: one round of results (one per location) becomes one verdict by quorum."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clustergenie_server.domain.health import CheckResult, Outcome


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a round says: the outcome the quorum agrees on, and every location seen failing."""

    outcome: Outcome
    failing: tuple[str, ...]  # locations whose result was not PASS, quorum or not
    reason: str

    @property
    def below_quorum(self) -> bool:
        """Some location failed, but too few to count: shown as a single-location failure."""
        return self.outcome is Outcome.PASS and bool(self.failing)


def verdict(results: Sequence[CheckResult], quorum: int) -> Verdict:
    """FAIL when at least `quorum` locations failed, SLOW when that many failed or were slow."""
    failed = [r for r in results if r.outcome is Outcome.FAIL]
    bad = [r for r in results if r.outcome is not Outcome.PASS]
    need = max(1, min(quorum, len(results)))
    failing = tuple(sorted(r.location for r in bad))
    if len(failed) >= need:
        return Verdict(Outcome.FAIL, failing, _reason(failed, len(results)))
    if len(bad) >= need:
        return Verdict(Outcome.SLOW, failing, _reason(bad, len(results)))
    if bad:
        return Verdict(Outcome.PASS, failing, f"only {_reason(bad, len(results))}; quorum {need}")
    return Verdict(Outcome.PASS, (), "")


def _reason(results: Sequence[CheckResult], of: int) -> str:
    first = results[0]
    why = first.reason or first.error or first.outcome.value
    where = ", ".join(r.location for r in results)
    return f"{len(results)} of {of} locations ({where}): {why}"
