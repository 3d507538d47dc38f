"""The facilitator's console, the projector key and the projector's views, without a server."""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from pathlib import Path

import pytest

from separ import checkin, polls
from separ import context as cx
from separ.actors import Actor
from separ.errors import SeparError
from separ.model import Session, SessionKind, Workshop
from separ.session_plan import FRAME, WORKBOOKS, plan_for, session_label, todays_session
from separ.store import Store
from separ.tokens import (
    actor_for,
    can_project,
    issue_facilitator_token,
    issue_projector_token,
    join,
    set_live,
)
from separ.ui import projector
from separ.ui.live import LiveDashboard, facilitator_dashboard

FACILITATOR = Actor.facilitator_actor()
TEMPLATE = Path(__file__).resolve().parents[1] / "src/separ/live/jupyter/voila/templates/separ"


@pytest.fixture(autouse=True)
def no_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checkin, "MIN_INTERVAL", 0.0)


@pytest.fixture
def store() -> Store:
    s = Store.memory()
    s.add(Workshop(title="서산 워크숍", region="서산시"))
    s.add(Session(id="s1", round=1, date=dt.date(2021, 6, 23), agenda=["목적 확인"]))
    s.add(Session(id="s3", round=3, date=dt.date(2021, 7, 13), place="시민센터"))
    s.add(Session(id="m1", kind=SessionKind.meeting, date=dt.date(2021, 7, 31)))
    return s


# -- the session plan ----------------------------------------------------------------------


def test_todays_session_is_today_else_the_next_else_the_last(store: Store) -> None:
    sessions = store.list(Session)
    assert todays_session(sessions, dt.date(2021, 7, 13)).id == "s3"  # type: ignore[union-attr]
    assert todays_session(sessions, dt.date(2021, 7, 1)).id == "s3"  # type: ignore[union-attr]
    assert todays_session(sessions, dt.date(2022, 1, 1)).id == "m1"  # type: ignore[union-attr]
    assert todays_session([], dt.date(2022, 1, 1)) is None


def test_plan_follows_the_session_guide(store: Store) -> None:
    third = store.get(Session, "s3")
    assert plan_for(third).workbooks == ("01_context", "03_voting")
    assert plan_for(store.get(Session, "m1")).workbooks == ("06_followup",)
    # the guide's 3-hour frame: back to back, 180 minutes, 30% for shared goals
    assert [s.start for s in FRAME[1:]] == [s.end for s in FRAME[:-1]]
    assert FRAME[-1].end == 180 and FRAME[1].minutes == 50 and FRAME[1].clock() == "0:15–1:05"
    assert session_label(store.get(Session, "m1"), "ko") == "공유회의"  # never "m1"
    assert session_label(third, "en") == "round 3"


def test_the_bar_lists_every_workbook_and_each_exists() -> None:
    macro = (TEMPLATE / "separ_nav.macro.html.j2").read_text(encoding="utf-8")
    listed = re.findall(r'\("(\d\d_\w+)", "([^"]+)", "([^"]+)"\)', macro)
    assert {stem: (ko, en) for stem, ko, en in listed} == WORKBOOKS
    books = Path(__file__).resolve().parents[1] / "workbooks"
    assert all((books / f"{stem}.ipynb").is_file() for stem in WORKBOOKS)
    for page in ("index.html.j2", "tree-lab.html", "tree.html"):
        text = (TEMPLATE / page).read_text(encoding="utf-8")
        assert "separ_nav.bar(" in text and not re.search(r"(src|href)=.https?:", text)


# -- the dashboard -------------------------------------------------------------------------


def test_dashboard_shows_todays_plan_and_the_series(store: Store) -> None:
    view = LiveDashboard(store, FACILITATOR, today=dt.date(2021, 7, 13))
    assert "오늘: 3회차 (2021-07-13) · 시민센터" in view.plan.value
    assert "data-separ-workbook='03_voting'" in view.plan.value and "token" not in view.plan.value
    assert view.session.value == "s3"  # today's session is chosen for check-in
    rows = re.findall(
        r"<tr( class='separ-current')?><td>([^<]+)</td><td>([^<]*)</td>", view.series.value
    )
    assert [(bool(c), label, date) for c, label, date in rows] == [
        (False, "1회차", "2021-06-23"),
        (True, "3회차", "2021-07-13"),
        (False, "공유회의", "2021-07-31"),
    ]
    english = LiveDashboard(store, FACILITATOR, lang="en", today=dt.date(2021, 7, 13))
    assert "Today: round 3" in english.plan.value and english.go.description == "Show on phones"


def test_dashboard_follows_the_store(store: Store) -> None:
    view = LiveDashboard(store, FACILITATOR, today=dt.date(2021, 7, 13))
    assert view.on_store_change() is False  # nothing moved
    view.activity.value = "voting"
    assert [label for label, _ in view.target.options] == ["(최신)"]
    # another tab creates and opens a poll: it is offered, without a reload
    poll = polls.create_poll(store, FACILITATOR, "우선순위", "dots", options=["가", "나"])
    assert view.on_store_change() is True
    assert view.target.options[1] == ("우선순위 — 아직 띄울 수 없음", poll.id)
    polls.open_poll(store, FACILITATOR, poll.id)
    view.on_store_change()
    assert view.target.options[1] == ("우선순위", poll.id)
    view.target.value = poll.id
    view.go.click()
    assert "투표 · 우선순위" in view.summary.value
    polls.close_poll(store, FACILITATOR, poll.id)  # closed elsewhere: no longer offered as ready
    view.on_store_change()
    assert view.target.options[1] == ("우선순위 — 아직 띄울 수 없음", poll.id)
    assert view.activity.value == "voting"  # the facilitator's own choice is left alone


