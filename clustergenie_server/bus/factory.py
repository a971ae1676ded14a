"""Picks the event bus from settings: Kafka when a bootstrap address is given, else in-process."""

from __future__ import annotations

from clustergenie_server.bus.event_bus import EventBus
from clustergenie_server.bus.in_process_bus import InProcessEventBus
from clustergenie_server.settings import Settings


def build_bus(settings: Settings, origin: str) -> EventBus:
    """The bus this server publishes and subscribes through; origin names this server."""
    if settings.kafka_bootstrap:
        # Imported here so that the embedded default never loads kafka-python.
        from clustergenie_server.bus.kafka_bus import KafkaEventBus

        return KafkaEventBus(settings.kafka_bootstrap, origin=origin)
    return InProcessEventBus(origin=origin)
