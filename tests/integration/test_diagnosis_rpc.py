"""DiagnosisService over a real gRPC channel: the streamed investigation, root causes from
injected faults (with the fault table unreadable too), bad input, remedies that are verified."""

from __future__ import annotations

from dataclasses import replace

import grpc
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clustergenie_server.api.v1 import diagnosis_pb2 as dpb
from clustergenie_server.api.v1 import diagnosis_pb2_grpc, jobs_pb2_grpc, provisioning_pb2_grpc
from clustergenie_server.api.v1 import provisioning_pb2 as prov
from clustergenie_server.api.v1 import telemetry_pb2 as tel
from clustergenie_server.app import build_server
from clustergenie_server.settings import LlmSettings
from tests.auth_support import authed_channel

from .conftest import Api, make_settings
from .test_telemetry_rpc import make_cluster, refused, telemetry


def diagnosis(api: Api) -> diagnosis_pb2_grpc.DiagnosisServiceStub:
    """A DiagnosisService stub on the test's channel."""
    return diagnosis_pb2_grpc.DiagnosisServiceStub(api.channel)


async def let_time_pass(api: Api, seconds: float) -> None:
    """Wait until the simulation has run `seconds` more (simulated) and written its samples."""
    assert api.app.telemetry is not None
    clock = api.app.telemetry.runner.clock
    await clock.sleep_until(clock.now() + seconds)


async def ask(api: Api, cluster_id: int, question: str = "", **kw: int) -> list[dpb.DiagnoseEvent]:
    """Every event of one Diagnose call."""
    request = dpb.DiagnoseRequest(cluster_id=cluster_id, question=question, **kw)
    return [e async for e in diagnosis(api).Diagnose(request)]


def kinds(events: list[dpb.DiagnoseEvent]) -> list[str]:
    """The event kinds in order, runs collapsed (step, findings, token, remedies, done)."""
    out: list[str] = []
    for e in events:
        kind = e.WhichOneof("event")
        assert kind is not None
        if not out or out[-1] != kind:
            out.append(kind)
    return out


def root(events: list[dpb.DiagnoseEvent]) -> dpb.RootCause:
    """The top root cause of the findings event."""
    (findings,) = [e.findings for e in events if e.HasField("findings")]
    assert findings.causes, list(findings.unexplained)
    return findings.causes[0]


async def droplets(api: Api, cluster_id: int) -> list[prov.Droplet]:
    """The cluster's droplets."""
    return list(
        (
            await api.provisioning.ListDroplets(prov.ListDropletsRequest(cluster_id=cluster_id))
        ).droplets
    )


async def inject(
    api: Api, kind: tel.FaultKind.ValueType, cluster_id: int, droplet_id: int = 0, m: float = 0
) -> None:
    """An admin injects a fault."""
    await telemetry(api).InjectFault(
        tel.InjectFaultRequest(kind=kind, cluster_id=cluster_id, droplet_id=droplet_id, magnitude=m)
    )


async def test_a_memory_leak_is_diagnosed_with_steps_findings_answer_and_remedies(
    api: Api,
) -> None:
    cluster = await make_cluster(api, "shop", count=3)
    target = (await droplets(api, cluster.id))[1]
    await let_time_pass(api, 600)
    await inject(api, tel.FAULT_KIND_MEMORY_LEAK, cluster.id, target.id, 3.0)
    await let_time_pass(api, 480)
    events = await ask(api, cluster.id, "What is wrong with shop?")
    assert kinds(events) == ["step", "findings", "token", "remedies", "done"]
    steps = [e.step for e in events if e.HasField("step")]
    assert [s.tool for s in steps][:2] == ["query_metrics", "read_events"]
    assert steps[-1].tool == "analyze"
    assert all(s.summary for s in steps)
    cause = root(events).cause
    assert (cause.kind, cause.target.droplet_id) == ("memory_leak", target.id)
    assert {f.name for f in cause.facts} >= {"time to exhaustion", "growth"}
    answer = "".join(e.token for e in events if e.HasField("token"))
    assert target.name in answer
    assert "time to exhaustion" in answer
    remedies = [r for e in events if e.HasField("remedies") for r in e.remedies.remedies]
    assert [r.action for r in remedies][:2] == ["replace", "reboot"]
    assert remedies[0].changes
    assert remedies[0].monthly_cost_after > 0
    done = events[-1].done
    assert done.session_id > 0
    assert done.answer == answer

    # The fault injector's table (and its defective versions) unreadable: the same answer.
    def rename(s: Session, before: str, after: str) -> None:
        for table in ("faults", "version_defects"):
            s.execute(sa.text(f"ALTER TABLE {before}{table} RENAME TO {after}{table}"))

    await api.app.db.run(lambda s: rename(s, "", "hidden_"))
    try:
        again = root(await ask(api, cluster.id, "What is wrong with shop?")).cause
    finally:
        await api.app.db.run(lambda s: rename(s, "hidden_", ""))
    assert (again.kind, again.target.droplet_id) == (cause.kind, cause.target.droplet_id)
    assert [f.name for f in again.facts] == [f.name for f in cause.facts]


