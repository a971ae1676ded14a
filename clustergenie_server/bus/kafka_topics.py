"""Topics on the broker: create the missing ones with our partition count, read the counts."""

from __future__ import annotations

import contextlib
from collections.abc import Collection

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError


def ensure_topics(
    admin: KafkaAdminClient, topics: Collection[str], partitions: int
) -> dict[str, int]:
    """Create those of topics the broker does not have; each topic's partition count."""
    counts = partition_counts(admin, topics)
    missing = [topic for topic, count in counts.items() if not count]
    for topic in missing:
        # Another server (or a reader, see KafkaEventBus._checked_producer) may create it now.
        with contextlib.suppress(TopicAlreadyExistsError):
            admin.create_topics([NewTopic(topic, partitions, 1)])
    return partition_counts(admin, topics) if missing else counts


def partition_counts(admin: KafkaAdminClient, topics: Collection[str]) -> dict[str, int]:
    """How many partitions the broker has for each of topics (0: no such topic)."""
    described = admin.describe_topics(list(topics))
    return {t["name"]: len(t["partitions"] or ()) if not t["error_code"] else 0 for t in described}
