"""Diagnosis as the API offers it: investigate a question, apply a remedy and verify it,
sessions (list, reopen, export), and the timeline."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session as DbSession

from clustergenie_server.bus.outbox import Outbox
from clustergenie_server.db import Database
from clustergenie_server.db.diagnosis_repository import DiagnosisRepository
from clustergenie_server.domain.diagnosis import (
    DiagnoseEvent,
    DiagnosisDone,
    Remedy,
    RootCause,
    Session,
    Target,
    Turn,
)
from clustergenie_server.domain.errors import FailedPrecondition, InvalidArgument, NotFound
from clustergenie_server.domain.events import DiagnosisFinished, Event
from clustergenie_server.domain.models import Job
from clustergenie_server.llm.factory import needs_masking
from clustergenie_server.llm.masking import Masker, MaskingProvider
from clustergenie_server.llm.provider import LlmProvider
from clustergenie_server.services.diagnosis.collect import Inventory, WindowReader, with_events
from clustergenie_server.services.diagnosis.export import session_markdown
from clustergenie_server.services.diagnosis.investigation import Investigation, Question
from clustergenie_server.services.diagnosis.remedies import RemedyPlanner
from clustergenie_server.services.diagnosis.remedy_actions import RemedyActions
from clustergenie_server.services.diagnosis.timeline import (
    Entry,
    EntryKind,
    finding_entries,
    ordered,
    window_entries,
)
from clustergenie_server.services.diagnosis.window import TelemetryWindow, empty_window
from clustergenie_server.services.shared import validation
from clustergenie_server.simulation.clock import SimClock

DEFAULT_WINDOW = 3600.0
MIN_WINDOW, MAX_WINDOW = 300.0, 86_400.0
MAX_QUESTION = 500
MAX_STEPS = 40  # HolmesGPT's budget
DEFAULT_QUESTION = "What is wrong with this cluster?"
SETTLE_SECONDS = 60.0  # simulated: how long the world runs after a remedy before re-checking


@dataclass(frozen=True, slots=True)
class DiagnoseRequest:
    """What Diagnose asks for; zeros mean "the default"."""

    cluster_id: int
    droplet_id: int = 0
    question: str = ""
    window_seconds: float = 0.0
    session_id: int = 0
    max_steps: int = 0


@dataclass(frozen=True, slots=True)
class RemedyJob:
    """A job a remedy ran, once final."""

    job: Job


@dataclass(frozen=True, slots=True)
class RemedyVerdict:
    """Whether the cause is gone after the remedy (the follow-up diagnosis's conclusion)."""

    resolved: bool
    text: str
    session_id: int


RemedyEvent = RemedyJob | DiagnoseEvent | RemedyVerdict


class DiagnosisService:
    """Investigations, remedies, sessions and the timeline."""

    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        reader: WindowReader,
        provider: LlmProvider,
        planner: RemedyPlanner,
        actions: RemedyActions,
        clock: SimClock,
        *,
        max_steps: int = 12,
        settle_seconds: float = SETTLE_SECONDS,
    ) -> None:
        self._db, self._outbox, self._reader, self._provider = db, outbox, reader, provider
        self._planner, self._actions, self._clock = planner, actions, clock
        self._max_steps, self._settle = max_steps, settle_seconds

    async def check(self, r: DiagnoseRequest) -> tuple[Question, Inventory, int]:
        """Validate a request before anything streams: (question, inventory, steps)."""
        validation.positive_id(r.cluster_id, "cluster")
        if r.droplet_id < 0:
            raise InvalidArgument(f"droplet id must be 0 (the cluster) or positive: {r.droplet_id}")
        question = r.question.strip() or DEFAULT_QUESTION
        if len(question) > MAX_QUESTION:
            raise InvalidArgument(
                f"the question has {len(question)} characters; ask in {MAX_QUESTION} or fewer"
            )
        window = r.window_seconds or DEFAULT_WINDOW
        if not MIN_WINDOW <= window <= MAX_WINDOW:
            raise InvalidArgument(
                f"window_seconds {window:g} is out of range; give {MIN_WINDOW:g} to "
                f"{MAX_WINDOW:g} (0: one hour)"
            )
        if not 0 <= r.max_steps <= MAX_STEPS:
            raise InvalidArgument(f"max_steps {r.max_steps} is out of range; give 0 to {MAX_STEPS}")
        inventory = await self._reader.inventory(r.cluster_id)
        target = Target(r.cluster_id, 0, inventory.cluster.name)
        if r.droplet_id:
            droplet = next(
                (d for d in inventory.droplets if d.target.droplet_id == r.droplet_id), None
            )
            if droplet is None:
                raise NotFound(
                    f"droplet {r.droplet_id} is not an active droplet of {inventory.cluster.name}"
                )
            target = droplet.target
        previous: tuple[str, ...] = ()
        if r.session_id:
            session = await self.get_session(r.session_id)
            if session.cluster_id != r.cluster_id:
                raise FailedPrecondition(
                    f"session {r.session_id} is about another cluster; start a new session"
                )
            previous = _previous(session)
        until = self._clock.now()
        q = Question(target, question, until - window, until, previous)
        return q, inventory, r.max_steps or self._max_steps

    async def diagnose(self, r: DiagnoseRequest) -> AsyncIterator[DiagnoseEvent]:
        """Investigate (check() first, so bad input fails before the stream starts)."""
        q, inventory, steps = await self.check(r)
        async for event in self.run(q, inventory, steps, r.session_id):
            yield event

    async def run(
        self,
        q: Question,
        inventory: Inventory,
        steps: int,
        session_id: int = 0,
        *,
        follow_up_of: str = "",
        verdict: Callable[[Investigation], str] | None = None,
    ) -> AsyncIterator[DiagnoseEvent]:
        """The investigation's events, then the stored turn."""
        investigation = Investigation(
            q, inventory, self._reader, self._provider_for(inventory), self._planner, steps
        )
        async for event in investigation.run():
            yield event
        o = investigation.outcome
        turn = Turn(
            q.question, q.until, (q.since, q.until), tuple(o.steps), o.analysis, o.answer,
            o.remedies, o.prompt_tokens, o.completion_tokens, follow_up_of,
            verdict(investigation) if verdict else "",
        )  # fmt: skip
        session_id = await self._store(session_id, q, turn)
        yield DiagnosisDone(session_id, turn)

    def _provider_for(self, inventory: Inventory) -> LlmProvider:
        if not needs_masking(self._provider):
            return self._provider
        masker = Masker(
            clusters=[inventory.cluster.name],
            droplets=[d.target.name for d in inventory.droplets],
            ips=[d.ip_address for d in inventory.droplets if d.ip_address],
        )
        return MaskingProvider(self._provider, masker)

    async def _store(self, session_id: int, q: Question, turn: Turn) -> int:
        now = self._clock.now()

        def write(s: DbSession) -> tuple[int, list[Event]]:
            repo = DiagnosisRepository(s)
            sid = session_id
            if not sid:
                title = f"{q.target.name}: {q.question}"
                sid = repo.create(q.target.cluster_id, q.target.droplet_id, title, now).id
            repo.add_turn(sid, turn, now)
            root = turn.analysis.root if turn.analysis is not None else None
            finished = DiagnosisFinished(
                sid, q.target.cluster_id, q.target.droplet_id, q.question, q.until,
                root.cause.kind.value if root else "", root.cause.target.name if root else "",
                root.cause.summary if root else "", turn.verdict,
            )  # fmt: skip
            return sid, [finished]

        # The turn and its "diagnosis finished" event commit together (the outbox).
        return await self._outbox.commit(write)

    async def apply_remedy(
        self, session_id: int, remedy_id: str, *, confirmed: bool
    ) -> AsyncIterator[RemedyEvent]:
        """Run the remedy's jobs, let the world settle, then diagnose again and say whether the
        cause is gone."""
        remedy = await self.check_remedy(session_id, remedy_id, confirmed=confirmed)
        async for event in self.run_remedy(session_id, remedy):
            yield event

    async def diagnose_alert(
        self, cluster_id: int, droplet_id: int, check: str
    ) -> tuple[int, RootCause | None]:
        """For Health: when an alert fires, diagnose its target in the background and return
        (session id, root cause or None) to attach to the alert. The turn is stored and
        announced (DiagnosisFinished) like any other."""
        request = DiagnoseRequest(
            cluster_id, droplet_id, f"Why did the check {check} fail?", MIN_WINDOW * 4
        )
        q, inventory, steps = await self.check(request)
        session_id, root = 0, None
        async for event in self.run(q, inventory, steps):
            if isinstance(event, DiagnosisDone):
                session_id = event.session_id
                analysis = event.turn.analysis
                root = analysis.root if analysis is not None else None
        return session_id, root

    async def check_remedy(self, session_id: int, remedy_id: str, *, confirmed: bool) -> Remedy:
        """The remedy to apply, or the error to show before anything runs."""
        session = await self.get_session(session_id)
        remedy = next(
            (r for t in reversed(session.turns) for r in t.remedies if r.id == remedy_id), None
        )
        if remedy is None:
            raise NotFound(f"session {session_id} has no remedy {remedy_id!r}; see GetSession")
        if not confirmed:
            raise FailedPrecondition(
                f"applying “{remedy.title}” changes the cluster: {remedy.changes}; set "
                "confirmed to apply it"
            )
        return remedy

    async def run_remedy(self, session_id: int, remedy: Remedy) -> AsyncIterator[RemedyEvent]:
        """check_remedy's remedy applied and verified."""
        last: Job | None = None
        async for job in self._actions.apply(remedy):
            last = job
            yield RemedyJob(job)
        if last is not None and last.state.value != "succeeded":
            text = f"not resolved: the job {last.id} {last.state.value}: {last.error}"
            yield RemedyVerdict(False, text, session_id)
            return
        await self._clock.sleep_until(self._clock.now() + self._settle)
        request = DiagnoseRequest(
            remedy.target.cluster_id,
            question=f"Is the cause gone after “{remedy.title}”?",
            window_seconds=MIN_WINDOW * 2,
            session_id=session_id,
        )
        q, inventory, steps = await self.check(request)
        outcome: list[tuple[bool, str]] = []

        def judge(inv: Investigation) -> str:
            resolved, text = _verdict(remedy, inv)
            outcome.append((resolved, text))
            return text

        async for event in self.run(
            q, inventory, steps, session_id, follow_up_of=remedy.id, verdict=judge
        ):
            yield event
        resolved, text = outcome[-1] if outcome else (False, "no follow-up ran")
        yield RemedyVerdict(resolved, text, session_id)

    async def get_session(self, session_id: int) -> Session:
        """A session with its turns, or NotFound."""
        validation.positive_id(session_id, "session")
        session = await self._db.read(lambda s: DiagnosisRepository(s).get(session_id))
        if session is None:
            raise NotFound(f"diagnosis session {session_id} does not exist; see ListSessions")
        return session

    async def list_sessions(self, cluster_id: int = 0, limit: int = 0) -> list[Session]:
        """Sessions newest first (of one cluster when given)."""
        if cluster_id < 0 or not 0 <= limit <= 500:
            raise InvalidArgument("give cluster_id 0 (all) or positive and limit 0 to 500")
        return await self._db.read(
            lambda s: DiagnosisRepository(s).list(cluster_id=cluster_id or None, limit=limit or 100)
        )

    async def export_session(self, session_id: int) -> str:
        """The session as Markdown, with its evidence."""
        return session_markdown(await self.get_session(session_id))

    async def timeline(
        self, cluster_id: int, window_seconds: float = 0.0, kinds: Sequence[str] = ()
    ) -> list[Entry]:
        """Everything that happened to a cluster in the window, oldest first."""
        window = window_seconds or DEFAULT_WINDOW
        if not MIN_WINDOW / 5 <= window <= 7 * MAX_WINDOW:
            raise InvalidArgument(f"window_seconds {window:g} is out of range; give 60 to 604800")
        known = {e.value for e in EntryKind}
        if unknown := [k for k in kinds if k not in known]:
            raise InvalidArgument(f"unknown kinds {unknown}; give some of {sorted(known)}")
        inventory = await self._reader.inventory(cluster_id)
        until = self._clock.now()
        since = until - window
        events = await self._reader.events(cluster_id, since)
        target = Target(cluster_id, 0, inventory.cluster.name)
        health = await self._reader.health_view(target, since, until)
        logs = await self._reader.log_view(target, since, until)
        w: TelemetryWindow = replace(
            with_events(empty_window(target, since, until, 10.0), events), health=health, logs=logs
        )
        sessions = await self._db.read(
            lambda s: [
                DiagnosisRepository(s).get(x.id)
                for x in DiagnosisRepository(s).list(cluster_id=cluster_id, limit=20)
            ]
        )
        findings = [
            f
            for sess in sessions
            if sess is not None
            for t in sess.turns
            if t.analysis is not None
            for f in (rc.cause for rc in t.analysis.causes[:1])
        ]
        sim_now, wall_now, scale = self._clock.now(), time.time(), self._clock.time_scale

        def to_sim(wall: float) -> float:
            return sim_now - (wall_now - wall) * scale

        entries = [*window_entries(w, to_sim), *finding_entries(findings)]
        return ordered(_dedupe(entries), since, until + 1, kinds)


