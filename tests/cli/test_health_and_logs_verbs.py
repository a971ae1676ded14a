"""`clustergenie-ctl check ...` and `logs tail|search` against a real server."""

from __future__ import annotations

import json
import time

from clustergenie_cli.exit_codes import ExitCode
from tests.cli.conftest import Ctl, Result


def test_checks_are_added_listed_run_and_paused(ctl: Ctl) -> None:
    assert ctl("cluster", "create", "probed", "--count", "2", "--wait").code == 0
    args = ("--cluster", "probed", "--conditions", "[STATUS] == 200", "--interval", "30")
    denied = ctl("check", "add", "probed-http", *args, role="operator")
    assert denied.code == ExitCode.DENIED  # defining checks is an admin's
    added = ctl("check", "add", "probed-http", *args, "-o", "json")
    assert added.code == 0, added.err
    (check,) = added.json()
    assert (check["form"]["name"], check["form"]["target_kind"]) == ("probed-http", "cluster")
    check_id = str(check["id"])
    listed = ctl("check", "list", "--cluster", "probed")
    assert listed.out.splitlines()[0].split()[:3] == ["ID", "Name", "Kind"]
    assert any(row.split()[1] == "probed-http" for row in listed.out.splitlines()[1:])

    ran = ctl("check", "run", check_id, "-o", "json", role="operator")
    assert ran.code == 0, ran.err
    rows = ran.json()
    assert sorted(r["label"] for r in rows) == ["probed-1", "probed-2"]
    assert all("HTTP 200" in r["last_reason"] for r in rows)

    paused = ctl("check", "pause", check_id, "-o", "json", role="operator").json()
    assert paused[0]["paused"] is True
    resumed = ctl("check", "pause", check_id, "--resume", "-o", "json", role="operator").json()
    assert resumed[0]["paused"] is False


def test_check_input_errors_have_their_exit_codes(ctl: Ctl) -> None:
    assert ctl("cluster", "create", "strict", "--wait").code == 0
    both = ctl("check", "add", "x", "--cluster", "strict", "--address", "example.org:80")
    assert both.code == ExitCode.USAGE
    assert "exactly one" in both.err
    bad = ctl("check", "add", "x", "--cluster", "strict", "--conditions", "[STATUS] ==")
    assert bad.code == ExitCode.INVALID, bad.err
    assert ctl("check", "run", "9999").code == ExitCode.NOT_FOUND


def _until_lines(ctl: Ctl, *args: str) -> Result:
    """Run a logs verb until it prints lines (the simulation writes them every tick)."""
    deadline = time.monotonic() + 30
    while True:
        result = ctl(*args)
        if result.code or result.out.strip() not in ("", "[]") or time.monotonic() > deadline:
            return result


def test_logs_search_and_tail_by_query(ctl: Ctl) -> None:
    assert ctl("cluster", "create", "chatty", "--count", "2", "--wait").code == 0
    query = '{cluster="chatty"}'
    found = _until_lines(ctl, "logs", "search", query, "--limit", "5", "-o", "json")
    assert found.code == 0, found.err
    lines = found.json()
    assert 0 < len(lines) <= 5
    assert {line["labels"]["cluster"] for line in lines} == {"chatty"}
    times = [line["t"] for line in lines]
    assert times == sorted(times, reverse=True)  # newest first

    tailed = _until_lines(
        ctl, "logs", "tail", query, "--since", "600", "--limit", "3", "--no-follow", "-o", "json"
    )
    assert tailed.code == 0, tailed.err
    records = [json.loads(line) for line in tailed.out.splitlines()]
    assert 0 < len(records) <= 3, tailed
    assert all(r["labels"]["cluster"] == "chatty" for r in records)

    table = ctl("logs", "search", query, "--limit", "2")
    assert table.out.splitlines()[0].split() == ["Time", "Labels", "Line"]
    refused = ctl("logs", "search", '{cluster="chatty"')
    assert refused.code == ExitCode.INVALID, refused.err
