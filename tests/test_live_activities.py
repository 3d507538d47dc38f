"""Every stage as a live activity: checked targets, pages following them, the projector views."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest

from separ import context as cx
from separ import delphi, polls, roadmap
from separ.actors import Actor
from separ.errors import SeparError
from separ.live import activities
from separ.live.pages import ParticipantPage, ProjectorPage
from separ.store import Store
from separ.tokens import issue_facilitator_token, join, live_state, set_live
from separ.ui.live import NONE, LiveDashboard
from separ.workspace import import_file
from tests.conftest import SAMPLES

FACILITATOR = Actor.facilitator_actor()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return import_file(tmp_path / "seosan", SAMPLES["seosan"])


def _poll(store: Store, title: str, *, open_it: bool = True) -> polls.Poll:
    poll = polls.create_poll(store, FACILITATOR, title, "approval", options="가\n나\n다")
    return polls.open_poll(store, FACILITATOR, poll.id) if open_it else poll


def _text(widget: Any) -> str:
    """Every HTML value and button label in a widget tree, unescaped."""
    parts = []
    if isinstance(widget, widgets.HTML):
        parts.append(html.unescape(widget.value))
    if isinstance(widget, widgets.Button | widgets.ToggleButton):
        parts.append(widget.description)
    for child in getattr(widget, "children", ()):
        parts.append(_text(child))
    return "\n".join(parts)


def _find(widget: Any, kind: type, **attrs: Any) -> list[Any]:
    found = (
        [widget]
        if isinstance(widget, kind) and all(getattr(widget, k) == v for k, v in attrs.items())
        else []
    )
    for child in getattr(widget, "children", ()):
        found += _find(child, kind, **attrs)
    return found


def test_every_stage_is_registered() -> None:
    assert list(activities.known()) == [
        "checkin",
        "context",
        "assets",
        "voting",
        "roadmap",
        "delphi",
    ]


def test_voting_takes_the_latest_open_poll_and_refuses_others(store: Store) -> None:
    closed = store.list(polls.Poll)[0]  # the sample's poll, closed
    assert closed.status == polls.PollStatus.closed
    with pytest.raises(SeparError) as missing:
        set_live(store, FACILITATOR, "voting")
    assert missing.value.key == "live_target_missing"
    with pytest.raises(SeparError) as shut:
        set_live(store, FACILITATOR, "voting", target_id=closed.id)
    assert shut.value.key == "live_target_poll_not_open"
    draft = _poll(store, "초안", open_it=False)
    with pytest.raises(SeparError) as not_yet:
        set_live(store, FACILITATOR, "voting", target_id=draft.id)
    assert not_yet.value.key == "live_target_poll_not_open"
    first, second = _poll(store, "첫째"), _poll(store, "둘째")
    assert set_live(store, FACILITATOR, "voting").target_id == second.id
    assert set_live(store, FACILITATOR, "voting", target_id=first.id).target_id == first.id
    assert live_state(store).target_id == first.id


def test_a_target_of_another_kind_or_unknown_is_refused(store: Store) -> None:
    board = cx.boards(store)[0]
    poll = _poll(store, "열린 투표")
    before = store.revision()
    for activity, target in (
        ("voting", board.id),
        ("context", poll.id),
        ("delphi", board.id),
        ("context", "nope"),
    ):
        with pytest.raises(SeparError) as refused:
            set_live(store, FACILITATOR, activity, target_id=target)
        assert refused.value.key == "live_target_unknown"
    with pytest.raises(SeparError) as unused:
        set_live(store, FACILITATOR, "assets", target_id=board.id)
    assert unused.value.key == "live_target_unused"
    assert store.revision() == before and live_state(store).activity is None


def test_a_participant_cannot_put_anything_live(store: Store) -> None:
    poll = _poll(store, "열린 투표")
    token = join(store, "참여자")
    from separ.tokens import actor_for

    participant = actor_for(store, token)
    assert participant is not None
    before = store.revision()
    with pytest.raises(SeparError) as refused:
        set_live(store, participant, "voting", target_id=poll.id)
    assert refused.value.key == "facilitator_only"
    assert store.revision() == before and live_state(store).target_id is None


def test_defaults_newest_board_and_open_delphi_round(store: Store) -> None:
    assert set_live(store, FACILITATOR, "context").target_id == cx.boards(store)[-1].id
    with pytest.raises(SeparError) as none_open:
        set_live(store, FACILITATOR, "delphi")
    assert none_open.value.key == "live_target_missing"
    study = delphi.create_study(store, FACILITATOR, "지표 델파이")
    with pytest.raises(SeparError) as closed:
        set_live(store, FACILITATOR, "delphi", target_id=study.id)
    assert closed.value.key == "live_target_study_closed"
    delphi.set_round(store, FACILITATOR, study.id, 1, True)
    assert set_live(store, FACILITATOR, "delphi").target_id == study.id
    assert set_live(store, FACILITATOR, "assets").target_id is None
    assert set_live(store, FACILITATOR, "roadmap").target_id is None


def test_phones_vote_and_the_projector_shows_the_tally_after_reveal(store: Store) -> None:
    poll = _poll(store, "무엇부터 할까요")
    options = {o.label: o.id for o in store.list(polls.PollOption, poll_id=poll.id)}
    set_live(store, FACILITATOR, "voting", target_id=poll.id)
    key = issue_facilitator_token(store)
    projector = ProjectorPage(store, key, "http://room/")
    assert "0명 투표" in _text(projector) and "1. 가" in _text(projector)
    phones = [ParticipantPage(store, join(store, name)) for name in ("가은", "나래", "다온")]
    picks = (("가", "나"), ("가",), ("다", "가"))
    for phone, chosen in zip(phones, picks, strict=True):
        for label in chosen:
            _find(phone, widgets.ToggleButton, description=label)[0].value = True
        _find(phone, widgets.Button, description="투표하기")[0].click()
        assert "투표가 저장되었습니다" in _text(phone)
    projector.on_change()
    shown = _text(projector)
    assert "3명 투표" in shown and "1위" not in shown  # the count; no tally before the reveal
    polls.close_poll(store, FACILITATOR, poll.id)
    polls.reveal_results(store, FACILITATOR, poll.id)
    projector.on_change()
    for phone in phones:
        phone.on_change()
    shown = _text(projector)
    # approval: 가 3, 나 1, 다 1 (hand-counted from the picks above)
    rows = re.findall(
        r"<tr><td class='separ-num'>(\d+)위</td><td>(.+?)</td>"
        r"<td class='separ-num'>([\d.,]+)</td>",
        shown,
    )
    assert rows == [("1", "가", "3"), ("2", "나", "1"), ("2", "다", "1")]
    assert "1위</b> 가 " in _text(phones[0]) and "(3)" in _text(phones[0])
    assert options  # the ballot ids were the domain's, not the labels


def test_switching_the_target_swaps_the_phones_view(store: Store) -> None:
    first, second = _poll(store, "첫 투표"), _poll(store, "두 번째 투표")
    set_live(store, FACILITATOR, "voting", target_id=first.id)
    phone = ParticipantPage(store, join(store, "라온"))
    assert "첫 투표" in _text(phone)
    old = phone.view
    set_live(store, FACILITATOR, "voting", target_id=second.id)
    phone.on_change()
    assert phone.view is not old and "두 번째 투표" in _text(phone)
    assert old.comm is None  # the swapped-out view is closed on the server


def test_context_phone_offers_only_the_live_board(store: Store) -> None:
    first, newest = cx.boards(store)[0], cx.boards(store)[-1]
    set_live(store, FACILITATOR, "context", target_id=first.id)
    phone = ParticipantPage(store, join(store, "마루"))
    board = _find(phone, widgets.Dropdown)[0]
    assert [v for _, v in board.options] == [first.id] and first.id != newest.id
    projector = ProjectorPage(store, issue_facilitator_token(store), "http://room/")
    assert html.unescape(first.title) in _text(projector)
    assert "청년 인구 유출" not in _text(projector)
    category = _find(phone, widgets.Button)[0]
    category.click()
    _find(phone, widgets.Textarea)[0].value = "청년 인구 유출"
    _find(phone, widgets.Button, description="보내기")[0].click()
    notes = [n for n in cx.board_notes(store, first.id) if n.text == "청년 인구 유출"]
    assert len(notes) == 1
    projector.on_change()
    assert "청년 인구 유출" in _text(projector)


def test_assets_projector_follows_new_assets(store: Store) -> None:
    from separ import assets as am

    set_live(store, FACILITATOR, "assets")
    projector = ProjectorPage(store, issue_facilitator_token(store), "http://room/")
    before = len(am.active_assets(store))
    assert f"자산 {before}개" in _text(projector)
    phone = ParticipantPage(store, join(store, "새봄"))
    _find(phone, widgets.Text, placeholder="자산")[0].value = "마을 공유 부엌"
    _find(phone, widgets.Button, description="자산 보내기")[0].click()
    assert "보냈습니다: 마을 공유 부엌" in _text(phone)
    projector.on_change()
    assert f"자산 {before + 1}개" in _text(projector)


def test_roadmap_projector_shows_comments_and_volunteers(store: Store) -> None:
    set_live(store, FACILITATOR, "roadmap")
    plan = roadmap.load_plan(store)
    task, committee = plan.tasks[0], plan.committees[0]
    projector = ProjectorPage(store, issue_facilitator_token(store), "http://room/")
    assert "아직 의견이 없습니다" in _text(projector)
    from separ.tokens import actor_for

    token = join(store, "바다")
    person = actor_for(store, token)
    assert person is not None
    roadmap.comment_on_task(store, person, task.id, "예산 <먼저>")
    roadmap.volunteer(store, person, committee.id)
    projector.on_change()
    shown = projector.view.board.value
    assert "의견 1" in shown and "“예산 &lt;먼저&gt;”" in shown
    assert f"{html.escape(committee.name)} · 1명" in shown and "바다" in shown


def test_delphi_projector_counts_answers_not_answers(store: Store) -> None:
    study = delphi.create_study(store, FACILITATOR, "지표 델파이", scale=5)
    a = delphi.add_item(store, FACILITATOR, study.id, "1-1", "사회적경제 기업 수")
    delphi.add_item(store, FACILITATOR, study.id, "1-2", "협력 사업 수")
    token = join(store, "하늘")
    from separ.tokens import actor_for

    person = actor_for(store, token)
    assert person is not None and person.participant_id is not None
    delphi.add_panellist(store, FACILITATOR, study.id, "하늘", participant_id=person.participant_id)
    delphi.add_panellist(store, FACILITATOR, study.id, "바람")
    delphi.set_round(store, FACILITATOR, study.id, 1, True)
    set_live(store, FACILITATOR, "delphi", target_id=study.id)
    projector = ProjectorPage(store, issue_facilitator_token(store), "http://room/")
    phone = ParticipantPage(store, token)
    assert "1-1" in _text(phone)
    delphi.respond(store, person, study.id, a.id, True, 4)
    projector.on_change()
    shown = _text(projector)
    assert "패널 2명 중 1명 응답" in shown
    assert "1-1 응답 1" in shown and "1-2 응답 0" in shown
    assert "중요도" not in shown  # no answer is shown, only counts


def test_dashboard_lists_targets_by_title_and_puts_the_chosen_one_live(store: Store) -> None:
    first, second = _poll(store, "첫 투표"), _poll(store, "두 번째 투표")
    dash = LiveDashboard(store, FACILITATOR)
    assert dash.target.layout.display == "none"
    dash.activity.value = "voting"
    labels = [label for label, _ in dash.target.options]
    assert labels[:3] == ["(최신)", "두 번째 투표", "첫 투표"]
    assert any(label.endswith("아직 띄울 수 없음") for label in labels)  # the sample's closed poll
    dash.target.value = first.id
    dash.go.click()
    assert live_state(store).target_id == first.id
    assert "투표 · 첫 투표" in dash.summary.value
    dash.target.value = NONE
    dash.go.click()
    assert live_state(store).target_id == second.id
    closed = store.list(polls.Poll)[0].id
    dash.target.value = closed
    dash.go.click()
    assert "투표를 시작한 뒤에" in dash.status.value and live_state(store).target_id == second.id
    dash.activity.value = "assets"
    assert dash.target.layout.display == "none"
