"""Telemetry: the simulation on its clock, metrics (stored, downsampled, watched) and faults."""
