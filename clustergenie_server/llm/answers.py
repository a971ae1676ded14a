"""The mock model's writing: a specific, readable answer to the question asked, from the
analysis JSON in its context (see services/diagnosis/prompt.py for its shape)."""

from __future__ import annotations

import random
from typing import Any

OPENERS = ("Here is what I found.", "I looked at the metrics, events, health and logs.", "")


def _kind(question: str) -> str:
    q = question.lower()
    if any(w in q for w in ("scale down", "scale in", "fewer droplets", "remove a droplet")):
        return "scale_down"
    if any(w in q for w in ("changed", "what happened", "last hour", "recently")):
        return "changed"
    if any(w in q for w in ("check", "health")):
        return "check"
    if any(w in q for w in ("p95", "p99", "latency", "slow")):
        return "latency"
    return "wrong"


def write_answer(
    question: str, analysis: dict[str, Any], rng: random.Random, *, truncated: bool = False
) -> str:
    """Markdown that answers `question` from `analysis`."""
    if not analysis or analysis.get("truncated") and "causes" not in analysis:
        return (
            "I could not read the analysis: the evidence did not fit my context. Ask about a "
            "narrower window or a single droplet."
        )
    writer = {
        "scale_down": _scale_down,
        "changed": _changed,
        "check": _check,
        "latency": _latency,
    }.get(_kind(question), _wrong)
    parts = [rng.choice(OPENERS), writer(analysis)]
    remedies = analysis.get("remedies") or []
    if remedies and _kind(question) != "changed":
        parts.append(
            "**What to do:**\n"
            + "\n".join(f"- {r['title']} — {r.get('preview', '')}".rstrip(" —") for r in remedies)
        )
    if previous := analysis.get("previous"):
        parts.append("**Earlier in this session:** " + "; ".join(previous[:3]))
    if truncated:
        parts.append("_Some evidence was truncated to fit my context window._")
    return "\n\n".join(p for p in parts if p).strip() + "\n"


def _root(a: dict[str, Any]) -> dict[str, Any] | None:
    causes = a.get("causes") or []
    return causes[0] if causes else None


def _cause_block(cause: dict[str, Any]) -> str:
    lines = [
        f"**Root cause:** {cause['summary']} "
        f"({cause['severity']}, confidence {cause['confidence']:.0%})."
    ]
    chain = cause.get("chain") or []
    if len(chain) > 1:
        lines.append("**Causal chain:** " + " → ".join(chain))
    facts = cause.get("facts") or {}
    if facts:
        lines.append("**Evidence:**\n" + "\n".join(f"- {k}: {v}" for k, v in facts.items() if v))
    for log in cause.get("logs") or []:
        lines.append(f"- log: “{log}”")
    return "\n\n".join(lines)


def _nothing(a: dict[str, Any]) -> str:
    checked = ", ".join(a.get("checked") or [])
    seen = "; ".join(a.get("unexplained") or []) or "nothing abnormal"
    window = a.get("window", "the window")
    return f"**No root cause found** in {window}. I checked {checked}. Seen: {seen}."


def _wrong(a: dict[str, Any]) -> str:
    root = _root(a)
    if root is None:
        return _nothing(a)
    others = (a.get("causes") or [])[1:3]
    text = _cause_block(root)
    if others:
        text += "\n\n**Also found:** " + "; ".join(o["summary"] for o in others)
    return text


def _latency(a: dict[str, Any]) -> str:
    c = a.get("cluster") or {}
    p95, slo = c.get("p95_ms"), c.get("slo_p95_ms")
    head = (
        f"p95 latency of {a.get('target', 'the cluster')} is {p95:.0f} ms now (SLO {slo:.0f} ms)."
        if isinstance(p95, int | float) and isinstance(slo, int | float)
        else "I have no latency samples for this window."
    )
    root = _root(a)
    within = isinstance(p95, int | float) and isinstance(slo, int | float) and p95 <= slo
    if root is None:
        return (
            head
            + (" That is within the SLO." if within else " Nothing explains it: ")
            + ("" if within else _nothing(a))
        )
    if within:
        return f"{head} That is within the SLO, but something else needs attention:\n\n" + (
            _cause_block(root)
        )
    return f"{head} It is high because of this:\n\n{_cause_block(root)}"


def _scale_down(a: dict[str, Any]) -> str:
    c = a.get("cluster") or {}
    n, cpu = int(c.get("droplets") or 0), float(c.get("cpu_percent") or 0.0)
    root = _root(a)
    if n <= 1:
        return f"No: {a.get('target', 'the cluster')} has {n} droplet; it cannot lose one."
    after = cpu * n / (n - 1)
    if root is not None and root.get("severity") != "info":
        return (
            f"Not now: {root['summary']}. Fix that first; with {n - 1} droplets the others would "
            f"carry ~{after:.0f} % CPU."
        )
    if after >= 70.0:
        return (
            f"No: the {n} droplets run at {cpu:.0f} % CPU; with {n - 1} they would run at "
            f"~{after:.0f} %, above the 70 % headroom line."
        )
    return (
        f"Yes: the {n} droplets run at {cpu:.0f} % CPU and nothing is wrong; with {n - 1} they "
        f"would run at ~{after:.0f} %, which leaves headroom."
    )


def _changed(a: dict[str, Any]) -> str:
    events = a.get("timeline") or []
    if not events:
        return "Nothing changed in the window: no deploys, jobs, scaling decisions or findings."
    lines = [f"- {e['time']} — {e['text']}" for e in events[-15:]]
    root = _root(a)
    tail = f"\n\nThe change that matters: {root['summary']}." if root is not None else ""
    return "**What changed, in order:**\n" + "\n".join(lines) + tail


def _check(a: dict[str, Any]) -> str:
    failing = [f for f in a.get("findings") or [] if f.get("kind") == "health_check_failing"]
    root = _root(a)
    if not failing:
        head = "No health check failed in the window (or no checks report to diagnosis yet)."
    else:
        head = "**Failing:** " + "; ".join(f["summary"] for f in failing)
    if root is None:
        return head
    return f"{head}\n\nThe check fails because of this:\n\n{_cause_block(root)}"
