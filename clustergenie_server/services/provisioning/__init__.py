"""Provisioning: clusters and droplets, validated here and carried out by jobs."""
