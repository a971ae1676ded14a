"""A session as Markdown: every question, its steps, root cause with evidence, the answer and
the remedies (a report to paste into an incident ticket)."""

from __future__ import annotations

from clustergenie_server.domain.diagnosis import Finding, Session, Turn
from clustergenie_server.services.diagnosis.analyzers.common import clock


def _evidence(f: Finding) -> list[str]:
    lines = [f"- **{f.kind.value}** on {f.target.name} ({f.severity.label}, "
             f"{f.confidence:.0%}): {f.summary}"]  # fmt: skip
    lines += [f"  - {k}: {v}" for k, v in f.facts if v]
    for m in f.metrics:
        if m.values:
            lo, hi = min(m.values), max(m.values)
            base = f", baseline {m.baseline:g}" if m.baseline is not None else ""
            lines.append(
                f"  - {m.metric} of {m.target.name}: {len(m.values)} points from "
                f"{clock(m.times[0])} to {clock(m.times[-1])}, {lo:g}–{hi:g} {m.unit}{base}"
            )
    lines += [f"  - {clock(e.time)} {e.kind}: {e.text}" for e in f.events]
    for log in f.logs:
        lines.append(f"  - log “{log.pattern}” ×{log.count}")
        lines += [f"    - `{x}`" for x in log.examples]
    return lines


def _turn(n: int, t: Turn) -> list[str]:
    out = [
        f"## {n}. {t.question}",
        "",
        f"Window {clock(t.window[0])}–{clock(t.window[1])} UTC"
        + (f" · follow-up of remedy {t.follow_up_of}" if t.follow_up_of else ""),
        "",
    ]
    if t.verdict:
        out += [f"**Verdict:** {t.verdict}", ""]
    out += ["### Steps", ""] + [f"{s.index}. `{s.tool}` — {s.summary}" for s in t.steps] + [""]
    a = t.analysis
    if a is not None:
        if a.root is not None:
            out += ["### Root cause", "", " → ".join(a.root.chain), ""]
            out += _evidence(a.root.cause)
            for s in a.root.symptoms:
                out += _evidence(s)
            if len(a.causes) > 1:
                out += ["", "### Other causes", ""]
                for rc in a.causes[1:4]:
                    out += _evidence(rc.cause)
        else:
            out += ["### No root cause found", "", "Checked: " + ", ".join(a.checked)]
        out.append("")
    out += ["### Answer", "", t.answer.strip(), ""]
    if t.remedies:
        out += ["### Remedies", ""]
        out += [
            f"- `{r.id}` {r.title} — {r.changes} (${r.monthly_cost_before:.2f} → "
            f"${r.monthly_cost_after:.2f} a month)"
            for r in t.remedies
        ]
        out.append("")
    return out


def session_markdown(s: Session) -> str:
    """The whole session."""
    out = [
        f"# Diagnosis: {s.title}",
        "",
        f"Session {s.id} · started {clock(s.created_at)} UTC · {len(s.turns)} question(s)",
        "",
    ]
    for n, turn in enumerate(s.turns, 1):
        out += _turn(n, turn)
    return "\n".join(out).rstrip() + "\n"
