"""The event bus: one interface, an in-process implementation (and a Kafka one later)."""
