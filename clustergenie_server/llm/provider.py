"""The provider interface: messages and tools in; tokens, tool calls and token counts out."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class ToolCall:
    """The model asks for a tool: its name and JSON arguments."""

    id: str
    name: str
    arguments: Mapping[str, Any] = field(default_factory=dict)

    def arguments_json(self) -> str:
        """The arguments as the JSON the chat API carries."""
        return json.dumps(dict(self.arguments), sort_keys=True)


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message: system, user, assistant (maybe with tool calls) or a tool's result."""

    role: str
    content: str
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str = ""
    name: str = ""


@dataclass(frozen=True, slots=True)
class Tool:
    """A tool the model may call: a name, what it does, and a JSON schema of its arguments."""

    name: str
    description: str
    parameters: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Token:
    """A piece of the answer's text."""

    text: str


@dataclass(frozen=True, slots=True)
class ToolCalls:
    """The model's turn ended asking for tools."""

    calls: tuple[ToolCall, ...]


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens the turn cost."""

    prompt_tokens: int
    completion_tokens: int


Chunk = Token | ToolCalls | Usage


class LlmProvider(Protocol):
    """A chat model: one turn per call, streamed."""

    name: str

    def stream(self, messages: Sequence[Message], tools: Sequence[Tool]) -> AsyncIterator[Chunk]:
        """The turn's chunks: tokens, then maybe tool calls, then its usage."""
        ...


def count_tokens(text: str) -> int:
    """A model-independent estimate: about four characters a token."""
    return max(1, (len(text) + 3) // 4)


def fit(messages: Sequence[Message], budget: int) -> tuple[list[Message], bool]:
    """The messages within a budget of tokens, as a model's window would take them: the system
    prompt and the latest messages are kept whole, older tool results are cut first, then
    shortened. Returns the messages and whether anything was cut."""
    out = list(messages)
    total = sum(count_tokens(m.content) for m in out)
    if total <= budget:
        return out, False
    # Oldest tool results first: the question and the findings stay readable.
    for i, m in enumerate(out):
        if total <= budget:
            break
        if m.role == "tool" and i < len(out) - 1:
            keep = max(40, count_tokens(m.content) - (total - budget)) * 4
            shortened = m.content[:keep] + " …[truncated]"
            total -= count_tokens(m.content) - count_tokens(shortened)
            out[i] = Message(m.role, shortened, m.tool_calls, m.tool_call_id, m.name)
    if total > budget:
        for i, m in enumerate(out):
            if m.role in ("user", "system") and count_tokens(m.content) > budget // 2:
                shortened = m.content[: budget * 2] + " …[truncated]"
                out[i] = Message(m.role, shortened, m.tool_calls, m.tool_call_id, m.name)
    return out, True
