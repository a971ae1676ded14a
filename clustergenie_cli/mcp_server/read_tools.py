"""The tools every token may call: inventory, jobs, logs, the timeline and health (read-only)."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from clustergenie_cli import resolve
from clustergenie_cli.commands.logs import search_lines
from clustergenie_cli.mcp_server.backend import Backend, data, records
from clustergenie_gui.client import types as t
from clustergenie_gui.client.diagnosis_client import DiagnosisClient
from clustergenie_gui.client.health_client import HealthClient

READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)

ClusterRef = Annotated[str, Field(description="cluster name or id", min_length=1)]
ClusterFilter = Annotated[
    str, Field(description='only this cluster (name or id); "" for every cluster')
]
Window = Annotated[
    float,
    Field(ge=0, description="how far back to look, in simulated seconds (0: the server's default)"),
]


def register(server: MCPServer[Any], backend: Backend) -> None:
    """Add the read-only tools, each over backend's client."""
    client = backend.client

    async def whoami() -> dict[str, Any]:
        """The token's name and role on the ClusterGenie server (viewer, operator or admin)
        and the server's address."""
        with backend.errors():
            identity = await client.who_am_i()
        return {"name": identity.name, "role": identity.role.label, "server": backend.target.server}

    async def list_clusters(
        include_deleted: Annotated[bool, Field(description="deleted clusters too")] = False,
    ) -> dict[str, Any]:
        """Every cluster: id, name, region, size, status, droplet counts, tags."""
        with backend.errors():
            return records("clusters", await client.list_clusters(include_deleted))

    async def get_cluster(cluster: ClusterRef) -> dict[str, Any]:
        """One cluster by name or id."""
        with backend.errors():
            result: dict[str, Any] = data(await resolve.cluster(client, cluster))
        return result

    async def list_droplets(
        cluster: ClusterFilter = "",
        include_destroyed: Annotated[bool, Field(description="destroyed droplets too")] = False,
    ) -> dict[str, Any]:
        """The droplets (simulated VMs) of one cluster or of every cluster: id, name, size,
        status, IP address."""
        with backend.errors():
            cluster_id = await backend.cluster_id(cluster)
            return records("droplets", await client.list_droplets(cluster_id, include_destroyed))

    async def get_droplet(
        droplet: Annotated[str, Field(description="droplet name or id", min_length=1)],
    ) -> dict[str, Any]:
        """One droplet by name or id."""
        with backend.errors():
            result: dict[str, Any] = data(await resolve.droplet(client, droplet))
        return result

    async def search_logs(
        query: Annotated[
            str,
            Field(
                min_length=1,
                description='LogQL-style: a selector and filters, e.g. {cluster="web", '
                'level="error"} |= "timeout"',
            ),
        ],
        since_seconds: Annotated[
            float, Field(gt=0, description="how far back, in simulated seconds before now")
        ] = 3600.0,
        limit: Annotated[int, Field(ge=1, le=1000, description="at most this many lines")] = 100,
    ) -> dict[str, Any]:
        """Log lines of the simulated droplets that match a query, newest first: time
        (simulated Unix seconds), labels (cluster, droplet, level, ...) and the line."""
        with backend.errors():
            rows = await search_lines(client, query, since_seconds, limit)
        lines = [{"t": r.t, "labels": dict(r.labels), "line": r.line} for r in rows]
        return {"lines": lines, "count": len(lines)}

    async def timeline(
        cluster: ClusterRef,
        window_seconds: Window = 0.0,
        kinds: Annotated[
            list[str],
            Field(description="only these kinds: deploy, provisioning, fault, finding, ..."),
        ] = [],  # noqa: B006 - pydantic copies defaults; the schema shows []
    ) -> dict[str, Any]:
        """What happened to a cluster, oldest first: deploys, jobs, faults, findings, alerts."""
        with backend.errors():
            cluster_id = await resolve.cluster_id(client, cluster)
            entries = await DiagnosisClient(client).timeline(cluster_id, window_seconds, kinds)
        return records("events", entries)

    async def list_checks(cluster: ClusterFilter = "") -> dict[str, Any]:
        """The synthetic health checks (HTTP, TCP, ...): what they probe, how often, with
        which conditions, whether paused."""
        with backend.errors():
            cluster_id = await backend.cluster_id(cluster)
            checks = await HealthClient(client.channel, client.unary_timeout).list_checks(
                cluster_id
            )
        return records("checks", checks)

    async def health_status(cluster: ClusterFilter = "") -> dict[str, Any]:
        """Each checked target's state (healthy, unhealthy, ...), latency and last result."""
        with backend.errors():
            cluster_id = await backend.cluster_id(cluster)
            rows = await HealthClient(client.channel, client.unary_timeout).status()
        return records("targets", [r for r in rows if not cluster_id or r.cluster_id == cluster_id])

    async def list_jobs(
        states: Annotated[
            list[t.JobState], Field(description="only jobs in these states (empty: any)")
        ] = [],  # noqa: B006 - pydantic copies defaults
        cluster: ClusterFilter = "",
        limit: Annotated[int, Field(ge=1, le=500, description="at most this many")] = 50,
    ) -> dict[str, Any]:
        """Recent jobs (provisioning, droplet actions, scaling, deploys), newest first: kind,
        state, progress, step, error."""
        with backend.errors():
            cluster_id = await backend.cluster_id(cluster)
            return records("jobs", await client.list_jobs(states, cluster_id, limit))

    for tool in (
        whoami, list_clusters, get_cluster, list_droplets, get_droplet, search_logs, timeline,
        list_checks, health_status, list_jobs,
    ):  # fmt: skip
        server.add_tool(tool, annotations=READ_ONLY)
