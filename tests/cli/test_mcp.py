"""`clustergenie-ctl mcp` as an MCP client sees it: a child process on stdio, spoken to with the
MCP SDK's own client, against a real server. The tools a token is offered follow its role, the
results are what the server holds, and failures come back as tool errors naming the problem."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.types import CallToolResult, TextContent

from tests.cli.conftest import Ctl, CtlServer, free_port

READ_TOOLS = {
    "whoami", "list_clusters", "get_cluster", "list_droplets", "get_droplet", "search_logs",
    "timeline", "list_checks", "health_status", "list_jobs", "diagnose",
}  # fmt: skip
WRITE_TOOLS = {
    "apply_remedy", "scale_cluster", "reboot_droplet", "cancel_job", "retry_job", "run_check",
    "pause_check",
}  # fmt: skip


@asynccontextmanager
async def mcp_session(
    server: CtlServer, role: str, address: str = ""
) -> AsyncIterator[ClientSession]:
    """`clustergenie-ctl --server ... --token-file ROLE mcp` as a child, initialized."""
    keep = ("PYTHONPATH", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR")  # the isolated config dirs
    token_file = str(server.token_files[role])
    args = ["-m", "clustergenie_cli", "--server", address or server.address, "--token-file",
            token_file, "mcp"]  # fmt: skip
    params = StdioServerParameters(
        command=sys.executable,
        args=args,
        env={k: os.environ[k] for k in keep if k in os.environ},
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        yield session


async def call(session: ClientSession, tool: str, **arguments: Any) -> CallToolResult:
    """One tool call's result (a tool error is a result too, with is_error set)."""
    result = await session.call_tool(tool, arguments)
    assert isinstance(result, CallToolResult)
    return result


def text_of(result: CallToolResult) -> str:
    """The text blocks of a result, joined."""
    return "\n".join(c.text for c in result.content if isinstance(c, TextContent))


def structured(result: CallToolResult) -> dict[str, Any]:
    """A successful result's structured content."""
    assert not result.is_error, text_of(result)
    content = result.structured_content
    assert isinstance(content, dict)
    return content


async def test_tools_follow_the_tokens_role(ctl_server: CtlServer) -> None:
    async with mcp_session(ctl_server, "viewer") as viewer:
        tools = (await viewer.list_tools()).tools
        assert {tool.name for tool in tools} == READ_TOOLS
        assert all(tool.annotations and tool.annotations.read_only_hint for tool in tools)
        assert all(tool.description for tool in tools)
        me = structured(await call(viewer, "whoami"))
        assert (me["name"], me["role"]) == ("viewer", "viewer")
        refused = await call(viewer, "scale_cluster", cluster="any", count=3)
        assert refused.is_error
        assert "scale_cluster" in text_of(refused)
    for role in ("operator", "admin"):
        async with mcp_session(ctl_server, role) as session:
            tools = (await session.list_tools()).tools
            assert {tool.name for tool in tools} == READ_TOOLS | WRITE_TOOLS, role
            writes = [tool for tool in tools if tool.name in WRITE_TOOLS]
            assert not any(tool.annotations and tool.annotations.read_only_hint for tool in writes)


async def _until(session: ClientSession, tool: str, key: str, **arguments: Any) -> dict[str, Any]:
    """Call a tool until its `key` list is not empty (the simulation writes logs every tick)."""
    deadline = time.monotonic() + 30
    while True:
        found = structured(await call(session, tool, **arguments))
        if found[key] or time.monotonic() > deadline:
            return found


def test_list_clusters_and_search_logs_show_what_the_server_has(
    ctl: Ctl, ctl_server: CtlServer
) -> None:
    # clustergenie-ctl runs its own event loop: the setup is synchronous, the MCP talk is not.
    assert ctl("cluster", "create", "mcp-web", "--count", "2", "--wait").code == 0
    expected = {c["name"]: c for c in ctl("cluster", "list", "-o", "json").json()}
    droplets = ctl("droplet", "list", "--cluster", "mcp-web", "-o", "json").json()
    asyncio.run(_inventory_logs_and_timeline(ctl_server, expected, droplets))


async def _inventory_logs_and_timeline(
    ctl_server: CtlServer, expected: dict[str, Any], droplets: list[dict[str, Any]]
) -> None:
    async with mcp_session(ctl_server, "viewer") as session:
        clusters = structured(await call(session, "list_clusters"))
        assert clusters["count"] == len(expected)
        listed = {c["name"]: c for c in clusters["clusters"]}
        assert listed["mcp-web"]["id"] == expected["mcp-web"]["id"]
        assert listed["mcp-web"]["active_droplet_count"] == 2
        one = structured(await call(session, "get_cluster", cluster="mcp-web"))
        assert (one["id"], one["region"]) == (expected["mcp-web"]["id"], "nyc1")
        found = structured(await call(session, "list_droplets", cluster="mcp-web"))
        assert sorted(d["name"] for d in found["droplets"]) == sorted(d["name"] for d in droplets)

        logs = await _until(session, "search_logs", "lines", query='{cluster="mcp-web"}', limit=5)
        assert 0 < logs["count"] <= 5
        assert {line["labels"]["cluster"] for line in logs["lines"]} == {"mcp-web"}
        times = [line["t"] for line in logs["lines"]]
        assert times == sorted(times, reverse=True)  # newest first
        droplet_names = {line["labels"]["droplet"] for line in logs["lines"]}
        assert droplet_names <= {d["name"] for d in droplets}

        events = structured(await call(session, "timeline", cluster="mcp-web"))
        provisioned = [e for e in events["events"] if "provision droplet mcp-web-" in e["text"]]
        assert len(provisioned) == 2
        jobs = structured(await call(session, "list_jobs", cluster="mcp-web", states=["succeeded"]))
        assert {j["kind"] for j in jobs["jobs"]} == {"provision_droplet"}
        assert jobs["count"] == 2


