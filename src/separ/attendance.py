"""Who came to each session, and the average attendance a report states.

The seed's overview table says "평균 참석인원 9명" for Nonsan: that figure excludes
the research team. Counting rules live here so the report and the workbooks agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from separ.model import Attendance, Group, Participant, Session, SessionKind


@dataclass(frozen=True)
class SessionCount:
    session: Session
    total: int
    """Everyone who came, research team included."""
    without_research: int
    """Everyone but the research team (the figure reports average)."""


def session_counts(
    sessions: Iterable[Session],
    attendance: Iterable[Attendance],
    participants: Iterable[Participant],
) -> list[SessionCount]:
    """Head counts per session, in round order (meetings after the rounds)."""
    group_of = {p.id: p.group for p in participants}
    rows = list(attendance)
    out = []
    for session in sorted(sessions, key=lambda s: (s.round is None, s.round or 0, str(s.date))):
        total = research = 0
        for row in rows:
            if row.session_id != session.id:
                continue
            total += row.headcount
            group = row.group or group_of.get(row.participant_id or "")
            if group == Group.research:
                research += row.headcount
        out.append(SessionCount(session, total, total - research))
    return out


def average_attendance(counts: Iterable[SessionCount], *, include_research: bool = False) -> float:
    """Mean attendance over the workshop rounds (sharing meetings are not rounds)."""
    values = [
        c.total if include_research else c.without_research
        for c in counts
        if c.session.kind == SessionKind.workshop
    ]
    return sum(values) / len(values) if values else 0.0
