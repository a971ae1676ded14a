"""What every tool shares: the one client of the process and the mapping of failures to the
tool errors an assistant reads (the server's own sentence, never a crash of the MCP server)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mcp.server.mcpserver.exceptions import ToolError

from clustergenie_cli import output, resolve
from clustergenie_cli.connection import CliFailure, Target, sentence
from clustergenie_gui.client.client import ClientError, ClusterGenieClient


@dataclass(frozen=True, slots=True)
class Backend:
    """The connected client, the server it talks to and the deadline of its unary calls."""

    client: ClusterGenieClient
    target: Target
    timeout: float

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """Turn a failed call into a ToolError with the sentence clustergenie-ctl would print."""
        try:
            yield
        except ClientError as error:
            raise ToolError(sentence(error, self.target, self.timeout)) from error
        except CliFailure as failure:
            raise ToolError(failure.message) from failure

    async def cluster_id(self, ref: str) -> int:
        """The id of the cluster with this id or name; 0 for "" (every cluster)."""
        return await resolve.cluster_id(self.client, ref) if ref else 0


def data(value: object) -> Any:  # noqa: ANN401 - JSON-ready: dicts, lists, str, numbers
    """A JSON-ready copy (the CLI's --output json shape): what tools hand the assistant."""
    return output.plain(value)


def records(key: str, values: object) -> dict[str, Any]:
    """A list under a name, with its length (a tool's structured output is an object)."""
    items = data(values)
    return {key: items, "count": len(items)}
