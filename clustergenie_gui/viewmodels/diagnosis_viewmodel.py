"""DiagnosisViewModel: asks questions, streams the investigation, applies remedies, and keeps
the timeline and the session history."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QObject, Signal
from qasync import asyncSlot

from clustergenie_gui.client import ClientError
from clustergenie_gui.client import diagnosis_types as d
from clustergenie_gui.client.diagnosis_client import DiagnosisClient

SUGGESTIONS = (
    "What is wrong with this cluster?",
    "Why is p95 high?",
    "What changed in the last hour?",
    "Is it safe to scale down?",
    "Why did the check fail?",
)


class DiagnosisViewModel(QObject):
    """The Diagnose panel's state and work.

    Signals:
        busy_changed(bool): an investigation or a remedy is running.
        started(str): a new question was asked (its text): views clear their results.
        step_added(object): a diagnosis_types.Step of the investigation.
        findings_ready(object): the diagnosis_types.Findings.
        answer_changed(str): the explanation so far (Markdown).
        remedies_ready(list): the diagnosis_types.Remedy list of the root cause.
        remedy_progress(str): what the remedy is doing ("job 12 reboot_droplet: succeeded").
        verdict_ready(object): the diagnosis_types.Verdict of a follow-up.
        session_changed(int): the current session's id (0: none yet).
        sessions_changed(list): the stored diagnosis_types.SessionInfo, newest first.
        timeline_changed(list): the diagnosis_types.TimelineEntry list, oldest first.
        exported(str, str): (file name, Markdown) of the current session.
        error(str): the server's message for a failed request; "" clears it.
    """

    busy_changed = Signal(bool)
    started = Signal(str)
    step_added = Signal(object)
    findings_ready = Signal(object)
    answer_changed = Signal(str)
    remedies_ready = Signal(list)
    remedy_progress = Signal(str)
    verdict_ready = Signal(object)
    session_changed = Signal(int)
    sessions_changed = Signal(list)
    timeline_changed = Signal(list)
    exported = Signal(str, str)
    error = Signal(str)

    def __init__(self, client: DiagnosisClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._task: asyncio.Task[None] | None = None
        self._busy = False
        self.session_id = 0
        self.cluster_id = 0
        self.answer = ""
        self.remedies: list[d.Remedy] = []
        self.findings: d.Findings | None = None
        self.steps: list[d.Step] = []

    @property
    def busy(self) -> bool:
        """True while something runs."""
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    @asyncSlot(int, int, str, float)
    async def ask(self, cluster_id: int, droplet_id: int, question: str, window: float) -> None:
        """Investigate a question; a follow-up when the session is about the same cluster."""
        if self._busy or not cluster_id:
            if not cluster_id:
                self.error.emit("Choose a cluster to diagnose.")
            return
        if cluster_id != self.cluster_id:
            self.session_id = 0
        self.cluster_id = cluster_id
        self.error.emit("")
        self.started.emit(question)
        self.answer, self.remedies, self.findings, self.steps = "", [], None, []
        self._task = asyncio.current_task()
        self._set_busy(True)
        try:
            stream = self._client.diagnose(
                cluster_id, droplet_id, question, window, self.session_id
            )
            async for event in stream:
                self._on_event(event)
        except ClientError as exc:
            self.error.emit(exc.message)
        except asyncio.CancelledError:
            self.error.emit("Stopped.")
        finally:
            self._task = None
            self._set_busy(False)
        await self._refresh_side(cluster_id, window)

    def _on_event(self, event: d.RemedyEvent) -> None:
        if isinstance(event, d.Step):
            self.steps.append(event)
            self.step_added.emit(event)
        elif isinstance(event, d.Findings):
            self.findings = event
            self.findings_ready.emit(event)
        elif isinstance(event, d.Token):
            self.answer += event.text
            self.answer_changed.emit(self.answer)
        elif isinstance(event, d.Remedies):
            self.remedies = list(event.remedies)
            self.remedies_ready.emit(self.remedies)
        elif isinstance(event, d.Done):
            if event.session_id != self.session_id:
                self.session_id = event.session_id
                self.session_changed.emit(event.session_id)
        elif isinstance(event, d.RemedyJob):
            detail = f": {event.error}" if event.error else ""
            self.remedy_progress.emit(
                f"job {event.job_id} {event.kind.replace('_', ' ')}: {event.state}{detail}"
            )
        elif isinstance(event, d.Verdict):
            self.verdict_ready.emit(event)

    def cancel(self) -> None:
        """Stop the running investigation or remedy (the server stops its work too)."""
        if self._task is not None:
            self._task.cancel()

    def new_session(self) -> None:
        """The next question starts a new session."""
        self.session_id = 0
        self.session_changed.emit(0)

    @asyncSlot(str)
    async def apply_remedy(self, remedy_id: str) -> None:
        """Apply a remedy the user confirmed, then show the follow-up and its verdict."""
        if self._busy or not self.session_id:
            return
        self.error.emit("")
        self.remedy_progress.emit("applying…")
        self._task = asyncio.current_task()
        self._set_busy(True)
        try:
            follow_up = False
            async for event in self._client.apply_remedy(self.session_id, remedy_id):
                if isinstance(event, d.Step) and not follow_up:
                    follow_up = True  # the follow-up diagnosis begins: show it afresh
                    self.answer, self.steps = "", []
                    self.started.emit("follow-up")
                self._on_event(event)
        except ClientError as exc:
            self.error.emit(exc.message)
        except asyncio.CancelledError:
            self.error.emit("Stopped.")
        finally:
            self._task = None
            self._set_busy(False)
        await self._refresh_side(self.cluster_id, 3600.0)

    async def _refresh_side(self, cluster_id: int, window: float) -> None:
        try:
            timeline = await self._client.timeline(cluster_id, max(window, 3600.0))
            sessions = await self._client.list_sessions()
        except ClientError as exc:
            self.error.emit(exc.message)
        else:
            self.timeline_changed.emit(timeline)
            self.sessions_changed.emit(sessions)

    @asyncSlot(int, float)
    async def refresh(self, cluster_id: int, window: float) -> None:
        """Reload the timeline of a cluster and the session history."""
        if cluster_id:
            await self._refresh_side(cluster_id, window)

    @asyncSlot(int)
    async def open_session(self, session_id: int) -> None:
        """Show a stored session's last turn; the next question follows it up."""
        try:
            detail = await self._client.get_session(session_id)
        except ClientError as exc:
            self.error.emit(exc.message)
            return
        self.session_id, self.cluster_id = detail.info.id, detail.info.cluster_id
        self.session_changed.emit(self.session_id)
        if detail.turns:
            turn = detail.turns[-1]
            self.started.emit(turn.question)
            for step in turn.steps:
                self.step_added.emit(step)
            if turn.findings is not None:
                self.findings = turn.findings
                self.findings_ready.emit(turn.findings)
            self.answer = turn.answer
            self.answer_changed.emit(turn.answer)
            self.remedies = list(turn.remedies)
            self.remedies_ready.emit(self.remedies)

    @asyncSlot()
    async def export(self) -> None:
        """The current session as Markdown (exported carries it)."""
        if not self.session_id:
            self.error.emit("Ask a question first: there is no session to export.")
            return
        try:
            name, markdown = await self._client.export_session(self.session_id)
        except ClientError as exc:
            self.error.emit(exc.message)
        else:
            self.exported.emit(name, markdown)
