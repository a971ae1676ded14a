"""Domain types of ClusterGenie: plain, frozen, free of gRPC, SQL and Qt."""
