"""Logs: simulated and ingested lines, LogQL-shaped queries, tail, search, stats and patterns."""
