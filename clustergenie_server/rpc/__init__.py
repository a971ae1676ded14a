"""The gRPC edge: thin servicers, interceptors, and proto <-> domain conversion."""
