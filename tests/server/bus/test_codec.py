"""The versioned envelope: topics, keys and a lossless round trip of every payload."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clustergenie_server.api.v1 import events_pb2
from clustergenie_server.bus import codec
from clustergenie_server.domain.events import (
    ClusterChanged,
    DiagnosisFinished,
    DropletChanged,
    Event,
    FaultChanged,
    JobChanged,
    ScalingDecided,
)
from clustergenie_server.domain.logs import LogBatch, LogLine, Stream
from clustergenie_server.domain.models import (
    Cluster,
    ClusterStatus,
    Droplet,
    DropletStatus,
    Job,
    JobKind,
    JobState,
)
from clustergenie_server.domain.scaling import (
    DecisionRule,
    ScalingAction,
    ScalingDecision,
    ScalingMetric,
)
from clustergenie_server.domain.telemetry import Fault, FaultKind, FaultState

NOW = datetime(2025, 5, 1, 12, 30, 15, 123456, tzinfo=UTC)

CLUSTER = Cluster(7, "web", "nyc1", "s-1vcpu-1gb", "ubuntu", ("a", "b"), ClusterStatus.ACTIVE,
                  NOW, NOW, droplet_count=3, active_droplet_count=2)  # fmt: skip
DROPLET = Droplet(12, 7, "web-1", "nyc1", "s-1vcpu-1gb", "ubuntu", DropletStatus.OFF,
                  "10.0.0.4", True, NOW, NOW)  # fmt: skip
JOB = Job(
    id=99,
    kind=JobKind.RESIZE_DROPLET,
    state=JobState.RUNNING,
    cluster_id=7,
    droplet_id=12,
    target_name="web-1",
    params={"size": "s-2vcpu-4gb", "power_on": "1"},
    progress=0.5,
    step="Resizing",
    step_index=1,
    step_count=3,
    attempt=2,
    max_attempts=3,
    retry_of=98,
    retried_as=100,  # travels through the bus: other servers show the link
    created_at=NOW,
    started_at=NOW,
    updated_at=NOW,
    next_run_at=NOW,
    lease_owner="host:1:abc",
    lease_expires_at=NOW,
)
DECISION = ScalingDecision(
    id=41,
    cluster_id=7,
    time=NOW,
    metric=ScalingMetric.CPU,
    metric_value=83.5,
    target=60.0,
    current_droplets=3,
    total_droplets=4,
    formula_droplets=5,
    recommended_droplets=5,
    stabilized_droplets=5,
    desired_droplets=4,
    action=ScalingAction.SCALE_UP,
    rule=DecisionRule.RATE_LIMIT,
    reason="rate limit: at most 1 droplet per 60 s",
    job_id=100,
)
ENDED_FAULT = Fault(5, FaultKind.MEMORY_LEAK, 7, 12, 2.0, NOW, 600.0, FaultState.CLEARED, NOW,
                    "memory leak (2 %/min) on web-1 for 600 s", NOW)  # fmt: skip
CLUSTER_FAULT = Fault(6, FaultKind.CPU_HOG, 7, None, 0.8, NOW, 0.0, FaultState.SCHEDULED, None,
                      "CPU hog (80 %) on web", NOW)  # fmt: skip


FINISHED = DiagnosisFinished(3, 7, 0, "what is wrong with web?", 1.75e9, "bad_deploy", "web",
                             "deploy v1.0.1 at 14:02 → 40% errors", "")  # fmt: skip


@pytest.mark.parametrize(
    ("event", "topic", "key", "payload"),
    [
        (ClusterChanged(CLUSTER), "clustergenie.clusters.v1", "7", "cluster_changed"),
        (DropletChanged(DROPLET), "clustergenie.droplets.v1", "12", "droplet_changed"),
        (JobChanged(JOB), "clustergenie.jobs.v1", "99", "job_changed"),
        # Keyed by cluster: one cluster's decisions reach every server in the order made.
        (ScalingDecided(DECISION), "clustergenie.scaling.v1", "7", "scaling_decided"),
        (FaultChanged(ENDED_FAULT), "clustergenie.faults.v1", "5", "fault_changed"),
        (FaultChanged(CLUSTER_FAULT), "clustergenie.faults.v1", "6", "fault_changed"),
        (FINISHED, "clustergenie.diagnoses.v1", "3", "diagnosis_finished"),
    ],
)
def test_an_event_round_trips_through_its_envelope(
    event: Event, topic: str, key: str, payload: str
) -> None:
    env = codec.envelope(event, "server-a", occurred_at=NOW)

    wire = events_pb2.EventEnvelope.FromString(codec.encode(env))
    back = codec.decode(codec.encode(env), env.topic)

    assert (env.topic, env.key) == (topic, key)
    assert (wire.schema_version, wire.key, wire.origin) == (1, key, "server-a")
    assert wire.WhichOneof("payload") == payload
    assert len(wire.event_id) == 36  # a uuid4
    assert back == env  # nothing lost, params and lease included


def test_bytes_that_are_no_envelope_are_refused() -> None:
    with pytest.raises(codec.UndecodableEvent):
        codec.decode(b"\xff\xff\xff", "clustergenie.jobs.v1")
    with pytest.raises(codec.UndecodableEvent, match="schema version 2"):
        codec.decode(events_pb2.EventEnvelope(schema_version=2).SerializeToString(), "t")


def test_a_log_batch_round_trips_with_its_streams_weights_and_missed_count() -> None:
    web = Stream.of({"cluster": "web-prod", "droplet": "web-1", "level": "info"})
    err = Stream.of({"cluster": "web-prod", "droplet": "web-1", "level": "error"})
    lines = [
        LogLine(1.5, web, "GET /", 1, 11),
        LogLine(1.6, err, "boom", 1, 12),
        LogLine(1.7, web, "GET /a", 40, 13),  # a sampled line keeps its weight
    ]
    batch = LogBatch("server-a", codec.log_key(lines[0]), lines, missed=3)

    wire = events_pb2.EventEnvelope.FromString(codec.encode_log_batch(batch))
    back = codec.decode_log_batch(codec.encode_log_batch(batch))

    assert batch.key == "web-1"  # keyed by droplet: one droplet's lines stay in order
    assert wire.WhichOneof("payload") == "log_batch"
    assert len(wire.log_batch.streams) == 2  # each label set travels once
    assert back == batch


def test_a_line_without_a_droplet_is_keyed_by_its_stream() -> None:
    agent = Stream.of({"cluster": "edge", "source": "syslog"})
    assert codec.log_key(LogLine(1.0, agent, "x")) == agent.key


def test_an_event_on_the_log_topic_is_refused() -> None:
    env = codec.envelope(JobChanged(JOB), "server-a", occurred_at=NOW)
    with pytest.raises(codec.UndecodableEvent, match="job_changed"):
        codec.decode_log_batch(codec.encode(env))
