"""Versions and deploys: a cluster runs a version; a deploy rolls one out droplet by droplet."""
