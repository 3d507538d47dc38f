"""Carrying results forward: previews and one-transaction carries, with hand-made numbers.

The vote: approval, five voters; 가 gets 4, 나 3, 다 3, 라 1 (hand-counted below), so
the top 2 places hold 가 (1st) and 나, 다 tied for 2nd: three options, ties shown.
"""

from __future__ import annotations

import pytest

from separ import carry, polls, roadmap
from separ import context as cx
from separ import delphi as dp
from separ import indicators as ind
from separ.actors import Actor
from separ.errors import SeparError
from separ.model import Participant, Workshop
from separ.store import Store

FAC = Actor.facilitator_actor()


def person(n: int) -> Actor:
    return Actor(participant_id=f"p{n}", display_name=f"참여자{n}")


@pytest.fixture
def store() -> Store:
    s = Store.memory()
    s.add(Workshop(title="이월 연습", region="서산시"))
    for i in range(5):
        s.add(Participant(id=f"p{i}", name=f"참여자{i}"))
    cx.NOTE_RATE._seen.clear()
    return s


def _voted(store: Store) -> str:
    poll = polls.create_poll(
        store,
        FAC,
        "우선 과제",
        "approval",
        options=["가 공동판로", "나 교육", "다 공간", "라 기금"],
    )
    ids = {o.label[0]: o.id for o in store.list(polls.PollOption, poll_id=poll.id)}
    polls.open_poll(store, FAC, poll.id)
    picks = ["가나", "가다", "가나다", "가라", "나다"]
    for n, chosen in enumerate(picks):
        polls.submit_ballot(store, person(n), poll.id, {ids[c]: 1 for c in chosen})
    polls.close_poll(store, FAC, poll.id)
    return poll.id


def test_chosen_notes_become_options_of_a_new_poll(store: Store) -> None:
    pest = cx.add_board(store, FAC, "pest", "PEST")
    a = cx.add_note(store, person(0), pest.id, "political", "조례 제정\n  필요")
    b = cx.add_note(store, person(1), pest.id, "economic", "공동 판로 부족")
    c = cx.add_note(store, person(2), pest.id, "economic", "공동 판로 부족")  # same words
    preview = carry.notes_preview(store, [a.id, b.id, c.id])
    assert [(p.label, p.detail, p.already) for p in preview] == [
        ("조례 제정 필요", "정치", False),
        ("공동 판로 부족", "경제", False),
        ("공동 판로 부족", "경제", True),
    ]
    poll = carry.notes_to_poll(store, FAC, [a.id, b.id, c.id], title="브레인스토밍 투표")
    options = store.list(polls.PollOption, order_by="position", poll_id=poll.id)
    assert [(o.label, o.source_kind, o.source_id) for o in options] == [
        ("조례 제정 필요", polls.OptionSource.note, a.id),
        ("공동 판로 부족", polls.OptionSource.note, b.id),
    ]
    assert poll.status == polls.PollStatus.draft and poll.method == polls.PollMethod.dots
    # a second carry into the same poll adds nothing twice
    with pytest.raises(SeparError) as again:
        carry.notes_to_poll(store, FAC, [a.id, b.id], poll_id=poll.id)
    assert again.value.message("ko") == "고른 항목은 모두 이미 옮겨졌습니다"
    with pytest.raises(SeparError, match="facilitator"):
        carry.notes_to_poll(store, person(0), [a.id], title="x")
    with pytest.raises(SeparError) as empty:
        carry.notes_to_poll(store, FAC, [], title="x")
    assert empty.value.key == "carry_nothing"
    assert len(store.list(polls.Poll)) == 1  # the refused carries wrote nothing


