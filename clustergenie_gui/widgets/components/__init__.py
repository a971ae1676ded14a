"""Shared widgets every panel uses: theme, data table, command palette, confirmations, shortcuts."""