async def test_bad_requests_get_clear_statuses(api: Api) -> None:
    cluster = await make_cluster(api, "bad", count=1)
    code, message = await refused(ask(api, cluster.id, window_seconds=10))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert "window_seconds" in message
    code, message = await refused(ask(api, 999))
    assert code == grpc.StatusCode.NOT_FOUND
    assert "cluster 999" in message
    code, message = await refused(ask(api, cluster.id, droplet_id=12345))
    assert code == grpc.StatusCode.NOT_FOUND
    code, _ = await refused(diagnosis(api).GetSession(dpb.GetSessionRequest(session_id=4242)))
    assert code == grpc.StatusCode.NOT_FOUND


async def apply(api: Api, session_id: int, remedy_id: str) -> list[dpb.RemedyEvent]:
    """Every event of one ApplyRemedy call (confirmed)."""
    request = dpb.ApplyRemedyRequest(session_id=session_id, remedy_id=remedy_id, confirmed=True)
    return [e async for e in diagnosis(api).ApplyRemedy(request)]


async def test_rolling_back_a_bad_deploy_is_verified_resolved(api: Api) -> None:
    cluster = await make_cluster(api, "web", count=3)
    await let_time_pass(api, 600)
    await inject(api, tel.FAULT_KIND_BAD_DEPLOY, cluster.id, m=0.4)
    await let_time_pass(api, 300)
    events = await ask(api, cluster.id)
    cause = root(events).cause
    assert (cause.kind, cause.target.droplet_id) == ("bad_deploy", 0)
    remedies = [r for e in events if e.HasField("remedies") for r in e.remedies.remedies]
    assert remedies[0].action == "roll_back"
    assert "v1.0.0" in remedies[0].title
    session = events[-1].done.session_id

    code, message = await refused(
        diagnosis(api)
        .ApplyRemedy(dpb.ApplyRemedyRequest(session_id=session, remedy_id=remedies[0].id))
        .read()
    )
    assert code == grpc.StatusCode.FAILED_PRECONDITION
    assert "confirmed" in message

    applied = await apply(api, session, remedies[0].id)
    jobs = [e.job for e in applied if e.HasField("job")]
    assert jobs
    assert jobs[-1].state == 3
    verdict = applied[-1].verdict
    assert verdict.resolved, verdict.text
    stored = await diagnosis(api).GetSession(dpb.GetSessionRequest(session_id=session))
    assert [t.follow_up_of for t in stored.turns] == ["", remedies[0].id]
    timeline = await diagnosis(api).GetTimeline(
        dpb.GetTimelineRequest(cluster_id=cluster.id, kinds=["deploy"])
    )
    texts = [e.text for e in timeline.entries]
    assert len(texts) == 2
    assert texts[0].startswith("deploy v1.0.0 → v1.0.1")
    assert texts[1].startswith("rollback v1.0.1 → v1.0.0")
    everything = await diagnosis(api).GetTimeline(dpb.GetTimelineRequest(cluster_id=cluster.id))
    kinds_seen = {e.kind for e in everything.entries}
    assert {"deploy", "provisioning", "finding"} <= kinds_seen
    times = [e.time for e in everything.entries]
    assert times == sorted(times)
    code, _ = await refused(
        diagnosis(api).GetTimeline(dpb.GetTimelineRequest(cluster_id=cluster.id, kinds=["nope"]))
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    exported = await diagnosis(api).ExportSession(dpb.GetSessionRequest(session_id=session))
    assert "bad_deploy" in exported.markdown
    assert "Verdict" in exported.markdown


async def test_a_reboot_frees_a_leak_s_memory_but_not_the_leak(api: Api) -> None:
    cluster = await make_cluster(api, "leaky", count=2)
    target = (await droplets(api, cluster.id))[0]
    await let_time_pass(api, 600)
    await inject(api, tel.FAULT_KIND_MEMORY_LEAK, cluster.id, target.id, 4.0)
    await let_time_pass(api, 420)
    events = await ask(api, cluster.id)
    assert root(events).cause.kind == "memory_leak"
    reboot = next(
        r for e in events if e.HasField("remedies") for r in e.remedies.remedies
        if r.action == "reboot"
    )  # fmt: skip
    assert not reboot.fixes
    applied = await apply(api, events[-1].done.session_id, reboot.id)
    verdict = applied[-1].verdict
    assert not verdict.resolved, verdict.text
    assert "Replace" in verdict.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Why is p95 high?", "p95 latency"),
        ("Is it safe to scale down?", "droplets"),
        ("What changed in the last hour?", "What changed"),
        ("Why did the check fail?", "check"),
    ],
)
async def test_each_question_type_gets_an_answer_that_addresses_it(
    api: Api, question: str, expected: str
) -> None:
    cluster = await make_cluster(api, "q", count=2)
    await let_time_pass(api, 300)
    events = await ask(api, cluster.id, question)
    answer = "".join(e.token for e in events if e.HasField("token"))
    assert expected in answer, answer


