"""An OpenAI-compatible chat-completions provider over HTTP: streaming (SSE) and tool calls.

The key comes from a file or an environment variable and is never logged or shown in a repr.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import aiohttp

from clustergenie_server.llm.provider import (
    Chunk,
    Message,
    Token,
    Tool,
    ToolCall,
    ToolCalls,
    Usage,
)

log = logging.getLogger(__name__)


class LlmUnavailable(RuntimeError):
    """The model endpoint failed; the message says how, never with the key."""


def read_key(key_file: str, key_env: str) -> str:
    """The API key: the file's first line when a file is given, else the env var ("" if none)."""
    if key_file:
        try:
            return Path(key_file).read_text(encoding="utf-8").strip().splitlines()[0]
        except (OSError, IndexError) as exc:
            raise LlmUnavailable(f"cannot read the LLM key file {key_file}: {exc}") from exc
    return os.environ.get(key_env, "")


def _wire(m: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"role": m.role, "content": m.content}
    if m.tool_calls:
        out["tool_calls"] = [
            {
                "id": c.id,
                "type": "function",
                "function": {"name": c.name, "arguments": c.arguments_json()},
            }
            for c in m.tool_calls
        ]
    if m.role == "tool":
        out["tool_call_id"] = m.tool_call_id
    return out


class HttpProvider:
    """Chat completions at `url` (…/v1) with `model`."""

    name = "openai"

    def __init__(self, url: str, model: str, key: str, *, timeout_seconds: float = 60.0) -> None:
        self._url = url.rstrip("/") + "/chat/completions"
        self._model, self.__key, self._timeout = model, key, timeout_seconds

    def __repr__(self) -> str:
        return f"HttpProvider(url={self._url!r}, model={self._model!r})"

    async def stream(
        self, messages: Sequence[Message], tools: Sequence[Tool]
    ) -> AsyncIterator[Chunk]:
        """One streamed turn: content deltas as tokens, tool-call deltas assembled, usage."""
        body: dict[str, Any] = {
            "model": self._model,
            "messages": [_wire(m) for m in messages],
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if tools:
            body["tools"] = [
                {
                    "type": "function",
                    "function": {
                        "name": t.name,
                        "description": t.description,
                        "parameters": dict(t.parameters),
                    },
                }
                for t in tools
            ]
        headers = {"Content-Type": "application/json"}
        if self.__key:
            headers["Authorization"] = f"Bearer {self.__key}"
        timeout = aiohttp.ClientTimeout(total=self._timeout)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(self._url, json=body, headers=headers) as response,
            ):
                if response.status != 200:
                    detail = (await response.text())[:300]
                    raise LlmUnavailable(
                        f"the model at {self._url} answered {response.status}: {detail}"
                    )
                async for chunk in _parse(response.content):
                    yield chunk
        except aiohttp.ClientError as exc:
            log.warning("LLM request to %s failed: %s", self._url, exc)
            raise LlmUnavailable(f"cannot reach the model at {self._url}: {exc}") from exc


async def _parse(content: aiohttp.StreamReader) -> AsyncIterator[Chunk]:
    """Server-sent events of chat.completion.chunk objects, as chunks."""
    calls: dict[int, dict[str, str]] = {}
    async for raw in content:
        line = raw.decode("utf-8").strip()
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            break
        event = json.loads(data)
        if usage := event.get("usage"):
            yield Usage(int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0)))
        for choice in event.get("choices") or []:
            delta = choice.get("delta") or {}
            if text := delta.get("content"):
                yield Token(text)
            for part in delta.get("tool_calls") or []:
                slot = calls.setdefault(
                    int(part.get("index", 0)), {"id": "", "name": "", "args": ""}
                )
                slot["id"] = part.get("id") or slot["id"]
                fn = part.get("function") or {}
                slot["name"] = fn.get("name") or slot["name"]
                slot["args"] += fn.get("arguments") or ""
    if calls:
        yield ToolCalls(
            tuple(
                ToolCall(c["id"] or f"call_{i}", c["name"], json.loads(c["args"] or "{}"))
                for i, c in sorted(calls.items())
            )
        )
