"""ClusterGenie server: gRPC API over the simulated cloud."""
