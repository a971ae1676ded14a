"""`clustergenie-ctl diagnose` and `timeline` against a real server: the investigation streams
(steps on stderr, the answer on stdout), -o json parses back, bad input gets its exit code."""

from __future__ import annotations

import time

from clustergenie_cli.exit_codes import ExitCode
from tests.cli.conftest import Ctl


def test_diagnose_streams_steps_and_answer_and_names_a_bad_deploy(ctl: Ctl) -> None:
    # Steady traffic, so the deploy's errors are the only thing that changes.
    steady = ("--tag", "rps:60", "--tag", "traffic:flat")
    assert ctl("cluster", "create", "diag", "--count", "2", *steady, "--wait").code == 0
    healthy = ctl("diagnose", "diag", "What is wrong with diag?")
    assert healthy.code == 0, healthy.err
    steps = [line for line in healthy.err.splitlines() if line.startswith("· ")]
    assert [s.split(":")[0] for s in steps[:2]] == ["· query_metrics", "· read_events"]
    assert "No root cause found" in healthy.out  # the answer, on stdout
    assert "session " in healthy.err

    assert ctl("fault", "inject", "bad_deploy", "diag", "--magnitude", "0.5").code == 0
    deploys = ctl("timeline", "diag", "--kind", "deploy", "-o", "json")
    assert deploys.code == 0, deploys.err
    assert [e["kind"] for e in deploys.json()] == ["deploy"]
    assert deploys.json()[0]["text"].startswith("deploy v1.0.0 → v1.0.1")
    # The errors need simulated minutes to show (80x: seconds); ask until Diagnose sees them.
    deadline = time.monotonic() + 20
    while True:
        found = ctl("diagnose", "diag", "-o", "json")
        assert found.code == 0, found.err
        result = found.json()
        kinds = [c["cause"]["kind"] for c in result["causes"]]
        if kinds[:1] == ["bad_deploy"] or time.monotonic() > deadline:
            break
    assert result["causes"][0]["cause"]["kind"] == "bad_deploy", [
        (c["cause"]["kind"], c["cause"]["summary"]) for c in result["causes"]
    ]
    assert result["remedies"][0]["action"] == "roll_back"
    assert result["session_id"] > 0
    assert result["answer"]
    assert [s["tool"] for s in result["steps"]][-1] == "analyze"


def test_timeline_lists_what_happened_oldest_first(ctl: Ctl) -> None:
    assert ctl("cluster", "create", "told", "--count", "2", "--wait").code == 0
    table = ctl("timeline", "told")
    assert table.code == 0, table.err
    header, *rows = table.out.splitlines()
    assert header.split() == ["Time", "Kind", "Severity", "Event"]
    assert sum("provision droplet told-" in row for row in rows) == 2
    entries = ctl("timeline", "told", "-o", "json").json()
    times = [e["time"] for e in entries]
    assert times == sorted(times)


def test_bad_input_gets_its_exit_code(ctl: Ctl) -> None:
    assert ctl("cluster", "create", "picky", "--wait").code == 0
    missing = ctl("diagnose", "no-such-cluster")
    assert missing.code == ExitCode.NOT_FOUND
    assert "no-such-cluster" in missing.err
    short = ctl("diagnose", "picky", "--window", "10")
    assert short.code == ExitCode.INVALID
    assert "window_seconds" in short.err.lower()
    kinds = ctl("timeline", "picky", "--kind", "nope")
    assert kinds.code == ExitCode.INVALID
    assert ctl("diagnose", "picky", role=None).code == ExitCode.DENIED
