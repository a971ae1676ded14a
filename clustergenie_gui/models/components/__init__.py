"""Shared model pieces of the panels: palette, natural sort, table proxy, commands."""
