"""Jobs: the engine that claims and runs them, their handlers, and reading, cancelling, retrying."""
