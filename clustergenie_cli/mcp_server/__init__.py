"""`clustergenie-ctl mcp`: the server's read (and, by role, write) calls as MCP tools."""
