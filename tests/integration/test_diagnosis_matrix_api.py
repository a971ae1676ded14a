"""Every fault kind injected through the API on a live server, diagnosed through the API: the
top root cause names the right kind and target (what the independent matrix does)."""

from __future__ import annotations

import pytest

from clustergenie_server.api.v1 import provisioning_pb2 as prov
from clustergenie_server.api.v1 import telemetry_pb2 as tel

from .conftest import StartApi
from .test_diagnosis_rpc import ask, droplets, inject, let_time_pass, root

pytestmark = pytest.mark.slow

CASES = [
    (tel.FAULT_KIND_CPU_HOG, 0.6, "cpu_hog", True),
    (tel.FAULT_KIND_MEMORY_LEAK, 1.5, "memory_leak", True),
    (tel.FAULT_KIND_DISK_FILL, 1.0, "disk_filling", True),
    (tel.FAULT_KIND_NETWORK_LATENCY, 150.0, "network_latency", True),
    (tel.FAULT_KIND_NETWORK_PARTITION, 0.0, "network_partition", True),
    (tel.FAULT_KIND_CRASH_LOOP, 60.0, "crash_loop", True),
    (tel.FAULT_KIND_BAD_DEPLOY, 0.3, "bad_deploy", False),
    (tel.FAULT_KIND_TRAFFIC_SPIKE, 2.5, "traffic_surge", False),
]


@pytest.mark.parametrize("tags", [["rps:150", "traffic:flat"], ["rps:140"]], ids=["flat", "daily"])
@pytest.mark.parametrize(("kind", "magnitude", "expected", "on_droplet"), CASES)
async def test_an_injected_fault_is_the_top_root_cause(
    start_api: StartApi,
    kind: tel.FaultKind.ValueType,
    magnitude: float,
    expected: str,
    on_droplet: bool,
    tags: list[str],
) -> None:
    api = await start_api(time_scale=200.0)
    created = await api.provisioning.CreateCluster(
        prov.CreateClusterRequest(
            name="m", region="nyc1", size="s-1vcpu-1gb", image="ubuntu-24-04-x64",
            droplet_count=3, tags=tags,
        )
    )  # fmt: skip
    await api.wait_jobs([j.id for j in created.jobs])
    cluster = created.cluster
    target = (await droplets(api, cluster.id))[2].id if on_droplet else 0
    await let_time_pass(api, 900)
    await inject(api, kind, cluster.id, target, magnitude)
    await let_time_pass(api, 300)
    cause = root(await ask(api, cluster.id)).cause
    assert (cause.kind, cause.target.droplet_id) == (expected, target), cause.summary