def test_tows_strategies_become_options(store: Store) -> None:
    swot = cx.add_board(store, FAC, "swot", "SWOT")
    s = cx.add_note(store, person(0), swot.id, "strengths", "협동조합 경험")
    o = cx.add_note(store, person(1), swot.id, "opportunities", "공공구매 확대")
    w = cx.add_note(store, person(2), swot.id, "weaknesses", "인력 부족")
    so = cx.add_strategy(store, FAC, swot.id, "공공구매 공동 대응", [s.id, o.id])
    wo = cx.add_strategy(store, FAC, swot.id, "공동 채용", [w.id, o.id])
    preview = carry.strategies_preview(store)
    assert [(p.label, p.detail) for p in preview] == [
        ("SO · 공공구매 공동 대응", "SO"),
        ("WO · 공동 채용", "WO"),
    ]
    poll = polls.create_poll(store, FAC, "전략 투표", "borda", options=["기존 선택지"])
    carry.strategies_to_poll(store, FAC, [wo.id], poll_id=poll.id)
    options = store.list(polls.PollOption, order_by="position", poll_id=poll.id)
    assert [(o.label, o.position, o.source_id) for o in options] == [
        ("기존 선택지", 0, None),
        ("WO · 공동 채용", 1, wo.id),
    ]
    assert [p.already for p in carry.strategies_preview(store, poll_id=poll.id)] == [False, True]
    polls.add_options(store, FAC, poll.id, ["하나 더"])
    polls.open_poll(store, FAC, poll.id)
    with pytest.raises(SeparError) as started:
        carry.strategies_to_poll(store, FAC, [so.id], poll_id=poll.id)
    assert started.value.key == "poll_not_draft"


def test_top_places_with_ties_become_tasks_recording_the_vote(store: Store) -> None:
    poll_id = _voted(store)
    preview = carry.votes_preview(store, poll_id, top=2)
    # 가 4 votes; 나 3, 다 3 share 2nd; 라 (1) is out
    assert [(p.label, p.rank, p.tied, p.detail) for p in preview] == [
        ("가 공동판로", 1, False, "1위 · 점수 4"),
        ("나 교육", 2, True, "공동 2위 · 점수 3"),
        ("다 공간", 2, True, "공동 2위 · 점수 3"),
    ]
    with pytest.raises(SeparError) as no_strategy:
        carry.votes_to_roadmap(store, FAC, poll_id, 2)
    assert no_strategy.value.key == "carry_needs_strategy"
    strategy = roadmap.add_strategy(store, FAC, "S1", "연대와 협력")
    roadmap.add_task(store, FAC, strategy.id, "S1-1", "이미 있던 과제")
    tasks = carry.votes_to_roadmap(store, FAC, poll_id, 2, strategy_id=strategy.id)
    assert [(t.code, t.title, t.order) for t in tasks] == [
        ("S1-2", "가 공동판로", 1),
        ("S1-3", "나 교육", 2),
        ("S1-4", "다 공간", 3),
    ]
    options = {o.label: o.id for o in store.list(polls.PollOption, poll_id=poll_id)}
    assert all(t.priority_poll_id == poll_id for t in tasks)
    assert [t.priority_option_id for t in tasks] == [
        options["가 공동판로"],
        options["나 교육"],
        options["다 공간"],
    ]
    assert carry.vote_origin(store, tasks[2]) == "투표 「우선 과제」 공동 2위로 선정"
    assert carry.vote_origin(store, tasks[0], "en") == "chosen by the poll “우선 과제” (#1)"
    # places are shared ranks (1, 2, 2, 4): top 3 adds nothing, top 4 brings 라 alone
    assert [p.already for p in carry.votes_preview(store, poll_id, top=3)] == [True] * 3
    assert [p.already for p in carry.votes_preview(store, poll_id, top=4)] == [
        True,
        True,
        True,
        False,
    ]
    more = carry.votes_to_roadmap(store, FAC, poll_id, 4, strategy_id=strategy.id)
    assert [t.title for t in more] == ["라 기금"]
    with pytest.raises(SeparError) as bad:
        carry.votes_preview(store, poll_id, top=0)
    assert bad.value.key == "carry_bad_top"


def test_top_places_become_strategies_with_their_origin(store: Store) -> None:
    poll_id = _voted(store)
    made = carry.votes_to_roadmap(store, FAC, poll_id, 1, into="strategies")
    assert [(s.code, s.title, s.notes) for s in made] == [
        ("1", "가 공동판로", "투표 「우선 과제」 1위로 선정")
    ]
    assert carry.votes_preview(store, poll_id, 1, into="strategies")[0].already


