"""The one table of every clustergenie.v1 RPC and the least role that may call it."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from clustergenie_server.domain.auth import Role

_PROVISIONING = "/clustergenie.v1.ProvisioningService/"
_JOBS = "/clustergenie.v1.JobService/"
_TELEMETRY = "/clustergenie.v1.TelemetryService/"
_SCALING = "/clustergenie.v1.ScalingService/"
_AUTH = "/clustergenie.v1.AuthService/"
_INFO = "/clustergenie.v1.InfoService/"
_DIAGNOSIS = "/clustergenie.v1.DiagnosisService/"
_DEPLOYS = "/clustergenie.v1.DeployService/"
_HEALTH = "/clustergenie.v1.HealthCheckService/"
_LOGS = "/clustergenie.v1.LogService/"
_DEMO = "/clustergenie.v1.DemoService/"

V, OP, A = Role.VIEWER, Role.OPERATOR, Role.ADMIN

# Explicit on purpose: a new RPC is refused (and a test fails) until someone decides its role.
METHOD_ROLES: Mapping[str, Role] = MappingProxyType(
    {
        _PROVISIONING + "GetCatalog": V,
        _PROVISIONING + "ListClusters": V,
        _PROVISIONING + "GetCluster": V,
        _PROVISIONING + "ListDroplets": V,
        _PROVISIONING + "GetDroplet": V,
        _PROVISIONING + "WatchInventory": V,
        _PROVISIONING + "CreateCluster": OP,
        _PROVISIONING + "DeleteCluster": OP,
        _PROVISIONING + "AddDroplets": OP,
        _PROVISIONING + "ResizeDroplet": OP,
        _PROVISIONING + "RebootDroplet": OP,
        _PROVISIONING + "PowerOffDroplet": OP,
        _PROVISIONING + "PowerOnDroplet": OP,
        _PROVISIONING + "DestroyDroplet": OP,
        _JOBS + "ListJobs": V,
        _JOBS + "GetJob": V,
        _JOBS + "WatchJobs": V,
        _JOBS + "CancelJob": OP,
        _JOBS + "RetryJob": OP,
        _TELEMETRY + "GetClock": V,
        _TELEMETRY + "QuerySeries": V,
        _TELEMETRY + "WatchMetrics": V,
        _TELEMETRY + "ListFaults": V,
        _TELEMETRY + "InjectFault": A,
        _TELEMETRY + "ClearFault": A,
        _SCALING + "GetPolicy": V,
        _SCALING + "ListPolicies": V,
        _SCALING + "ListDecisions": V,
        _SCALING + "WatchDecisions": V,
        _SCALING + "ScaleCluster": OP,
        _SCALING + "SetPolicy": A,
        _SCALING + "DeletePolicy": A,
        _DIAGNOSIS + "Diagnose": V,
        _DIAGNOSIS + "ListSessions": V,
        _DIAGNOSIS + "GetSession": V,
        _DIAGNOSIS + "ExportSession": V,
        _DIAGNOSIS + "GetTimeline": V,
        _DIAGNOSIS + "ApplyRemedy": OP,
        _DEPLOYS + "ListDeployments": V,
        _DEPLOYS + "DeployVersion": OP,
        _DEPLOYS + "RollbackDeploy": OP,
        _HEALTH + "GetCheck": V,
        _HEALTH + "ListChecks": V,
        _HEALTH + "ValidateConditions": V,
        _HEALTH + "GetStatus": V,
        _HEALTH + "ListResults": V,
        _HEALTH + "ListTransitions": V,
        _HEALTH + "GetUptime": V,
        _HEALTH + "WatchHealth": V,
        _HEALTH + "ListAlerts": V,
        _HEALTH + "ListDeliveries": V,
        _HEALTH + "ListChannels": V,
        _HEALTH + "ListMaintenance": V,
        _HEALTH + "RunCheck": OP,
        _HEALTH + "PauseCheck": OP,
        _HEALTH + "CreateCheck": A,
        _HEALTH + "UpdateCheck": A,
        _HEALTH + "DeleteCheck": A,
        _HEALTH + "CreateChannel": A,
        _HEALTH + "DeleteChannel": A,
        _HEALTH + "CreateMaintenance": A,
        _HEALTH + "DeleteMaintenance": A,
        _DEMO + "GetDemo": V,  # the banner: anyone watching may see where the story is
        _DEMO + "PauseDemo": OP,  # the presenter's controls change what the server does
        _DEMO + "SkipDemo": OP,
        _AUTH + "WhoAmI": V,
        _AUTH + "ListAuditEntries": A,
        _INFO + "GetServerInfo": V,
        _LOGS + "TailLogs": V,
        _LOGS + "SearchLogs": V,
        _LOGS + "LogStats": V,
        _LOGS + "LogPatterns": V,
        _LOGS + "ListLogLabels": V,
        _LOGS + "IngestLogs": OP,  # an agent adds lines: it acts, as the push ports require
    }
)

# Methods anyone may call without a token: health checks and server reflection.
OPEN_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")


def role_needed(method: str) -> Role | None:
    """The least role for method, None for an unknown method (refused as if admin-only)."""
    return METHOD_ROLES.get(method)
