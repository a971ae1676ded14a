"""Roles and the principal a bearer token names."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.IntEnum):
    """Ordered: each role may do what the roles below it may."""

    VIEWER = 1  # read and watch
    OPERATOR = 2  # act: provisioning, jobs cancel/retry, manual scaling
    ADMIN = 3  # policies, checks, faults, the audit log

    @property
    def label(self) -> str:
        """The role's name as people and token files write it: viewer, operator, admin."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Role:
        """viewer/operator/admin (any case) to a Role; ValueError names the allowed ones."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            allowed = ", ".join(r.label for r in cls)
            raise ValueError(f"unknown role {text!r}; use one of {allowed}") from None


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a token belongs to: a name for logs and the audit log, and a role."""

    name: str
    role: Role