def test_kept_delphi_items_become_indicators(store: Store) -> None:
    study = dp.create_study(store, FAC, "지표 델파이")
    items = {code: dp.add_item(store, FAC, study.id, code, f"지표 {code}") for code in ("I1", "I2")}
    dp.set_round(store, FAC, study.id, 1, True)
    # I1: all five suitable, importance 6,6,7,5,6 → median 6 (kept: ≥ 5 and share 100%)
    # I2: 2 of 5 suitable → 40% (dropped)
    for n, (imp1, ok2) in enumerate([(6, 1), (6, 0), (7, 1), (5, 0), (6, 0)]):
        actor = person(n)
        dp.add_panellist(store, FAC, study.id, f"패널{n}", None, f"p{n}")
        dp.respond(store, actor, study.id, items["I1"].id, True, imp1)
        dp.respond(store, actor, study.id, items["I2"].id, bool(ok2), 4)
    preview = carry.delphi_preview(store, study.id)
    assert [(p.label, p.detail, p.already) for p in preview] == [
        ("지표 I1", "적합 100% · 중요도 중앙값 6", False)
    ]
    with pytest.raises(SeparError) as no_purpose:
        carry.delphi_to_indicators(store, FAC, study.id, None)
    assert no_purpose.value.key == "carry_needs_purpose"
    purpose = ind.add_purpose(store, FAC, "P1", "지역 연대")
    made = carry.delphi_to_indicators(store, FAC, study.id, purpose.id)
    assert [(i.code, i.name, i.purpose_id) for i in made] == [("P1-1", "지표 I1", purpose.id)]
    assert store.get(dp.DelphiItem, items["I1"].id).indicator_id == made[0].id
    assert carry.delphi_preview(store, study.id)[0].already
    with pytest.raises(SeparError) as again:
        carry.delphi_to_indicators(store, FAC, study.id, purpose.id)
    assert again.value.key == "carry_all_done"


def test_reveal_after_close_or_with_confirmation_and_never_without_ballots(store: Store) -> None:
    poll = polls.create_poll(store, FAC, "공개 시험", "approval", options=["가", "나"])
    polls.open_poll(store, FAC, poll.id)
    with pytest.raises(SeparError) as empty:
        polls.reveal_results(store, FAC, poll.id, confirm=True)
    assert empty.value.message("ko") == "아직 투표가 없습니다"
    first = store.list(polls.PollOption, poll_id=poll.id)[0].id
    polls.submit_ballot(store, person(0), poll.id, {first: 1})
    with pytest.raises(SeparError) as still_open:
        polls.reveal_results(store, FAC, poll.id)
    assert still_open.value.key == "poll_reveal_open"
    assert not store.get(polls.Poll, poll.id).results_revealed
    assert polls.reveal_results(store, FAC, poll.id, confirm=True).results_revealed
    other = polls.create_poll(store, FAC, "마감 후", "approval", options=["가", "나"])
    polls.open_poll(store, FAC, other.id)
    polls.close_poll(store, FAC, other.id)
    with pytest.raises(SeparError):
        polls.reveal_results(store, FAC, other.id)  # closed, but no ballots
    res = polls.results(store, FAC, other.id)
    assert polls.no_ballots(res)


def test_the_report_task_plan_says_which_vote_chose_the_task(store: Store) -> None:
    from separ.report.stages import tasks as task_plans

    poll_id = _voted(store)
    strategy = roadmap.add_strategy(store, FAC, "S1", "연대와 협력")
    carry.votes_to_roadmap(store, FAC, poll_id, 2, strategy_id=strategy.id)
    roadmap.add_task(store, FAC, strategy.id, "S1-9", "직접 쓴 과제")
    section = task_plans(store, "ko")
    assert section is not None
    frames = [b.frame for b in section.blocks if hasattr(b, "frame")]
    rows = [dict(zip(f.iloc[:, 0], f.iloc[:, 1], strict=True)) for f in frames]
    assert [r.get("선정 근거") for r in rows] == [
        "투표 「우선 과제」 1위로 선정",
        "투표 「우선 과제」 공동 2위로 선정",
        "투표 「우선 과제」 공동 2위로 선정",
        None,
    ]
