"""Audit: who did what, as a log line and a row in the same transaction as the change."""
