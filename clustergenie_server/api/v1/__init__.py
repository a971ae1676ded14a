"""Generated gRPC contract of ClusterGenie (clustergenie.v1); regenerate with protos/generate.py."""
