"""Generators of the reference docs (docs/API.md, docs/CONFIGURATION.md)."""
