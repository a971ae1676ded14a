"""The LLM layer: the mock is deterministic and answers the question from its context; the
HTTP provider streams tokens and tool calls from an OpenAI-compatible server, and with
masking no real name or IP reaches it while the answer comes back with them restored."""

from __future__ import annotations

import json
from typing import Any

from clustergenie_server.llm.http_provider import HttpProvider, read_key
from clustergenie_server.llm.masking import Masker, MaskingProvider, StreamUnmasker
from clustergenie_server.llm.mock_provider import MockProvider
from clustergenie_server.llm.provider import Message, Token, ToolCall, ToolCalls, Usage, fit
from clustergenie_server.services.diagnosis.prompt import TOOLS
from tests.server.llm.fake_openai import chunk, fake_openai

ANALYSIS = {
    "target": "web-prod",
    "window": "14:00–15:00",
    "cluster": {"droplets": 4, "cpu_percent": 31.0, "p95_ms": 95.0, "slo_p95_ms": 250.0},
    "causes": [
        {
            "kind": "memory_leak",
            "target": "web-prod-2",
            "severity": "critical",
            "confidence": 0.97,
            "since": "14:10",
            "summary": "web-prod-2's memory grows 2.00 %/min: exhausted in 12 min",
            "chain": ["web-prod-2's memory grows 2.00 %/min"],
            "facts": {"time to exhaustion": "12 min"},
            "logs": [],
        }
    ],  # fmt: skip
    "unexplained": [],
    "findings": [],
    "checked": ["memory growth and OOM kills"],
    "remedies": [{"id": "r1", "title": "Replace web-prod-2", "preview": "fresh droplet"}],
    "timeline": [{"time": "14:02", "text": "deploy: v1.0.0 → v1.0.1"}],
}


def conversation(question: str) -> list[Message]:
    """A finished investigation: every tool called, the analysis in the last result."""
    calls = [ToolCall(f"c{i}", name, {}) for i, name in enumerate(
        ["query_metrics", "read_events", "analyze"])]  # fmt: skip
    return [
        Message("system", "You are ClusterGenie."),
        Message("user", f"Target: cluster web-prod.\nQuestion: {question}"),
        Message("assistant", "", tuple(calls)),
        Message("tool", "read 360 ticks", tool_call_id="c0"),
        Message("tool", "1 deploy", tool_call_id="c1"),
        Message("tool", json.dumps(ANALYSIS), tool_call_id="c2"),
    ]


async def answer(provider: MockProvider, question: str) -> str:
    """The mock's whole answer to a question."""
    out = []
    async for piece in provider.stream(conversation(question), TOOLS):
        if isinstance(piece, Token):
            out.append(piece.text)
    return "".join(out)


async def test_the_mock_investigates_step_by_step_from_what_it_has_seen() -> None:
    mock = MockProvider(seed=1)
    first = [c async for c in mock.stream(conversation("q")[:2], TOOLS)]
    assert isinstance(first[0], ToolCalls)
    assert first[0].calls[0].name == "query_metrics"
    seen = [
        *conversation("q")[:2],
        Message("assistant", "", (ToolCall("c0", "query_metrics", {}),)),
        Message(
            "tool", "read 360 ticks; unusual: [memory]; suspect: web-prod-2", tool_call_id="c0"
        ),
        Message("assistant", "", (ToolCall("c1", "read_events", {}),)),
        Message("tool", "no deploys", tool_call_id="c1"),
    ]
    nxt = [c async for c in mock.stream(seen, TOOLS)][0]
    assert isinstance(nxt, ToolCalls)
    assert nxt.calls[0].name == "search_logs"
    assert nxt.calls[0].arguments["droplet"] == "web-prod-2"
    assert "memory" in nxt.calls[0].arguments["query"]


async def test_the_mock_is_deterministic_and_answers_the_question_asked() -> None:
    wrong = await answer(MockProvider(seed=3), "what is wrong with web-prod?")
    assert wrong == await answer(MockProvider(seed=3), "what is wrong with web-prod?")
    assert "web-prod-2" in wrong
    assert "12 min" in wrong
    assert "Replace web-prod-2" in wrong
    p95 = await answer(MockProvider(), "why is p95 high?")
    assert "p95 latency of web-prod is 95 ms now (SLO 250 ms). That is within the SLO" in p95
    scale = await answer(MockProvider(), "is it safe to scale down?")
    assert scale.startswith("Not now") or "Not now" in scale
    changed = await answer(MockProvider(), "what changed in the last hour?")
    assert "14:02 — deploy: v1.0.0 → v1.0.1" in changed
    check = await answer(MockProvider(), "why did the check fail?")
    assert "No health check failed" in check


