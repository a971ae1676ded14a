"""Domain events <-> EventEnvelope (events.proto): topic names, keys and the wire format."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from clustergenie_server.api.v1 import events_pb2
from clustergenie_server.bus.event_bus import (
    CLUSTERS_TOPIC,
    DIAGNOSES_TOPIC,
    DROPLETS_TOPIC,
    FAULTS_TOPIC,
    HEALTH_TOPIC,
    JOBS_TOPIC,
    LOCAL_TOPIC,
    LOGS_TOPIC,
    SCALING_TOPIC,
    Envelope,
)
from clustergenie_server.domain.events import (
    ClusterChanged,
    DiagnosisFinished,
    DropletChanged,
    Event,
    FaultChanged,
    HealthChanged,
    JobChanged,
    ScalingDecided,
)
from clustergenie_server.domain.logs import DROPLET, LogBatch, LogLine
from clustergenie_server.domain.models import Job
from clustergenie_server.wire import convert, proto_to_domain
from clustergenie_server.wire.diagnosis_convert import finished_from_proto, finished_to_proto
from clustergenie_server.wire.health_convert import health_event_from_proto, health_event_to_proto
from clustergenie_server.wire.logs_convert import StreamsSent, lines_from_proto
from clustergenie_server.wire.scaling_convert import decision_from_proto, decision_to_proto
from clustergenie_server.wire.telemetry_convert import fault_from_proto, fault_to_proto

SCHEMA_VERSION = 1


class UndecodableEvent(ValueError):
    """Bytes on a topic that are not an EventEnvelope this server understands."""


def topic_and_key(event: Event) -> tuple[str, str]:
    """Where an event is published and the key that keeps one entity's events in order."""
    if isinstance(event, ClusterChanged):
        return CLUSTERS_TOPIC, str(event.cluster.id)
    if isinstance(event, DropletChanged):
        return DROPLETS_TOPIC, str(event.droplet.id)
    if isinstance(event, JobChanged):
        return JOBS_TOPIC, str(event.job.id)
    if isinstance(event, ScalingDecided):
        return SCALING_TOPIC, str(event.decision.cluster_id)
    if isinstance(event, FaultChanged):
        return FAULTS_TOPIC, str(event.fault.id)
    if isinstance(event, DiagnosisFinished):
        return DIAGNOSES_TOPIC, str(event.session_id)
    if isinstance(event, HealthChanged):
        return HEALTH_TOPIC, str(event.check_id)
    # An event added to Event before it has a wire schema stays in this server (none does
    # today, so mypy sees this line as unreachable; drop the ignore when one is added).
    return LOCAL_TOPIC, ""  # type: ignore[unreachable]


def envelope(event: Event, origin: str, *, occurred_at: datetime | None = None) -> Envelope:
    """A new envelope (fresh uuid4 event id) for an event written by origin."""
    topic, key = topic_and_key(event)
    return Envelope(
        event_id=str(uuid.uuid4()),
        topic=topic,
        key=key,
        origin=origin,
        occurred_at=occurred_at or datetime.now(UTC),
        event=event,
    )


def to_proto(env: Envelope) -> events_pb2.EventEnvelope:
    """The wire message of an envelope; ValueError for an event that has no schema yet."""
    message = events_pb2.EventEnvelope(
        event_id=env.event_id,
        schema_version=SCHEMA_VERSION,
        occurred_at=convert.timestamp(env.occurred_at),
        key=env.key,
        origin=env.origin,
    )
    event = env.event
    if isinstance(event, ClusterChanged):
        message.cluster_changed.CopyFrom(convert.cluster_to_proto(event.cluster))
    elif isinstance(event, DropletChanged):
        message.droplet_changed.CopyFrom(convert.droplet_to_proto(event.droplet))
    elif isinstance(event, JobChanged):
        message.job_changed.CopyFrom(convert.job_to_proto(event.job))
        message.job_details.CopyFrom(_job_details(event.job))
    elif isinstance(event, ScalingDecided):
        message.scaling_decided.CopyFrom(decision_to_proto(event.decision))
    elif isinstance(event, FaultChanged):
        message.fault_changed.CopyFrom(fault_to_proto(event.fault))
    elif isinstance(event, DiagnosisFinished):
        message.diagnosis_finished.CopyFrom(finished_to_proto(event))
    elif isinstance(event, HealthChanged):
        message.health_changed.CopyFrom(health_event_to_proto(event))
    else:
        raise ValueError(f"{type(event).__name__} has no wire schema; it stays in-process")
    return message


