"""Meeting kinds: 워크숍, 간담회, 공유회의 … each numbered on its own, everything by date."""

from __future__ import annotations

import datetime as dt

from separ.document import records_of
from separ.model import Session, SessionKind, in_order, ordinals, session_name


def test_each_kind_is_numbered_by_date() -> None:
    sessions = [
        Session(id="w2", round=2, kind="workshop", date=dt.date(2013, 6, 5)),
        Session(id="r1", kind="간담회", date=dt.date(2013, 4, 2)),
        Session(id="w1", round=1, kind="워크숍", date=dt.date(2013, 5, 1)),
        Session(id="m1", kind="meeting", date=dt.date(2013, 5, 20)),
        Session(id="r2", kind="roundtable", date=dt.date(2013, 7, 1)),
        Session(id="x", kind="기타 회의"),
    ]
    assert [s.id for s in in_order(sessions)] == ["r1", "w1", "m1", "w2", "r2", "x"]
    numbers = ordinals(sessions)
    assert numbers == {"r1": 1, "w1": 1, "m1": 1, "w2": 2, "r2": 2, "x": 1}
    named = {s.id: session_name(s, numbers[s.id]) for s in sessions}
    # the seed's first workshop stays 1차 워크숍 although a 간담회 came before it
    assert named == {
        "r1": "1차 간담회",
        "w1": "1차 워크숍",
        "m1": "1차 공유회의",
        "w2": "2차 워크숍",
        "r2": "2차 간담회",
        "x": "1차 기타 회의",
    }
    assert session_name(sessions[1], 1, "en") == "round-table talk 1"
    assert SessionKind.parse("설명회") == "briefing"


def test_old_documents_still_load() -> None:
    doc = {
        "schema": "separ-workshop",
        "version": 1,
        "workshop": {"title": "논산", "region": "논산시"},
        "sessions": [
            {"id": "s1", "round": 1, "kind": "workshop"},
            {"id": "s2", "kind": "meeting", "date": "2013-05-20"},
        ],
    }
    sessions = [r for r in records_of(doc, "old.json") if isinstance(r, Session)]
    assert [(s.id, s.kind) for s in sessions] == [
        ("s1", SessionKind.workshop),
        ("s2", SessionKind.meeting),
    ]


def test_validator_messages_in_korean() -> None:
    import pytest

    from separ.errors import SeparError, at, in_row
    from separ.validation import build

    with pytest.raises(SeparError) as err:
        build(Session, {"kind": "워크숍", "date": "2024-05-01"}, at("sessions.csv", in_row(2)))
    assert err.value.message("ko") == "sessions.csv, 2행: 워크숍 회차에는 회차 번호가 필요합니다"
    assert err.value.message("en") == "sessions.csv, row 2: a workshop session needs a round number"
    with pytest.raises(SeparError) as err:
        build(Session, {"round": 1, "date": "2024-13-01"}, "s")
    assert err.value.message("ko") == (
        "s, 일자: 값이 올바르지 않습니다: 날짜(YYYY-MM-DD)여야 합니다: 2024-13-01"
    )
