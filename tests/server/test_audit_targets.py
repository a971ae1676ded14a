"""The audit log names what a call acted on, from the request's ids and names."""

from __future__ import annotations

from clustergenie_server.api.v1 import provisioning_pb2, scaling_pb2, telemetry_pb2
from clustergenie_server.rpc.auth_interceptor import targets_of


def test_targets_are_ids_names_and_counts() -> None:
    create = provisioning_pb2.CreateClusterRequest(
        name="web", region="nyc1", size="s-1vcpu-1gb", image="x", droplet_count=3, tags=["a"]
    )
    assert targets_of(create) == "name=web size=s-1vcpu-1gb droplet_count=3"
    scale = scaling_pb2.ScaleClusterRequest(cluster_id=4, target_count=9)
    assert targets_of(scale) == "cluster_id=4 target_count=9"
    fault = telemetry_pb2.InjectFaultRequest(cluster_id=2, droplet_id=5, magnitude=0.5)
    assert targets_of(fault) == "cluster_id=2 droplet_id=5"
    spike = telemetry_pb2.InjectFaultRequest(
        kind=telemetry_pb2.FAULT_KIND_TRAFFIC_SPIKE, cluster_id=2
    )
    assert targets_of(spike) == "kind=traffic_spike cluster_id=2"  # the name, not 8


def test_a_nested_policy_names_its_cluster() -> None:
    request = scaling_pb2.SetPolicyRequest(policy=scaling_pb2.ScalingPolicy(cluster_id=7))
    assert targets_of(request) == "policy.cluster_id=7"