def test_diagnose_names_the_bad_deploy_and_an_operator_rolls_it_back(
    ctl: Ctl, ctl_server: CtlServer
) -> None:
    steady = ("--tag", "rps:60", "--tag", "traffic:flat")
    assert ctl("cluster", "create", "mcp-diag", "--count", "2", *steady, "--wait").code == 0
    assert ctl("fault", "inject", "bad_deploy", "mcp-diag", "--magnitude", "0.5").code == 0
    asyncio.run(_diagnose_then_roll_back(ctl_server))
    deploys = ctl("timeline", "mcp-diag", "--kind", "deploy", "-o", "json").json()
    assert len(deploys) >= 2  # the bad deploy, then its roll back


async def _diagnose_then_roll_back(ctl_server: CtlServer) -> None:
    async with mcp_session(ctl_server, "viewer") as viewer:
        # The errors need simulated minutes to show (80x: seconds); ask until Diagnose sees them.
        deadline = time.monotonic() + 30
        while True:
            result = await call(viewer, "diagnose", cluster="mcp-diag")
            found = structured(result)
            cause = found["root_cause"]
            if (cause and cause["kind"] == "bad_deploy") or time.monotonic() > deadline:
                break
        assert cause is not None, text_of(result)
        assert cause["kind"] == "bad_deploy", text_of(result)
        assert found["session_id"] > 0
        assert found["answer"]
        remedy = found["remedies"][0]
        assert remedy["action"] == "roll_back"
        said = text_of(result)
        assert said.startswith(f"Root cause: bad_deploy on {cause['target']}")
        assert "Evidence:" in said
        assert f"{remedy['id']} (roll_back)" in said
        assert "needs an operator's token" in said  # a viewer is not told to apply it
    async with mcp_session(ctl_server, "operator") as operator:
        applied = await call(
            operator, "apply_remedy", session_id=found["session_id"], remedy_id=remedy["id"]
        )
        body = structured(applied)
        assert body["jobs"], text_of(applied)
        assert all(job["state"] == "succeeded" for job in body["jobs"]), body["jobs"]
        assert body["verdict"]
        assert text_of(applied).startswith(f"Applied remedy {remedy['id']}")


def test_bad_input_is_a_tool_error_with_a_clear_message(ctl: Ctl, ctl_server: CtlServer) -> None:
    assert ctl("cluster", "create", "mcp-picky", "--wait").code == 0
    asyncio.run(_refusals(ctl_server))


async def _refusals(ctl_server: CtlServer) -> None:
    async with mcp_session(ctl_server, "viewer") as session:
        missing = await call(session, "get_cluster", cluster="no-such-cluster")
        assert missing.is_error
        assert "There is no cluster named 'no-such-cluster'" in text_of(missing)

        too_many = await call(session, "search_logs", query='{cluster="mcp-picky"}', limit=0)
        assert too_many.is_error
        assert "limit" in text_of(too_many)
        assert "greater than or equal to 1" in text_of(too_many)

        unparsed = await call(session, "search_logs", query='{cluster="mcp-picky"')
        assert unparsed.is_error  # the server's INVALID_ARGUMENT, in its words
        message = text_of(unparsed)
        assert message.startswith("Error executing tool search_logs: Query error")

        short = await call(session, "diagnose", cluster="mcp-picky", window_seconds=10)
        assert short.is_error
        assert "window_seconds" in text_of(short).lower()

        gone = await call(session, "get_droplet", droplet="999999")
        assert gone.is_error
        assert "999999" in text_of(gone)
        # The MCP server is still there after every refusal.
        assert structured(await call(session, "get_cluster", cluster="mcp-picky"))["name"] == (
            "mcp-picky"
        )


async def test_a_server_that_is_down_gives_read_only_tools_that_say_so(
    ctl_server: CtlServer,
) -> None:
    address = f"127.0.0.1:{free_port()}"
    async with mcp_session(ctl_server, "admin", address) as session:
        # The role is unknown: an assistant is offered nothing that acts.
        assert {tool.name for tool in (await session.list_tools()).tools} == READ_TOOLS
        down = await call(session, "list_clusters")
        assert down.is_error
        assert f"Cannot reach a ClusterGenie server at {address}" in text_of(down)


def test_the_documented_client_configs_start_this_verb() -> None:
    docs = Path(__file__).parents[2] / "docs" / "MCP.md"
    blocks = re.findall(r"```json\n(.*?)```", docs.read_text(encoding="utf-8"), re.S)
    assert blocks
    for block in blocks:
        server = json.loads(block)["mcpServers"]["clustergenie"]
        assert Path(server["command"]).name == "clustergenie-ctl"
        assert server["args"][-1] == "mcp"  # global options first, as the CLI parses them
