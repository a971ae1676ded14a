"""Scaling: manual scaling, HPA-style policies, the controller that applies them, and decisions."""
