"""Masking: cluster, droplet and check names and IP addresses never leave the process.

Every outgoing message (tool results, events and log lines included) has them replaced by
placeholders (CLUSTER_1, DROPLET_2, CHECK_1, IP_3); the answer streamed back has them restored,
even when a placeholder is split across tokens.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterable, Sequence

from clustergenie_server.llm.provider import (
    Chunk,
    LlmProvider,
    Message,
    Token,
    Tool,
    ToolCall,
    ToolCalls,
)

IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
PLACEHOLDER = re.compile(r"\b(?:CLUSTER|DROPLET|CHECK|IP)_\d+\b")
_LONGEST_PLACEHOLDER = len("DROPLET_99999")


class Masker:
    """Replaces known names and any IPv4 address with stable placeholders, and back."""

    def __init__(
        self,
        clusters: Iterable[str] = (),
        droplets: Iterable[str] = (),
        checks: Iterable[str] = (),
        ips: Iterable[str] = (),
    ) -> None:
        self._to_mask: dict[str, str] = {}
        self._to_real: dict[str, str] = {}
        for prefix, names in (
            ("CLUSTER", clusters),
            ("DROPLET", droplets),
            ("CHECK", checks),
            ("IP", ips),
        ):
            for name in names:
                self._add(prefix, name)

    def _add(self, prefix: str, name: str) -> str:
        if not name or name in self._to_mask:
            return self._to_mask.get(name, name)
        count = sum(1 for p in self._to_real if p.startswith(prefix + "_")) + 1
        placeholder = f"{prefix}_{count}"
        self._to_mask[name] = placeholder
        self._to_real[placeholder] = name
        return placeholder

    def mask(self, text: str) -> str:
        """The text with every known name and IPv4 address replaced."""
        text = IPV4.sub(lambda m: self._add("IP", m.group(0)), text)
        # Longest first: "web-prod-1" before "web-prod".
        for name in sorted(self._to_mask, key=len, reverse=True):
            if not IPV4.fullmatch(name):
                text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w])", self._to_mask[name], text)
        return text

    def unmask(self, text: str) -> str:
        """The text with every placeholder replaced by its real name."""
        return PLACEHOLDER.sub(lambda m: self._to_real.get(m.group(0), m.group(0)), text)

    def mask_message(self, m: Message) -> Message:
        """A message with its content and tool calls' arguments masked."""
        calls = tuple(
            ToolCall(c.id, c.name, json.loads(self.mask(c.arguments_json()))) for c in m.tool_calls
        )
        return Message(m.role, self.mask(m.content), calls, m.tool_call_id, m.name)

    def unmask_call(self, c: ToolCall) -> ToolCall:
        """A tool call with its arguments' placeholders restored."""
        return ToolCall(c.id, c.name, json.loads(self.unmask(c.arguments_json())))


class StreamUnmasker:
    """Restores placeholders in a token stream, holding back a tail that may be one's start."""

    def __init__(self, masker: Masker) -> None:
        self._masker, self._held = masker, ""

    def feed(self, piece: str) -> str:
        """Text that is safe to show now."""
        text = self._held + piece
        cut = len(text)
        tail = re.search(r"(?:C|D|I|CL|CH|[A-Z]+_?\d*)$", text)
        if tail and len(text) - tail.start() <= _LONGEST_PLACEHOLDER:
            cut = tail.start()
        self._held = text[cut:]
        return self._masker.unmask(text[:cut])

    def flush(self) -> str:
        """What is still held, restored."""
        held, self._held = self._held, ""
        return self._masker.unmask(held)


class MaskingProvider:
    """A provider whose requests carry placeholders and whose answers carry real names."""

    def __init__(self, inner: LlmProvider, masker: Masker) -> None:
        self._inner, self._masker = inner, masker
        self.name = inner.name

    async def stream(
        self, messages: Sequence[Message], tools: Sequence[Tool]
    ) -> AsyncIterator[Chunk]:
        """The inner provider's turn over masked messages, restored on the way back."""
        masked = [self._masker.mask_message(m) for m in messages]
        unmasker = StreamUnmasker(self._masker)
        async for chunk in self._inner.stream(masked, tools):
            if isinstance(chunk, Token):
                if text := unmasker.feed(chunk.text):
                    yield Token(text)
            elif isinstance(chunk, ToolCalls):
                yield ToolCalls(tuple(self._masker.unmask_call(c) for c in chunk.calls))
            else:
                yield chunk
        if rest := unmasker.flush():
            yield Token(rest)
