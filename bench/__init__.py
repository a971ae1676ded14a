"""ClusterGenie benchmarks: `python -m bench` prints each figure beside a same-run reference."""
