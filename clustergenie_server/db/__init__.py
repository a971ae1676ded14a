"""Persistence: the Database handle, Alembic migrations and one repository per aggregate."""

from clustergenie_server.db import (
    audit_models,  # noqa: F401  (registers the table)
    deploy_models,  # noqa: F401  (registers the tables)
    diagnosis_models,  # noqa: F401  (registers the tables)
    health_models,  # noqa: F401  (registers the tables)
    log_models,  # noqa: F401  (registers the tables)
    outbox_models,  # noqa: F401  (registers the table)
    telemetry_models,  # noqa: F401  (registers the tables)
)
from clustergenie_server.db.cluster_repository import ClusterRepository
from clustergenie_server.db.database import Database, redacted_url
from clustergenie_server.db.droplet_repository import DropletRepository
from clustergenie_server.db.job_repository import JobRepository

__all__ = [
    "ClusterRepository",
    "Database",
    "DropletRepository",
    "JobRepository",
    "redacted_url",
]
