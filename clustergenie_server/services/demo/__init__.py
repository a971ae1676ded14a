"""The scripted demo (--demo): three clusters and a timed sequence of incidents."""
