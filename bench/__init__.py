"""ClusterGenie benchmarks: `python -m bench` prints each figure beside a reference from the same run."""
