"""Diagnosis: analyzers over a window of telemetry, ranking into a root cause, the
investigation that streams it, remedies, sessions and the timeline."""