def _dedupe(entries: list[Entry]) -> list[Entry]:
    seen: set[tuple[str, str]] = set()
    out = []
    for e in entries:
        key = (e.kind.value, e.text)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _previous(session: Session) -> tuple[str, ...]:
    """Root causes and findings of the session's earlier turns (a follow-up reuses them)."""
    out: list[str] = []
    for turn in session.turns:
        if turn.analysis is not None and turn.analysis.root is not None:
            out.append(turn.analysis.root.cause.summary)
        if turn.verdict:
            out.append(turn.verdict)
    return tuple(out[-5:])


def _verdict(remedy: Remedy, inv: Investigation) -> tuple[bool, str]:
    a = inv.outcome.analysis
    if a is None:
        return False, "not resolved: the follow-up could not analyse the cluster"
    same = [rc for rc in a.causes if rc.cause.key == remedy.cause_key]
    if not same or same[0].cause.severity.value == 1 and not same[0].symptoms:
        if a.root is not None and a.root.cause.severity.value > 1:
            return True, (
                f"resolved: “{remedy.title}” removed the cause; now: {a.root.cause.summary}"
            )
        return True, f"resolved: after “{remedy.title}” the cause is gone and nothing else is wrong"
    nxt = next((r.title for r in inv.outcome.remedies if r.action != remedy.action), "")
    hint = f"; next: {nxt}" if nxt else ""
    return False, f"not resolved: {same[0].cause.summary}{hint}"
