"""What other clients do shows in this window: a resize started through the gRPC API (as the CLI
or another window would) reads "resizing…" on its droplet until its job ends."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from clustergenie_gui.app import Application
from clustergenie_gui.client.types import JobKind
from clustergenie_gui.models.droplet_table_model import DropletTableModel
from clustergenie_server.api.v1 import provisioning_pb2 as pb
from clustergenie_server.api.v1 import provisioning_pb2_grpc
from tests.auth_support import authed_channel
from tests.gui.conftest import OFFSCREEN_WARNING, ServerProcess

pytestmark = [pytest.mark.slow, OFFSCREEN_WARNING]

FAST = ("--time-scale", "20", "--failure-rate", "0")


def call(
    run: Callable[..., Any],
    address: str,
    rpc: Callable[[provisioning_pb2_grpc.ProvisioningServiceStub], Awaitable[Any]],
) -> Any:
    """One RPC on a channel of the test's own (not the GUI's client)."""

    async def go() -> Any:
        channel = authed_channel(address)
        try:
            return await rpc(provisioning_pb2_grpc.ProvisioningServiceStub(channel))
        finally:
            await channel.close(None)

    return run(go())


def status_of(app: Application, name: str) -> str:
    """The Status cell of the droplet called name in the Provision table."""
    model = app.provisioning.droplets
    for row in range(model.rowCount()):
        if model.index(row, DropletTableModel.NAME).data() == name:
            return str(model.index(row, DropletTableModel.STATUS).data())
    return ""


def test_a_resize_from_another_client_shows_resizing_until_its_job_ends(
    qtbot: QtBot,
    server_factory: Callable[..., ServerProcess],
    make_app: Callable[[str], Application],
    run: Callable[..., Any],
) -> None:
    server = server_factory(*FAST)
    app = make_app(server.address)
    catalog = call(run, server.address, lambda s: s.GetCatalog(pb.GetCatalogRequest(), timeout=5))
    region, size, bigger = catalog.regions[0].slug, catalog.sizes[0].slug, catalog.sizes[1].slug
    request = pb.CreateClusterRequest(
        name="rz", region=region, size=size, image=catalog.images[0].slug, droplet_count=1
    )
    created = call(run, server.address, lambda s: s.CreateCluster(request, timeout=5))
    droplet_id = created.droplets[0].id
    app.window.show_panel("Provision")
    qtbot.waitUntil(lambda: status_of(app, "rz-1") == "active", timeout=30_000)

    resize = pb.ResizeDropletRequest(id=droplet_id, size=bigger)
    started = call(run, server.address, lambda s: s.ResizeDroplet(resize, timeout=5))
    job_id = started.job.id
    qtbot.waitUntil(lambda: status_of(app, "rz-1") == "resizing…", timeout=15_000)
    job = app.jobs.jobs.get(job_id)
    assert job is not None
    assert job.kind == JobKind.RESIZE_DROPLET
    assert not job.state.is_final

    def job_over() -> bool:
        seen = app.jobs.jobs.get(job_id)
        return seen is not None and seen.state.is_final

    qtbot.waitUntil(job_over, timeout=60_000)
    # The moment the stream says the job ended, the droplet shows its status again.
    assert status_of(app, "rz-1") != "resizing…"
    qtbot.waitUntil(lambda: status_of(app, "rz-1") == "active", timeout=15_000)
    droplet = app.provisioning.droplets.get(droplet_id)
    assert droplet is not None
    assert droplet.size == bigger
