"""Average attendance as the seed's overview table states it (research team excluded)."""

from __future__ import annotations

from separ.attendance import average_attendance, session_counts
from separ.model import Attendance, Participant, Session
from separ.workspace import open_workshop
from tests.conftest import SAMPLES


def test_counts_exclude_the_research_team() -> None:
    people = [
        Participant(id="p1", name="하주현"),
        Participant(id="r1", name="김유숙", group="research"),
    ]
    sessions = [
        Session(id="s1", round=1),
        Session(id="s2", round=2),
        Session(id="m", kind="meeting"),
    ]
    rows = [
        Attendance(session_id="s1", participant_id="p1"),
        Attendance(session_id="s1", participant_id="r1"),
        Attendance(session_id="s1", name="장효안", affiliation="충남사경", group="intermediary"),
        Attendance(session_id="s2", affiliation="충남미디어센터", headcount=3),
        Attendance(session_id="s2", name="신효영", group="research"),
        Attendance(session_id="m", affiliation="13명", headcount=13),
    ]
    counts = session_counts(sessions, rows, people)
    assert [(c.total, c.without_research) for c in counts] == [(3, 2), (4, 3), (13, 13)]
    assert average_attendance(counts) == 2.5  # the meeting is not a round
    assert average_attendance(counts, include_research=True) == 3.5


def _counts(name: str) -> list[int]:
    with open_workshop(SAMPLES[name]) as store:
        counts = session_counts(
            store.list(Session), store.list(Attendance), store.list(Participant)
        )
    return [c.without_research for c in counts if c.session.kind.value == "workshop"]


def test_nonsan_sample_matches_the_report() -> None:
    # 〈표 3-19〉: the overview table's "평균 참석인원 9명"
    assert _counts("nonsan") == [11, 9, 10, 9, 5, 8, 11]


def test_seosan_sample_matches_the_session_log() -> None:
    # 〈표 4-20〉 gives 10.43 on average; the overview table rounds it to "10.3명"
    assert _counts("seosan") == [13, 11, 11, 12, 8, 8, 10]
