"""The --demo story at a high time scale, skipped ahead through DemoService as a presenter
would: it reaches every scripted state (scale-out, bad deploy diagnosed, roll-back resolved,
the leak's health alert with its cause)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import grpc
import pytest

from clustergenie_server.api.v1 import demo_pb2 as pb
from clustergenie_server.api.v1 import demo_pb2_grpc, provisioning_pb2_grpc
from clustergenie_server.api.v1 import provisioning_pb2 as prov
from clustergenie_server.app import ServerApp, build_server
from clustergenie_server.db import Database
from clustergenie_server.settings import load_settings
from tests.auth_support import authed_channel

from .conftest import make_settings

pytestmark = pytest.mark.slow


@pytest.fixture
async def demo_app(database: Database, database_url: str) -> AsyncIterator[ServerApp]:
    """A server playing the demo at 100x, on the test's emptied database."""
    app = await build_server(replace(make_settings(database_url, time_scale=100.0), demo=True))
    await app.start()
    yield app
    await app.stop()


def test_demo_flag_sets_the_demo_time_scale_unless_one_is_given() -> None:
    assert load_settings(["--demo"], {}).simulation.time_scale == 5.0
    assert load_settings(["--demo", "--time-scale", "20"], {}).simulation.time_scale == 20.0
    assert load_settings(["--demo"], {"CLUSTERGENIE_TIME_SCALE": "8"}).simulation.time_scale == 8
    assert not load_settings([], {}).demo


async def test_the_story_reaches_every_scripted_state(demo_app: ServerApp) -> None:
    assert demo_app.demo is not None
    channel = authed_channel(demo_app.address)
    demo = demo_pb2_grpc.DemoServiceStub(channel)
    seen_titles: list[str] = []
    details: dict[str, str] = {}  # step title -> what it said last
    paused_once = False
    async with asyncio.timeout(240):
        while True:
            change = asyncio.ensure_future(demo_app.demo.changed())
            state = await demo.GetDemo(pb.GetDemoRequest())
            assert state.running
            if state.title not in seen_titles:
                seen_titles.append(state.title)
            details[state.title] = state.detail
            if state.finished:
                change.cancel()
                break
            if state.seconds_to_next > 0 and state.step > 0:
                if not paused_once:
                    # Paused, the countdown holds (what the banner shows stays put).
                    held = await demo.PauseDemo(pb.PauseDemoRequest(paused=True))
                    assert held.paused
                    again = await demo.GetDemo(pb.GetDemoRequest())
                    assert again.seconds_to_next == pytest.approx(held.seconds_to_next)
                    paused_once = True
                await demo.SkipDemo(pb.SkipDemoRequest())  # skipping also ends the pause
            await change
    reached = {m.name: m for m in state.milestones}
    assert reached["scale_out"].reached, details
    assert "shop scaled out from 3 to" in reached["scale_out"].detail
    assert reached["bad_deploy_diagnosed"].reached, state.detail
    assert reached["rollback_resolved"].reached, details  # what each step said last
    leak = reached["leak_alert_with_cause"]
    assert leak.reached, details["A memory leak on batch"]
    assert "batch-http" in leak.detail  # Health's check raised it ...
    assert "memory" in leak.detail.lower()  # ... and Diagnose's cause came with it
    assert paused_once
    assert seen_titles[-1] == "That's the story"
    assert state.step == state.step_count == 7
    clusters = provisioning_pb2_grpc.ProvisioningServiceStub(channel)
    listed = await clusters.ListClusters(prov.ListClustersRequest())
    regions = {c.name: c.region for c in listed.clusters}
    assert regions == {"shop": "nyc1", "api": "nyc1", "batch": "ams3"}
    # The controls need a running story.
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await demo.SkipDemo(pb.SkipDemoRequest())
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    await channel.close(None)


async def test_a_server_without_demo_says_so(database: Database, database_url: str) -> None:
    app = await build_server(make_settings(database_url))
    await app.start()
    channel = authed_channel(app.address)
    try:
        demo = demo_pb2_grpc.DemoServiceStub(channel)
        assert not (await demo.GetDemo(pb.GetDemoRequest())).running
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await demo.PauseDemo(pb.PauseDemoRequest(paused=True))
        assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert "--demo" in (refused.value.details() or "")
    finally:
        await channel.close(None)
        await app.stop()