async def test_the_context_budget_truncates_evidence_like_a_model_window() -> None:
    messages = conversation("what is wrong?")
    messages[3] = Message("tool", "x" * 40_000, tool_call_id="c0")
    fitted, cut = fit(messages, 2_000)
    assert cut
    assert len(fitted[3].content) < 10_000
    assert fitted[-1].content == messages[-1].content  # the newest evidence is kept whole
    text = await answer(MockProvider(context_tokens=2_000), "what is wrong?")
    assert "web-prod-2" in text  # still read the analysis: the old tool result was cut


def test_a_placeholder_split_across_tokens_is_restored() -> None:
    masker = Masker(clusters=["web-prod"], droplets=["web-prod-1"], ips=["10.0.3.7"])
    assert masker.mask("web-prod-1 of web-prod at 10.0.3.7") == "DROPLET_1 of CLUSTER_1 at IP_1"
    unmasker = StreamUnmasker(masker)
    pieces = ["DROP", "LET_", "1 is d", "own; CLUS", "TER_1 ok at I", "P_1."]
    text = "".join(unmasker.feed(p) for p in pieces) + unmasker.flush()
    assert text == "web-prod-1 is down; web-prod ok at 10.0.3.7."


async def test_the_http_provider_streams_tokens_tool_calls_and_usage() -> None:
    def script(body: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            chunk({"role": "assistant", "content": "Looking"}),
            chunk({"tool_calls": [{"index": 0, "id": "call_a", "type": "function",
                                   "function": {"name": "search_logs", "arguments": "{\"que"}}]}),
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": "ry\": \"OOM\"}"}}]}),
            chunk({}, "tool_calls"),
        ]  # fmt: skip

    async with fake_openai(script) as (url, bodies):
        provider = HttpProvider(url, "gpt-test", "sk-secret")
        chunks = [c async for c in provider.stream(conversation("q")[:2], TOOLS)]
    assert chunks[0] == Token("Looking")
    assert ToolCalls((ToolCall("call_a", "search_logs", {"query": "OOM"}),)) in chunks
    assert Usage(42, 7) in chunks
    assert bodies[0]["model"] == "gpt-test"
    assert bodies[0]["stream"] is True
    assert {t["function"]["name"] for t in bodies[0]["tools"]} >= {"analyze", "search_logs"}
    assert bodies[0]["headers"]["Authorization"] == "Bearer sk-secret"
    assert "sk-secret" not in repr(provider)


async def test_no_real_name_or_ip_reaches_the_model_and_the_answer_has_them_back() -> None:
    real = ["web-prod", "web-prod-1", "web-prod-2", "web-http", "10.20.30.40", "10.20.30.41"]

    def script(body: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            chunk({"content": "DROPLET_"}),
            chunk({"content": "2 of CLUSTER_1 (IP_"}),
            chunk({"content": "2) leaks; CHECK_1 fails."}),
            chunk({}, "stop"),
        ]

    masker = Masker(
        clusters=["web-prod"], droplets=["web-prod-1", "web-prod-2"], checks=["web-http"],
        ips=["10.20.30.40", "10.20.30.41"],
    )  # fmt: skip
    messages = [
        Message("user", "Question: what is wrong with web-prod?"),
        Message("assistant", "", (ToolCall("c1", "search_logs", {"droplet": "web-prod-2"}),)),
        Message("tool", "2 lines on web-prod-2 (10.20.30.41): 'Out of memory: killed process "
                "1234 on web-prod-2'; check web-http → unhealthy; peer 10.20.30.40 ok",
                tool_call_id="c1"),
        Message("tool", json.dumps(ANALYSIS), tool_call_id="c2"),
    ]  # fmt: skip
    async with fake_openai(script) as (url, bodies):
        provider = MaskingProvider(HttpProvider(url, "m", ""), masker)
        text = "".join(
            [c.text async for c in provider.stream(messages, TOOLS) if isinstance(c, Token)]
        )
    sent = json.dumps(bodies[0]["messages"])
    for name in real:
        assert name not in sent, name
    assert "DROPLET_2" in sent
    assert text == "web-prod-2 of web-prod (10.20.30.41) leaks; web-http fails."


def test_the_key_comes_from_a_file_or_the_environment(tmp_path: Any, monkeypatch: Any) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("sk-from-file\n")
    assert read_key(str(key_file), "NOPE") == "sk-from-file"
    monkeypatch.setenv("CG_TEST_KEY", "sk-from-env")
    assert read_key("", "CG_TEST_KEY") == "sk-from-env"
