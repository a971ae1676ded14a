"""Types for the part of drain3 ClusterGenie uses (it ships none); see typings/README.md."""

from .template_miner import TemplateMiner as TemplateMiner
