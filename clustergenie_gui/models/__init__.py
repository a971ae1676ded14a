"""Plain row logic and Qt item models over the client's dataclasses."""
