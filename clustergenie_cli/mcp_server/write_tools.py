"""Tools that change things, each registered only for a token whose role may call its RPC (the
server checks again on every call: this keeps an assistant from being offered what it cannot do)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from clustergenie_cli import resolve
from clustergenie_cli.mcp_server.backend import Backend, data, records
from clustergenie_cli.mcp_server.read_tools import ClusterRef
from clustergenie_gui.client.auth_types import Role
from clustergenie_gui.client.health_client import HealthClient

JobId = Annotated[int, Field(ge=1, description="job id (see list_jobs)")]
CheckId = Annotated[int, Field(ge=1, description="check id (see list_checks)")]
DropletRef = Annotated[str, Field(min_length=1, description="droplet name or id")]
ACTS = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)
DISRUPTS = ToolAnnotations(read_only_hint=False, destructive_hint=True, open_world_hint=False)


def register(server: MCPServer[Any], backend: Backend, role: Role) -> list[str]:
    """Add the write tools role may call; returns their names."""
    client = backend.client

    def health() -> HealthClient:
        return HealthClient(client.channel, client.unary_timeout)

    async def scale_cluster(
        cluster: ClusterRef,
        count: Annotated[int, Field(ge=0, description="the droplet count to reach")],
    ) -> dict[str, Any]:
        """Scale a cluster to COUNT droplets; returns the job that adds or drains droplets."""
        with backend.errors():
            cluster_id = await resolve.cluster_id(client, cluster)
            result: dict[str, Any] = data(await client.scale_cluster(cluster_id, count))
        return result

    async def reboot_droplet(droplet: DropletRef) -> dict[str, Any]:
        """Reboot a droplet; returns the droplet and the reboot job."""
        with backend.errors():
            found = await resolve.droplet(client, droplet)
            result: dict[str, Any] = data(await client.reboot_droplet(found.id))
        return result

    async def cancel_job(job_id: JobId) -> dict[str, Any]:
        """Ask a queued or running job to stop; returns the job."""
        with backend.errors():
            result: dict[str, Any] = data(await client.cancel_job(job_id))
        return result

    async def retry_job(job_id: JobId) -> dict[str, Any]:
        """Queue a new job repeating a failed or cancelled one; returns the new job."""
        with backend.errors():
            result: dict[str, Any] = data(await client.retry_job(job_id))
        return result

    async def run_check(check_id: CheckId) -> dict[str, Any]:
        """Probe a health check's targets now; returns each target's state."""
        with backend.errors():
            await health().run_now(check_id)
            rows = [r for r in await health().status() if r.check_id == check_id]
        return records("targets", rows)

    async def pause_check(
        check_id: CheckId,
        paused: Annotated[bool, Field(description="true: pause it; false: resume it")] = True,
    ) -> dict[str, Any]:
        """Pause a health check (no probes, no alerts) or resume it."""
        with backend.errors():
            await health().set_paused(check_id, paused)
        return {"check_id": check_id, "paused": paused}

    tools: tuple[tuple[Role, Callable[..., Any], ToolAnnotations], ...] = (
        (Role.OPERATOR, scale_cluster, DISRUPTS),
        (Role.OPERATOR, reboot_droplet, DISRUPTS),
        (Role.OPERATOR, cancel_job, DISRUPTS),
        (Role.OPERATOR, retry_job, ACTS),
        (Role.OPERATOR, run_check, ACTS),
        (Role.OPERATOR, pause_check, ACTS),
    )
    added = []
    for needed, tool, hints in tools:
        if role >= needed:
            server.add_tool(tool, annotations=hints)
            added.append(tool.__name__)
    return added
