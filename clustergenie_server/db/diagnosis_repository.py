"""Diagnosis sessions of one unit of work; never commits."""

from __future__ import annotations

import builtins

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from clustergenie_server.db.diagnosis_codec import decode_turn, encode_turn
from clustergenie_server.db.diagnosis_models import DiagnosisSessionRow, DiagnosisTurnRow
from clustergenie_server.domain.diagnosis import Session, Turn


class DiagnosisRepository:
    """Sessions and their turns."""

    def __init__(self, session: DbSession) -> None:
        self._s = session

    def create(self, cluster_id: int, droplet_id: int, title: str, now: float) -> Session:
        """A new, empty session."""
        row = DiagnosisSessionRow(
            cluster_id=cluster_id, droplet_id=droplet_id, title=title[:200], created_at=now,
            updated_at=now,
        )  # fmt: skip
        self._s.add(row)
        self._s.flush()
        return _session(row, ())

    def add_turn(self, session_id: int, turn: Turn, now: float) -> None:
        """Append a turn."""
        row = self._s.get_one(DiagnosisSessionRow, session_id)
        position = self._s.scalar(
            sa.select(sa.func.count()).where(DiagnosisTurnRow.session_id == session_id)
        )
        self._s.add(
            DiagnosisTurnRow(
                session_id=session_id, position=int(position or 0), asked_at=turn.asked_at,
                body=encode_turn(turn),
            )
        )  # fmt: skip
        row.updated_at = now
        self._s.flush()

    def get(self, session_id: int) -> Session | None:
        """A session with its turns, or None."""
        row = self._s.get(DiagnosisSessionRow, session_id)
        if row is None:
            return None
        bodies = self._s.scalars(
            sa.select(DiagnosisTurnRow.body)
            .where(DiagnosisTurnRow.session_id == session_id)
            .order_by(DiagnosisTurnRow.position)
        )
        return _session(row, tuple(decode_turn(b) for b in bodies))

    def list(self, *, cluster_id: int | None = None, limit: int = 100) -> builtins.list[Session]:
        """Sessions newest first, without their turns."""
        query = sa.select(DiagnosisSessionRow).order_by(DiagnosisSessionRow.updated_at.desc())
        if cluster_id is not None:
            query = query.where(DiagnosisSessionRow.cluster_id == cluster_id)
        return [_session(r, ()) for r in self._s.scalars(query.limit(limit))]


def _session(row: DiagnosisSessionRow, turns: tuple[Turn, ...]) -> Session:
    return Session(
        row.id, row.cluster_id, row.droplet_id, row.title, row.created_at, row.updated_at, turns
    )
