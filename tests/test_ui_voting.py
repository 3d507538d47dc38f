"""Voting widgets used as a person would: set values, click; and forged actions."""

from __future__ import annotations

import pytest

from separ.actors import Actor
from separ.model import Participant, Workshop
from separ.polls import (
    Poll,
    PollBallot,
    PollOption,
    close_poll,
    create_poll,
    open_poll,
    results,
)
from separ.store import Store
from separ.ui.voting import BallotView, PollControl, PollResultsPanel, ResultsView

FAC = Actor.facilitator_actor()
KIM = Actor("p0", "김")
LEE = Actor("p1", "이")


@pytest.fixture
def store() -> Store:
    store = Store.memory()
    with store.transaction() as tx:
        tx.add(Workshop(title="t", region="서산시"))
        tx.add(Participant(id="p0", name="김"))
        tx.add(Participant(id="p1", name="이"))
    return store


def _poll(store: Store, method: str, **kw: object) -> tuple[Poll, list[str]]:
    poll = create_poll(
        store, FAC, "우선순위 <b>", method, options="센터 운영\n독립 공간\n공공구매", **kw
    )
    open_poll(store, FAC, poll.id)
    return poll, [o.id for o in store.list(PollOption, order_by="position", poll_id=poll.id)]


def test_dot_ballot_clicks_confirmation_and_too_many(store: Store) -> None:
    poll, ids = _poll(store, "dots", dots=3)
    view = BallotView(store, KIM, poll.id)
    assert "&lt;b&gt;" in view.header.value  # the title is escaped
    assert "스티커 3개" in view.instruction.value
    row = view.controls.children[0]
    name, buttons = row.children
    minus, count, plus = buttons.children
    assert name.value == "센터 운영" and plus.layout.min_height == "48px"
    # "+" alone says nothing to a screen reader: the tooltip names the option
    assert (minus.tooltip, plus.tooltip) == (
        "센터 운영: 스티커 하나 떼기",
        "센터 운영: 스티커 하나 붙이기",
    )
    plus.click()
    plus.click()
    plus.click()
    minus.click()
    assert ">2<" in count.value
    view.controls.children[1].children[1].children[2].click()
    assert "남은 스티커 0개" in view.left.value
    view.submit.click()
    assert "투표가 저장되었습니다" in view.message.value
    assert view.submit.description.startswith("다시 투표하기")
    plus.click()  # a fourth dot: the page stops at 0 left, never -1
    assert ">2<" in count.value and "남은 스티커 0개" in view.left.value
    assert "모두 붙였습니다" in view.left.value and "-1" not in view.left.value
    view.dot_counts[ids[0]] = 3  # a forged page with four dots: the domain refuses, in Korean
    view.submit.click()
    assert "스티커가 너무 많습니다: 4개 (최대 3개)" in view.message.value
    res = results(store, FAC, poll.id)
    assert {p.option: int(p.score) for p in res.result.ranking} == {ids[0]: 2, ids[1]: 1, ids[2]: 0}
    # the page re-opened later shows the saved ballot
    again = BallotView(store, KIM, poll.id)
    assert again.dot_counts == {ids[0]: 2, ids[1]: 1, ids[2]: 0}


def test_ranked_ballot_taps_in_order(store: Store) -> None:
    poll, ids = _poll(store, "irv")
    view = BallotView(store, LEE, poll.id, lang="en")
    buttons = view.controls.children
    buttons[2].click()
    buttons[0].click()
    assert buttons[2].description == "1. 공공구매" and buttons[0].description == "2. 센터 운영"
    buttons[2].click()  # tap again: removed, the rest move up
    assert buttons[0].description == "1. 센터 운영"
    buttons[2].click()
    view.submit.click()
    assert "Your ballot is saved" in view.message.value
    marks = {(m.option, m.value) for m in view.marks()}
    assert marks == {(ids[0], 1), (ids[2], 2)}


