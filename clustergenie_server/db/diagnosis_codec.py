"""Turns of a diagnosis session as JSON and back (the stored form of a turn)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from clustergenie_server.domain.diagnosis import (
    Analysis,
    EventEvidence,
    Finding,
    FindingKind,
    LogEvidence,
    MetricEvidence,
    Remedy,
    RemedyAction,
    RootCause,
    Severity,
    Step,
    Target,
    Turn,
)


def encode_turn(turn: Turn) -> str:
    """A turn as a JSON document."""
    return json.dumps(asdict(turn), ensure_ascii=False, separators=(",", ":"))


def _pairs(raw: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in raw)


def _target(raw: dict[str, Any]) -> Target:
    return Target(int(raw["cluster_id"]), int(raw["droplet_id"]), str(raw["name"]))


def decode_finding(raw: dict[str, Any]) -> Finding:
    """A finding from its JSON form."""
    return Finding(
        FindingKind(raw["kind"]),
        _target(raw["target"]),
        Severity(int(raw["severity"])),
        float(raw["confidence"]),
        float(raw["started_at"]),
        str(raw["summary"]),
        metrics=tuple(
            MetricEvidence(
                m["metric"],
                _target(m["target"]),
                tuple(m["times"]),
                tuple(m["values"]),
                m.get("baseline"),
                m.get("unit", ""),
            )
            for m in raw.get("metrics", ())
        ),  # fmt: skip
        events=tuple(EventEvidence(e["time"], e["kind"], e["text"]) for e in raw.get("events", ())),
        logs=tuple(
            LogEvidence(g["pattern"], int(g["count"]), tuple(g.get("examples", ())))
            for g in raw.get("logs", ())
        ),
        facts=_pairs(raw.get("facts", ())),
    )


def _analysis(raw: dict[str, Any] | None) -> Analysis | None:
    if raw is None:
        return None
    return Analysis(
        tuple(
            RootCause(
                decode_finding(c["cause"]),
                tuple(decode_finding(s) for s in c["symptoms"]),
                tuple(c["chain"]),
                float(c["score"]),
            )
            for c in raw["causes"]
        ),
        tuple(decode_finding(f) for f in raw["unexplained"]),
        tuple(raw["checked"]),
        (float(raw["window"][0]), float(raw["window"][1])),
        tuple(decode_finding(f) for f in raw.get("findings", ())),
    )


def decode_remedy(raw: dict[str, Any]) -> Remedy:
    """A remedy from its JSON form."""
    k = raw.get("cause_key") or ("", 0, 0)
    key = (str(k[0]), int(k[1]), int(k[2]))
    return Remedy(
        raw["id"], RemedyAction(raw["action"]), raw["title"], _target(raw["target"]),
        _pairs(raw["params"]), raw["changes"], float(raw["monthly_cost_before"]),
        float(raw["monthly_cost_after"]), bool(raw["fixes"]), key,
    )  # fmt: skip


def decode_turn(body: str) -> Turn:
    """A turn from its JSON document."""
    raw = json.loads(body)
    return Turn(
        question=raw["question"],
        asked_at=float(raw["asked_at"]),
        window=(float(raw["window"][0]), float(raw["window"][1])),
        steps=tuple(
            Step(
                int(s["index"]),
                s["tool"],
                _pairs(s["arguments"]),
                s["summary"],
                float(s["seconds"]),
            )
            for s in raw["steps"]
        ),
        analysis=_analysis(raw.get("analysis")),
        answer=raw["answer"],
        remedies=tuple(decode_remedy(r) for r in raw["remedies"]),
        prompt_tokens=int(raw.get("prompt_tokens", 0)),
        completion_tokens=int(raw.get("completion_tokens", 0)),
        follow_up_of=raw.get("follow_up_of", ""),
        verdict=raw.get("verdict", ""),
    )
