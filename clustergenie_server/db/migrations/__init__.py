"""Alembic migrations of the ClusterGenie schema; run them with Database.migrate()."""