def test_forged_actions_are_refused(store: Store) -> None:
    poll, _ = _poll(store, "score")
    view = BallotView(store, KIM, poll.id)
    picks = [
        c for c in view.controls.children if hasattr(c, "button_style") and hasattr(c, "options")
    ]
    for pick in picks:
        pick.value = 4
    picks[1].value = None  # a forged "no selection"
    view.submit.click()
    assert "독립 공간에 값이 없습니다" in view.message.value
    assert store.counts()["ballots"] == 0
    picks[1].value = 5
    view.submit.click()
    view.submit.click()  # voting twice keeps one ballot
    assert len(store.list(PollBallot)) == 1
    close_poll(store, FAC, poll.id)
    view.submit.disabled = True  # what the page shows after refresh …
    view.submit.click()  # … but a forged click on the disabled button still arrives
    assert "투표가 마감되어 더 이상 투표할 수 없습니다" in view.message.value
    assert view.instruction.value == "<b>투표가 마감되었습니다.</b>"
    # a participant page cannot act as facilitator through the control panel
    panel = PollControl(store, KIM)
    panel.poll.value = poll.id
    panel.steps["reveal"].click()
    assert "진행자 권한이 필요합니다" in panel.message.value
    assert not store.get(Poll, poll.id).results_revealed


def test_results_panel(store: Store) -> None:
    panel = PollResultsPanel(store, FAC)
    assert panel.body.children[0].value == "아직 투표가 없습니다."  # no poll at all
    poll, ids = _poll(store, "score")
    submit = {i: 3 for i in ids}
    from separ.polls import submit_ballot

    submit_ballot(store, KIM, poll.id, submit)
    panel.refresh()
    view, chart = panel.body.children
    assert "우선순위 &lt;b&gt;" in view.table.value and chart.value[:4] == b"\x89PNG"


def test_importance_ballot_uses_the_seed_labels(store: Store) -> None:
    poll, _ = _poll(store, "importance")
    view = BallotView(store, KIM, poll.id)
    pick = view.controls.children[1]
    assert [label for label, _ in pick.options] == ["상", "중상", "중", "하"]


def test_control_panel_creates_opens_papers_and_reveals(store: Store) -> None:
    panel = PollControl(store, FAC)
    panel.title.value = "중장기 전략 우선순위"
    panel.method.value = "borda"
    panel.options_box.value = "센터 운영\n\n독립 공간\n공공구매\n"
    panel.create.click()
    assert "만들었습니다" in panel.message.value
    poll_id = panel.poll.value
    panel.method.value = "criteria"
    panel.criteria_box.value = "시급성=높음"
    panel.create.click()
    assert "가중치는 &#x27;이름=가중치&#x27; 형식의 양수입니다: 시급성=높음" in panel.message.value
    panel.criteria_box.value = ""
    panel.method.value = "borda"
    assert [o.label for o in store.list(PollOption, order_by="position")] == [
        "센터 운영",
        "독립 공간",
        "공공구매",
    ]
    panel.steps["open"].click()
    assert "투표 중" in panel.state.value
    panel.paper.value = "공공구매 > 센터 운영\n독립 공간 > 독립 공간"
    panel.enter.click()
    assert "2번째 투표지: 독립 공간을(를) 두 번 표시했습니다" in panel.message.value
    panel.paper.value = "공공구매 > 센터 운영\n독립 공간=1, 공공구매=2"
    panel.enter.click()
    assert "종이 투표 2장을 입력했습니다" in panel.message.value
    screen = ResultsView(store, LEE, poll_id)
    assert "진행자가 공개하면" in screen.table.value
    preview = ResultsView(store, FAC, poll_id, preview=True)
    assert "공공구매" in preview.table.value
    panel.steps["close"].click()
    panel.steps["reveal"].click()
    screen.refresh()
    # Borda 2-1-0: 공공구매 2+1 = 3, 센터 1 + 0 = 1, 독립 0 + 2 = 2
    assert "<tr><td>1</td><td>공공구매</td><td>3</td>" in screen.table.value
    assert "<tr><td>2</td><td>독립 공간 <b>★⚑</b></td><td>2</td>" in screen.table.value
    assert screen.chart.value[:4] == b"\x89PNG"
    assert "참여 2명 / 2명" in screen.table.value
    # first on one ballot, unranked (shared last) on the other: contested, and its place
    # depends on the method (Schulze and IRV tie it with 공공구매)
    assert "⚑ 의견이 크게 갈린" in screen.table.value


