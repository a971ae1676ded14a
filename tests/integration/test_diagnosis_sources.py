"""Diagnose on a live server reads the real Health and Logs: a failing HTTP check (which its
remedy pauses) and a bad deploy's 5xx lines are in its evidence, and an alert Health opens arrives
diagnosed (its session and root cause attached, in ListAlerts and on the watch stream)."""

from __future__ import annotations

import asyncio
import re

from clustergenie_server.api.v1 import diagnosis_pb2 as dpb
from clustergenie_server.api.v1 import health_pb2 as hp
from clustergenie_server.api.v1 import telemetry_pb2 as tel

from .conftest import Api
from .test_diagnosis_rpc import apply, ask, diagnosis, droplets, inject, let_time_pass
from .test_health_rpc import _wait_fault_applied, health, http_check
from .test_telemetry_rpc import make_cluster


def findings(events: list[dpb.DiagnoseEvent]) -> list[dpb.Finding]:
    """Every finding of the answer: causes, their symptoms and the unexplained."""
    (analysis,) = [e.findings for e in events if e.HasField("findings")]
    out = list(analysis.unexplained)
    for c in analysis.causes:
        out += [c.cause, *c.symptoms]
    return out


def steps(events: list[dpb.DiagnoseEvent], tool: str) -> list[dpb.InvestigationStep]:
    """The investigation's steps with that tool."""
    return [e.step for e in events if e.HasField("step") and e.step.tool == tool]


async def _rounds(api: Api, check_id: int, n: int) -> None:
    for _ in range(n):
        await health(api).RunCheck(hp.RunCheckRequest(check_id=check_id))


async def test_a_crash_loop_s_failing_check_is_in_the_diagnosis_and_can_be_paused(
    api: Api,
) -> None:
    cluster = await make_cluster(api, "shop", count=2)
    sick = (await droplets(api, cluster.id))[0]
    running = http_check(cluster.id, paused=False)  # scheduled too, as a user's check is
    check = await health(api).CreateCheck(hp.CreateCheckRequest(check=running))
    await let_time_pass(api, 600)
    await _rounds(api, check.id, 1)
    await inject(api, tel.FAULT_KIND_CRASH_LOOP, cluster.id, sick.id, 60.0)
    await _wait_fault_applied(api, True)
    await let_time_pass(api, 120)
    await _rounds(api, check.id, 4)

    events = await ask(api, cluster.id, "Why is the web-http check failing?")
    (read,) = steps(events, "read_health")
    assert "failing: web-http" in read.summary
    failing = [f for f in findings(events) if f.kind == "health_check_failing"]
    assert failing, [f.kind for f in findings(events)]
    assert "check web-http is unhealthy" in failing[0].summary
    assert failing[0].target.droplet_id == sick.id

    # The remedy that silences the check while the cause is fixed pauses it in Health.
    remedies = [r for e in events if e.HasField("remedies") for r in e.remedies.remedies]
    pause = next(r for r in remedies if r.action == "pause_check")
    await apply(api, events[-1].done.session_id, pause.id)
    assert (await health(api).GetCheck(hp.GetCheckRequest(check_id=check.id))).paused


async def test_a_bad_deploy_s_5xx_lines_are_in_the_diagnosis(api: Api) -> None:
    cluster = await make_cluster(api, "store", count=3)
    await let_time_pass(api, 600)
    await inject(api, tel.FAULT_KIND_BAD_DEPLOY, cluster.id, m=0.4)
    await let_time_pass(api, 300)

    events = await ask(api, cluster.id, "Why are there so many errors?")
    (search,) = steps(events, "search_logs")
    assert search.arguments["query"] == "5xx|error|exception"
    # The Logs service's lines of the window: the bad version's 5xx access lines.
    assert search.summary.startswith("20 line(s) match"), search.summary
    assert re.search(r"status=5\d\d", search.summary), search.summary


async def test_an_opened_alert_carries_its_diagnosed_root_cause(api: Api) -> None:
    cluster = await make_cluster(api, "alerted", count=2)
    sick = (await droplets(api, cluster.id))[1]
    stub = health(api)
    check = await stub.CreateCheck(hp.CreateCheckRequest(check=http_check(cluster.id)))
    await let_time_pass(api, 600)
    await _rounds(api, check.id, 1)
    watch = stub.WatchHealth(hp.WatchHealthRequest())
    await inject(api, tel.FAULT_KIND_CRASH_LOOP, cluster.id, sick.id, 60.0)
    await _wait_fault_applied(api, True)
    await let_time_pass(api, 120)
    await _rounds(api, check.id, 4)

    notices: list[str] = []
    async with asyncio.timeout(60):  # the diagnosis runs in the background: wait for its notice
        async for update in watch:
            if update.HasField("alert"):
                notices.append(update.notice)
                if update.notice == "diagnosed":
                    diagnosed = update.alert
                    break
    watch.cancel()
    assert notices[0] == "opened"
    assert diagnosed.diagnosis_session_id > 0
    assert sick.name in diagnosed.root_cause, diagnosed.root_cause
    (listed,) = (await stub.ListAlerts(hp.ListAlertsRequest(open_only=True))).alerts
    assert (listed.diagnosis_session_id, listed.root_cause) == (
        diagnosed.diagnosis_session_id,
        diagnosed.root_cause,
    )
    session = await diagnosis(api).GetSession(
        dpb.GetSessionRequest(session_id=listed.diagnosis_session_id)
    )
    assert session.turns[0].question == "Why did the check web-http fail?"
    assert session.summary.droplet_id == sick.id
    cause = session.turns[0].analysis.causes[0].cause
    assert (cause.kind, cause.summary) == ("crash_loop", listed.root_cause)
