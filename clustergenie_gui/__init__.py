"""ClusterGenie desktop client."""