def test_checkin_lines_reach_the_dashboard(store: Store) -> None:
    view = LiveDashboard(store, FACILITATOR, today=dt.date(2021, 7, 13))
    assert "아직 체크인한 사람이 없습니다" in view.checkins.value
    set_live(store, FACILITATOR, "checkin", "s3")
    person = actor_for(store, join(store, "김<민수>"))
    assert person is not None
    checkin.check_in(store, person, "공동 판로 이야기")
    view.on_store_change()
    assert "1명 체크인" in view.checkins.value
    assert "<b>김&lt;민수&gt;</b> — 공동 판로 이야기" in view.checkins.value


def test_the_dashboard_never_shows_the_facilitator_token(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = issue_facilitator_token(store)
    key = issue_projector_token(store)
    monkeypatch.setenv("SEPAR_PARTICIPANT_URL", "http://10.0.0.5:8866/")
    monkeypatch.setenv("SEPAR_PROJECTOR_URL", f"http://10.0.0.5:8866/projector?key={key}")
    view = facilitator_dashboard(store, f"token={token}")
    assert isinstance(view, LiveDashboard)
    shown = "".join(
        getattr(w, "value", "")
        for w in [view.plan, view.summary, view.series, view.join_links, view.checkins]
    )
    assert token not in shown and "http://10.0.0.5:8866/" in shown and key in shown


# -- the projector key ---------------------------------------------------------------------


def test_projector_key_only_views(store: Store) -> None:
    key = issue_projector_token(store)
    assert can_project(store, key) and actor_for(store, key) is None
    assert facilitator_dashboard(store, f"token={key}").__class__.__name__ == "HTML"
    assert can_project(store, issue_facilitator_token(store))
    assert not can_project(store, join(store, "참여자")) and not can_project(store, None)
    fresh = issue_projector_token(store)  # a new start: the old key stops working
    assert can_project(store, fresh) and not can_project(store, key)


# -- the projector's views -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(4), "4"),
        (Fraction(13, 3), "4.3"),
        (2.25, "2.2"),
        (Fraction(12345), "12,345"),
        (Fraction(-1, 2), "-0.5"),
    ],
)
def test_scores_are_rounded_for_the_room(value: Fraction | float, shown: str) -> None:
    assert projector.score_text(value) == shown


def test_short_address() -> None:
    assert projector.short_address("http://192.168.0.10:8866/") == "192.168.0.10:8866"
    assert projector.short_address("https://w.example.org/room/") == "w.example.org/room"


def test_vote_shows_question_options_count_then_ranking(store: Store) -> None:
    poll = polls.create_poll(
        store,
        FACILITATOR,
        "과제",
        "dots",
        dots=1,
        question="무엇부터?",
        options=["공동 판로 개척", "교육"],
    )
    polls.open_poll(store, FACILITATOR, poll.id)
    shown = projector.poll_html(store, poll.id, "ko")
    assert "무엇부터?" in shown and "1. 공동 판로 개척" in shown and "0명 투표" in shown
    polls.close_poll(store, FACILITATOR, poll.id)
    # no ballots: the reveal is refused and nothing is shown as tied first
    with pytest.raises(SeparError) as refused:
        polls.reveal_results(store, FACILITATOR, poll.id)
    assert refused.value.message("ko") == "아직 투표가 없습니다"
    shown = projector.poll_html(store, poll.id, "ko")
    assert "1위" not in shown


def test_board_keeps_every_note_in_order_with_counts(store: Store) -> None:
    board = cx.add_board(store, FACILITATOR, "pest", "PEST")
    for i in range(3):
        cx.add_note(store, FACILITATOR, board.id, "social", f"의견 <{i}>")
    shown = projector.board_html(store, board.id, "ko")
    assert "사회 (3)" in shown and "정치 (0)" in shown and "의견 3개" in shown
    assert shown.index("의견 &lt;0&gt;") < shown.index("의견 &lt;2&gt;")  # newest last


def test_serve_prints_the_projector_key_not_the_facilitator_token() -> None:
    from separ.cli.live import links

    urls = links("127.0.0.1", 8866, "facilitator-token", "projector-key")
    assert urls.projector == "http://127.0.0.1:8866/projector?key=projector-key"
    assert "facilitator-token" in urls.facilitator and "facilitator-token" not in urls.projector


def test_the_projector_speaks_english_for_an_english_workshop(store: Store) -> None:
    poll = polls.create_poll(
        store,
        FACILITATOR,
        "Tasks",
        "dots",
        dots=1,
        question="What first?",
        options=["Joint sales", "Training"],
    )
    shown = projector.poll_html(store, poll.id, "en")
    assert "Voting starts soon" in shown and "1. Joint sales" in shown
    polls.open_poll(store, FACILITATOR, poll.id)
    assert "0 ballots so far" in projector.poll_html(store, poll.id, "en")
    board = cx.add_board(store, FACILITATOR, "pest", "PEST")
    cx.add_note(store, FACILITATOR, board.id, "social", "Young people leave")
    shown = projector.board_html(store, board.id, "en")
    assert "PEST · 1 notes" in shown and "none yet" in shown
    idle = projector.idle_html("Seosan", "http://10.0.0.1:8866/", "data:,", "en")
    assert "Scan the QR code to join" in idle and "10.0.0.1:8866" in idle
    for markup in (shown, idle, projector.assets_html(store, "en")):
        assert not re.search(r"[가-힣]", re.sub(r"<[^>]*>", "", markup)), markup