async def test_cancelling_the_call_stops_the_investigation(
    database_url: str, database: object
) -> None:
    settings = replace(make_settings(database_url), llm=LlmSettings(pace_seconds=0.02))
    app = await build_server(settings)
    await app.start()
    channel = authed_channel(app.address)
    try:
        api = Api(
            app, channel, provisioning_pb2_grpc.ProvisioningServiceStub(channel),
            jobs_pb2_grpc.JobServiceStub(channel),
        )  # fmt: skip
        cluster = await make_cluster(api, "slow", count=1)
        await let_time_pass(api, 120)
        call = diagnosis(api).Diagnose(dpb.DiagnoseRequest(cluster_id=cluster.id))
        async for event in call:
            if event.HasField("token"):
                break  # the answer has begun streaming, token by token at 20 ms (~2 s for all)
        call.cancel()
        await let_time_pass(api, 400)  # 5 s: longer than the rest of the answer would take
        listed = await diagnosis(api).ListSessions(dpb.ListSessionsRequest())
        assert list(listed.sessions) == []  # it stopped before storing anything
    finally:
        await channel.close(None)
        await app.stop()


async def test_an_alert_is_diagnosed_in_the_background(api: Api) -> None:
    cluster = await make_cluster(api, "alerting", count=2)
    target = (await droplets(api, cluster.id))[0]
    await let_time_pass(api, 600)
    await inject(api, tel.FAULT_KIND_NETWORK_PARTITION, cluster.id, target.id)
    await let_time_pass(api, 120)
    assert api.app.diagnosis is not None
    session_id, cause = await api.app.diagnosis.diagnose_alert(cluster.id, 0, "web-http")
    assert cause is not None
    assert (cause.cause.kind.value, cause.cause.target.droplet_id) == (
        "network_partition",
        target.id,
    )
    stored = await diagnosis(api).GetSession(dpb.GetSessionRequest(session_id=session_id))
    assert stored.turns[0].question == "Why did the check web-http fail?"


async def test_freeing_disk_stops_the_fill_and_is_verified_resolved(api: Api) -> None:
    cluster = await make_cluster(api, "disky", count=2)
    target = (await droplets(api, cluster.id))[1]
    await let_time_pass(api, 600)
    await inject(api, tel.FAULT_KIND_DISK_FILL, cluster.id, target.id, 2.0)
    await let_time_pass(api, 300)
    events = await ask(api, cluster.id)
    cause = root(events).cause
    assert (cause.kind, cause.target.droplet_id) == ("disk_filling", target.id)
    remedies = [r for e in events if e.HasField("remedies") for r in e.remedies.remedies]
    assert remedies[0].action == "free_disk"
    applied = await apply(api, events[-1].done.session_id, remedies[0].id)
    (job,) = [e.job for e in applied if e.HasField("job")]
    assert job.kind == 10  # JOB_KIND_FREE_DISK
    assert applied[-1].verdict.resolved, applied[-1].verdict.text
