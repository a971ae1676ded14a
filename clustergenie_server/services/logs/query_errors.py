"""The error of a query that cannot be used, pointing at the character where it went wrong."""

from __future__ import annotations

from clustergenie_server.domain.errors import InvalidArgument


class QueryError(InvalidArgument):
    """A query that does not parse (or asks for something refused); pos is 0-based.

    With the query text the message shows it with a caret under the character, for people.
    """

    def __init__(self, reason: str, pos: int, query: str | None = None) -> None:
        self.reason, self.pos, self.query = reason, pos, query
        message = f"query error at character {pos + 1}: {reason}"
        if query is not None:
            message += f"\n  {query}\n  {' ' * pos}^"
        super().__init__(message)

    def with_query(self, query: str) -> QueryError:
        """The same error, its message showing where in `query` it is."""
        return QueryError(self.reason, self.pos, query)
