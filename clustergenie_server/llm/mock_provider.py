"""The mock model: no network, no key, deterministic for a seed, streaming at a set pace.

It investigates as an agent would, choosing its next tool from what the earlier ones showed,
and answers the question asked from the evidence in its (budgeted) context: the analysis the
`analyze` tool returned, as JSON. It never invents a figure the evidence does not hold.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
from collections.abc import AsyncIterator, Sequence
from typing import Any

from clustergenie_server.llm.answers import write_answer
from clustergenie_server.llm.provider import (
    Chunk,
    Message,
    Token,
    Tool,
    ToolCall,
    ToolCalls,
    Usage,
    count_tokens,
    fit,
)

# What a log search looks for when the metrics showed a kind of trouble.
LOG_QUERIES = {
    "memory": "out of memory|OOM|killed",
    "disk": "No space left|disk full",
    "errors": "5xx|error|exception",
    "down": "connection refused|restart|unreachable",
    "latency": "timeout|retransmit|slow",
    "cpu": "high load|throttl",
}


class MockProvider:
    """A deterministic stand-in for a chat model."""

    name = "mock"

    def __init__(self, seed: int = 0, pace_seconds: float = 0.0, context_tokens: int = 8000):
        self._seed, self._pace, self._budget = seed, pace_seconds, context_tokens

    async def stream(
        self, messages: Sequence[Message], tools: Sequence[Tool]
    ) -> AsyncIterator[Chunk]:
        """One turn: the next tool calls while there is something to look at, else the answer."""
        fitted, truncated = fit(messages, self._budget)
        prompt = sum(count_tokens(m.content) for m in fitted)
        calls = self._next_calls(fitted, {t.name for t in tools})
        if calls:
            yield ToolCalls(tuple(calls))
            yield Usage(prompt, sum(count_tokens(c.arguments_json()) for c in calls))
            return
        rng = random.Random(f"{self._seed}:{_question(fitted)}")
        text = write_answer(_question(fitted), _analysis(fitted), rng, truncated=truncated)
        produced = 0
        for piece in re.findall(r"\S+\s*|\s+", text):
            if self._pace > 0:
                await asyncio.sleep(self._pace)
            produced += 1
            yield Token(piece)
        yield Usage(prompt, produced)

    def _next_calls(self, messages: Sequence[Message], available: set[str]) -> list[ToolCall]:
        done = [c for m in messages if m.role == "assistant" for c in m.tool_calls]
        called = {c.name for c in done}
        n = len(done)

        def call(name: str, **args: Any) -> list[ToolCall]:
            return [ToolCall(f"call_{n + 1}", name, args)] if name in available else []

        if "query_metrics" not in called:
            return call("query_metrics")
        if "read_events" not in called:
            return call("read_events")
        if "analyze" in called:
            return []  # the evidence is in: answer
        seen = " ".join(m.content for m in messages if m.role == "tool").lower()
        if "read_health" not in called and ("check" in seen or "check" in _question(messages)):
            return call("read_health")
        if "search_logs" not in called:
            for hint, query in LOG_QUERIES.items():
                if f"[{hint}]" in seen:
                    droplet = _suspect(seen)
                    return call("search_logs", query=query, droplet=droplet)
        return call("analyze")


def _question(messages: Sequence[Message]) -> str:
    users = [m.content for m in messages if m.role == "user"]
    last = users[-1] if users else ""
    match = re.search(r"Question:\s*(.+)", last)
    return (match.group(1) if match else last).strip().lower()


def _analysis(messages: Sequence[Message]) -> dict[str, Any]:
    """The newest analysis in the context (the analyze tool's JSON), or {}."""
    for m in reversed(messages):
        if m.role in ("tool", "user") and '"causes"' in m.content:
            start = m.content.find("{")
            try:
                data = json.loads(m.content[start:])
            except ValueError:
                return {"truncated": True}
            return data if isinstance(data, dict) else {}
    return {}


def _suspect(seen: str) -> str:
    """The droplet the metrics pointed at ("suspect: web-3"), or "" for the cluster."""
    match = re.search(r"suspect: (\S+)", seen)
    return match.group(1).rstrip(".,;") if match else ""
