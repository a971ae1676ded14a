"""The investigation: tool calls chosen by the model, each summarised, then the analysis, the
explanation token by token, and the remedies. Bounded by a step budget; cancelling the caller
cancels it (every await is a cancellation point)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field, replace

from clustergenie_server.domain.diagnosis import (
    Analysis,
    AnswerToken,
    DiagnoseEvent,
    FindingsReady,
    RemediesReady,
    Remedy,
    Step,
    StepTaken,
    Target,
)
from clustergenie_server.llm.provider import LlmProvider, Message, Token, ToolCall, ToolCalls, Usage
from clustergenie_server.services.diagnosis.analyzers import analyze
from clustergenie_server.services.diagnosis.analyzers.common import clock
from clustergenie_server.services.diagnosis.collect import (
    Inventory,
    OpsEvents,
    Samples,
    WindowReader,
    build_window,
    with_events,
)
from clustergenie_server.services.diagnosis.prompt import SYSTEM, TOOLS, analysis_json
from clustergenie_server.services.diagnosis.ranking import rank
from clustergenie_server.services.diagnosis.remedies import RemedyPlanner
from clustergenie_server.services.diagnosis.sources import HealthView, LogView
from clustergenie_server.services.diagnosis.summaries import (
    events_summary,
    health_summary,
    logs_summary,
    metrics_summary,
)
from clustergenie_server.services.diagnosis.timeline import window_timeline
from clustergenie_server.services.diagnosis.window import TelemetryWindow


@dataclass(frozen=True, slots=True)
class Question:
    """What the operator asked, about which target and window (simulated seconds)."""

    target: Target
    question: str
    since: float
    until: float
    previous: tuple[str, ...] = ()  # findings of earlier turns of the session


@dataclass
class Outcome:
    """What an investigation produced (filled in as it runs)."""

    steps: list[Step] = field(default_factory=list)
    analysis: Analysis | None = None
    window: TelemetryWindow | None = None
    remedies: tuple[Remedy, ...] = ()
    answer: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0


class Investigation:
    """One investigation of one question."""

    def __init__(
        self,
        q: Question,
        inventory: Inventory,
        reader: WindowReader,
        provider: LlmProvider,
        planner: RemedyPlanner,
        max_steps: int,
        monotonic: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.q, self._inventory, self._reader = q, inventory, reader
        self._provider, self._planner, self._max_steps = provider, planner, max_steps
        self._monotonic = monotonic
        self.outcome = Outcome()
        # Baselines need the time before the window: read as long again before it.
        self._read_since = q.since - (q.until - q.since)
        self._samples: Samples | None = None
        self._events: OpsEvents | None = None
        self._health = HealthView()
        self._logs = LogView()

    async def run(self) -> AsyncIterator[DiagnoseEvent]:
        """Steps, then findings, then the answer's tokens, then the remedies."""
        messages = [Message("system", SYSTEM), Message("user", self._ask())]
        answered = False
        while not answered:
            calls: tuple[ToolCall, ...] = ()
            budget_left = len(self.outcome.steps) < self._max_steps
            tools = TOOLS if budget_left else ()
            if not budget_left and self.outcome.analysis is None:
                calls = (ToolCall("call_forced", "analyze", {}),)
            else:
                async for chunk in self._provider.stream(messages, tools):
                    if isinstance(chunk, ToolCalls):
                        calls = chunk.calls
                    elif isinstance(chunk, Usage):
                        self.outcome.prompt_tokens += chunk.prompt_tokens
                        self.outcome.completion_tokens += chunk.completion_tokens
                    elif isinstance(chunk, Token):
                        if self.outcome.analysis is None:
                            continue  # an answer before the evidence: ask again after it
                        self.outcome.answer += chunk.text
                        yield AnswerToken(chunk.text)
                if not calls and self.outcome.analysis is None:
                    calls = (ToolCall("call_forced", "analyze", {}),)
            if not calls:
                answered = True
                continue
            messages.append(Message("assistant", "", calls))
            for call in calls[: max(1, self._max_steps - len(self.outcome.steps))]:
                result, events = await self._execute(call)
                messages.append(Message("tool", result, tool_call_id=call.id, name=call.name))
                for event in events:
                    yield event
        yield RemediesReady(self.outcome.remedies)

    def _ask(self) -> str:
        t = self.q.target
        what = (
            f"droplet {t.name} of cluster {self._inventory.cluster.name}"
            if t.droplet_id
            else (f"cluster {self._inventory.cluster.name}")
        )
        return (
            f"Target: {what} ({len(self._inventory.droplets)} active droplets). "
            f"Window: {clock(self.q.since)}–{clock(self.q.until)} UTC.\n"
            f"Question: {self.q.question}"
        )

    async def _execute(self, call: ToolCall) -> tuple[str, list[DiagnoseEvent]]:
        started = self._monotonic()
        target = self._target(str(call.arguments.get("droplet", "")))
        if call.name == "query_metrics":
            summary = metrics_summary(await self._window(), target)
        elif call.name == "read_events":
            summary = events_summary(await self._ops(), self._inventory, self.q.since)
        elif call.name == "read_health":
            self._health = await self._reader.health_view(target, self._read_since, self.q.until)
            summary = health_summary(self._health)
        elif call.name == "search_logs":
            query = str(call.arguments.get("query", ""))
            lines = await self._reader.logs.lines(
                target.cluster_id, target.droplet_id, self.q.since, self.q.until, query, 20
            )
            self._logs = await self._reader.log_view(target, self._read_since, self.q.until)
            summary = logs_summary(query, target, lines, self._logs)
        elif call.name == "analyze":
            return await self._analyze(call, started)
        else:
            summary = f"unknown tool {call.name}; the tools are " + ", ".join(t.name for t in TOOLS)
        step = self._step(call, summary, started)
        return summary, [StepTaken(step)]

    async def _analyze(self, call: ToolCall, started: float) -> tuple[str, list[DiagnoseEvent]]:
        w = await self._window()
        if self._events is None:
            await self._ops()
        w = self.outcome.window = self._full(w)
        findings, checked = analyze(w)
        if self.q.target.droplet_id:
            findings = [
                f for f in findings
                if f.target.droplet_id in (0, self.q.target.droplet_id)
            ]  # fmt: skip
        analysis = rank(findings, checked, (self.q.since, self.q.until))
        self.outcome.analysis = analysis
        self.outcome.remedies = tuple(self._planner.propose(analysis.causes, w))
        root = analysis.root
        summary = (
            f"root cause: {root.cause.summary}; explains {len(root.symptoms)} symptom(s); "
            f"{len(analysis.causes) - 1} other cause(s)"
            if root
            else f"no root cause found; {len(analysis.unexplained)} unexplained finding(s)"
        )
        step = self._step(call, summary, started)
        timeline = window_timeline(w, analysis)
        result = analysis_json(analysis, w, self.outcome.remedies, timeline, self.q.previous)
        return result, [StepTaken(step), FindingsReady(analysis)]

    def _step(self, call: ToolCall, summary: str, started: float) -> Step:
        step = Step(
            len(self.outcome.steps) + 1,
            call.name,
            tuple(sorted((k, str(v)) for k, v in call.arguments.items())),
            summary,
            round(self._monotonic() - started, 4),
        )
        self.outcome.steps.append(step)
        return step

    def _target(self, name: str) -> Target:
        if name:
            for d in self._inventory.droplets:
                if d.target.name == name:
                    return d.target
        return self.q.target

    async def _window(self) -> TelemetryWindow:
        if self._samples is None:
            ids = [d.target.droplet_id for d in self._inventory.droplets]
            self._samples = await self._reader.samples(
                self._inventory.cluster.id, ids, self._read_since, self.q.until
            )
        return build_window(
            self._inventory, self._samples, self._read_since, self.q.until,
            self._reader.tick_seconds,
        )  # fmt: skip

    async def _ops(self) -> OpsEvents:
        if self._events is None:
            self._events = await self._reader.events(self._inventory.cluster.id, self._read_since)
        return self._events

    def _full(self, w: TelemetryWindow) -> TelemetryWindow:
        assert self._events is not None
        return replace(with_events(w, self._events), health=self._health, logs=self._logs)


def previous_findings(summaries: Sequence[str]) -> tuple[str, ...]:
    """Earlier turns' findings, as a follow-up question reuses them."""
    return tuple(summaries[-5:])