def encode(env: Envelope) -> bytes:
    """Serialized EventEnvelope."""
    return to_proto(env).SerializeToString()


def from_proto(message: events_pb2.EventEnvelope, topic: str) -> Envelope:
    """The domain envelope of a wire message; UndecodableEvent for unknown payloads."""
    if message.schema_version != SCHEMA_VERSION:
        raise UndecodableEvent(f"schema version {message.schema_version} is not {SCHEMA_VERSION}")
    kind = message.WhichOneof("payload")
    event: Event
    if kind == "cluster_changed":
        event = ClusterChanged(proto_to_domain.cluster_from_proto(message.cluster_changed))
    elif kind == "droplet_changed":
        event = DropletChanged(proto_to_domain.droplet_from_proto(message.droplet_changed))
    elif kind == "job_changed":
        event = JobChanged(proto_to_domain.job_from_proto(message.job_changed, message.job_details))
    elif kind == "scaling_decided":
        event = ScalingDecided(decision_from_proto(message.scaling_decided))
    elif kind == "fault_changed":
        event = FaultChanged(fault_from_proto(message.fault_changed))
    elif kind == "diagnosis_finished":
        event = finished_from_proto(message.diagnosis_finished)
    elif kind == "health_changed":
        event = health_event_from_proto(message.health_changed)
    else:
        raise UndecodableEvent(f"unknown payload {kind!r} (a newer server wrote it?)")
    return Envelope(
        event_id=message.event_id,
        topic=topic,
        key=message.key,
        origin=message.origin,
        occurred_at=proto_to_domain.required_datetime(message.occurred_at),
        event=event,
    )


def decode(data: bytes, topic: str) -> Envelope:
    """The envelope in serialized bytes read from topic."""
    message = events_pb2.EventEnvelope()
    try:
        message.ParseFromString(data)
    except Exception as exc:  # DecodeError, but protobuf's runtime picks the class
        raise UndecodableEvent(f"not an EventEnvelope: {exc}") from exc
    return from_proto(message, topic)


def log_key(line: LogLine) -> str:
    """The key of a line on LOGS_TOPIC: its droplet (its stream when it names none)."""
    return line.stream.labels.get(DROPLET) or line.stream.key


def encode_log_batch(batch: LogBatch) -> bytes:
    """A batch of lines as a serialized EventEnvelope (payload log_batch)."""
    streams, entries = StreamsSent().entries(batch.lines)
    message = events_pb2.EventEnvelope(
        event_id=str(uuid.uuid4()),
        schema_version=SCHEMA_VERSION,
        occurred_at=convert.timestamp(datetime.now(UTC)),
        key=batch.key,
        origin=batch.origin,
        log_batch=events_pb2.LogBatch(streams=streams, entries=entries, missed=batch.missed),
    )
    return message.SerializeToString()


def decode_log_batch(data: bytes) -> LogBatch:
    """The batch in bytes read from LOGS_TOPIC; UndecodableEvent for anything else."""
    message = events_pb2.EventEnvelope()
    try:
        message.ParseFromString(data)
    except Exception as exc:  # DecodeError, but protobuf's runtime picks the class
        raise UndecodableEvent(f"not an EventEnvelope: {exc}") from exc
    if message.schema_version != SCHEMA_VERSION:
        raise UndecodableEvent(f"schema version {message.schema_version} is not {SCHEMA_VERSION}")
    if message.WhichOneof("payload") != "log_batch":
        raise UndecodableEvent(f"{message.WhichOneof('payload')!r} on {LOGS_TOPIC}")
    batch = message.log_batch
    try:
        lines = lines_from_proto(batch.streams, batch.entries)
    except ValueError as exc:
        raise UndecodableEvent(str(exc)) from exc
    return LogBatch(message.origin, message.key, lines, batch.missed)


def _job_details(job: Job) -> events_pb2.JobDetails:
    details = events_pb2.JobDetails(params=job.params, lease_owner=job.lease_owner or "")
    if job.next_run_at is not None:
        details.next_run_at.CopyFrom(convert.timestamp(job.next_run_at))
    if job.lease_expires_at is not None:
        details.lease_expires_at.CopyFrom(convert.timestamp(job.lease_expires_at))
    return details