@pytest.fixture
def quiet_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages follow the store through a poller; tests notify it by hand instead."""
    import separ.ui.base as base

    monkeypatch.setattr(base, "FOLLOW_SECONDS", 3600.0)
    monkeypatch.setattr(base, "_hubs", {})


def test_create_and_start_puts_the_poll_live(store: Store, quiet_hub: None) -> None:
    from separ.tokens import live_state

    panel = PollControl(store, FAC)
    panel.title.value = "바로 시작"
    panel.options_box.value = "가\n나"
    panel.method.value = "approval"
    panel.create_open.click()
    poll = store.list(Poll)[0]
    assert poll.status.value == "open"
    state = live_state(store)
    assert (state.activity, state.target_id) == ("voting", poll.id)
    assert "시작했습니다: 바로 시작 (참여자 화면에 띄움)" in panel.message.value


def test_counts_follow_the_store_while_phones_vote(store: Store, quiet_hub: None) -> None:
    from separ.polls import submit_ballot
    from separ.ui.base import hub_for
    from separ.ui.voting import voting_page

    poll, ids = _poll(store, "approval")
    page = voting_page(store, FAC)
    control = page.children[0].children[0]
    assert "투표 0장" in control.state.value
    submit_ballot(store, KIM, poll.id, {ids[0]: 1})
    submit_ballot(store, LEE, poll.id, {ids[1]: 1})
    hub_for(store).notify()  # what the poller does when the store's revision moved
    assert "투표 2장" in control.state.value
    assert control.poll.options[0][0] == "우선순위 <b> · 투표 중 · 2장"


def test_reveal_while_open_needs_a_second_click_and_no_ballots_says_so(
    store: Store, quiet_hub: None
) -> None:
    from separ.polls import submit_ballot

    poll, ids = _poll(store, "approval")
    panel = PollControl(store, FAC)
    panel.steps["reveal"].click()
    assert panel.confirm.layout.display is None  # the warning shows, nothing revealed
    assert "아직 투표하지 않은 분들이" in panel.warning.value
    panel.reveal_anyway.click()
    assert "아직 투표가 없습니다" in panel.message.value
    assert not store.get(Poll, poll.id).results_revealed
    screen = ResultsView(store, FAC, poll.id, preview=True)
    assert "아직 투표가 없습니다." in screen.table.value and "1위" not in screen.table.value
    submit_ballot(store, KIM, poll.id, {ids[2]: 1})
    panel.steps["reveal"].click()
    panel.cancel.click()
    assert panel.confirm.layout.display == "none"
    assert not store.get(Poll, poll.id).results_revealed
    panel.steps["reveal"].click()
    panel.reveal_anyway.click()
    assert store.get(Poll, poll.id).results_revealed
    assert "결과를 공개했습니다" in panel.message.value


def test_top_places_go_into_the_roadmap_with_a_preview(store: Store) -> None:
    from separ import roadmap
    from separ.polls import submit_ballot
    from separ.ui.voting import VoteCarryPanel

    poll, ids = _poll(store, "approval")
    submit_ballot(store, KIM, poll.id, {ids[0]: 1, ids[2]: 1})
    submit_ballot(store, LEE, poll.id, {ids[2]: 1})
    close_poll(store, FAC, poll.id)
    strategy = roadmap.add_strategy(store, FAC, "2", "판로")
    panel = VoteCarryPanel(store, FAC)
    panel.top.value = 1
    # 공공구매 2 votes (1st), 센터 운영 1, 독립 공간 0
    assert "공공구매" in panel.preview.value and "센터 운영" not in panel.preview.value
    panel.top.value = 2
    assert "센터 운영" in panel.preview.value and "예" in panel.preview.value
    panel.go.click()
    assert "2개를 옮겼습니다" in panel.message.value
    tasks = store.list(roadmap.Task, strategy_id=strategy.id)
    assert [(t.code, t.title, t.priority_poll_id) for t in tasks] == [
        ("2-1", "공공구매", poll.id),
        ("2-2", "센터 운영", poll.id),
    ]
    assert panel.go.disabled  # both carried: nothing new to make
    assert "아니요" in panel.preview.value
