"""Polls in the store: lifecycle, rights, validation, anonymity, paper ballots, concurrency."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from separ.actors import Actor
from separ.document import to_document, write_json
from separ.errors import SeparError
from separ.excel import write_xlsx
from separ.model import Participant, Workshop
from separ.polls import (
    BallotMark,
    Poll,
    PollBallot,
    PollCriterion,
    PollOption,
    add_options,
    carry_over,
    close_poll,
    create_poll,
    delete_paper_ballot,
    enter_paper_ballots,
    my_ballot,
    open_poll,
    ranking_frame,
    results,
    reveal_results,
    submit_ballot,
)
from separ.store import Store
from separ.workspace import import_file

FAC = Actor.facilitator_actor()


def person(n: int) -> Actor:
    return Actor(participant_id=f"p{n}", display_name=f"참여자{n}")


def _store(n_people: int = 5) -> Store:
    store = Store.memory()
    with store.transaction() as tx:
        tx.add(Workshop(title="투표 연습", region="서산시"))
        for i in range(n_people):
            tx.add(Participant(id=f"p{i}", name=f"참여자{i}"))
    return store


def _options(store: Store, poll: Poll) -> list[str]:
    return [o.id for o in store.list(PollOption, order_by="position", poll_id=poll.id)]


def test_lifecycle_and_rights() -> None:
    store = _store()
    with pytest.raises(SeparError, match="facilitator rights"):
        create_poll(store, person(1), "몰래 만든 투표", "dots")
    poll = create_poll(store, FAC, "우선순위", "dots", options="공공구매 연구\n\n  독립 공간  \n")
    assert [o.label for o in store.list(PollOption, order_by="position")] == [
        "공공구매 연구",
        "독립 공간",
    ]
    add_options(store, FAC, poll.id, "지원센터 운영\n네트워크 활성화")
    opts = _options(store, poll)
    assert len(opts) == 4
    with pytest.raises(SeparError, match="voting has not started yet"):
        submit_ballot(store, person(1), poll.id, {opts[0]: 1})
    with pytest.raises(SeparError, match="facilitator rights"):
        open_poll(store, person(1), poll.id)
    open_poll(store, FAC, poll.id)
    with pytest.raises(SeparError, match="only change before voting starts"):
        add_options(store, FAC, poll.id, "늦은 선택지")
    receipt = submit_ballot(store, person(1), poll.id, {opts[0]: 2, opts[1]: 1})
    assert not receipt.replaced
    again = submit_ballot(store, person(1), poll.id, {opts[2]: 3})
    assert again.replaced and again.ballot_id == receipt.ballot_id  # the receipt stays
    assert my_ballot(store, person(1), poll.id) == {(opts[2], None): 3.0}
    with pytest.raises(SeparError, match="has not revealed"):
        results(store, person(1), poll.id)
    close_poll(store, FAC, poll.id)
    with pytest.raises(SeparError) as closed:
        submit_ballot(store, person(2), poll.id, {opts[0]: 1})
    assert closed.value.message("ko") == "투표가 마감되어 더 이상 투표할 수 없습니다"
    with pytest.raises(SeparError, match="only a draft poll can be opened"):
        open_poll(store, FAC, poll.id)
    with pytest.raises(SeparError, match="only an open poll can be closed"):
        close_poll(store, FAC, poll.id)
    reveal_results(store, FAC, poll.id)
    res = results(store, person(1), poll.id)
    assert res.result.winner == opts[2] and res.online == 1 and res.eligible == 5
    assert store.counts()["ballots"] == 1


def test_validation_messages_in_both_languages() -> None:
    store = _store()
    poll = create_poll(store, FAC, "순위", "borda", options=["가", "나", "다"])
    a, b, _ = _options(store, poll)
    open_poll(store, FAC, poll.id)
    cases = [
        ({a: 1, b: 1}, "rank 1 is used twice", "1순위를 두 번 썼습니다"),
        ({a: None}, "no value for", "값이 없습니다"),
        ({"zzz": 1}, "unknown option: zzz", "없는 선택지입니다"),
        ({a: 1, b: 3}, "without gaps", "빠짐없이"),
    ]
    for marks, en, ko in cases:
        with pytest.raises(SeparError) as err:
            submit_ballot(store, person(1), poll.id, marks)
        assert en in err.value.message("en") and ko in err.value.message("ko")
    anonymous = Actor(participant_id=None, display_name="손님")
    with pytest.raises(SeparError, match="signed-in participant"):
        submit_ballot(store, anonymous, poll.id, {a: 1})
    stranger = Actor(participant_id="nobody", display_name="?")
    with pytest.raises(SeparError, match="no such participant"):
        submit_ballot(store, stranger, poll.id, {a: 1})
    assert store.counts()["ballots"] == 0
    dots = create_poll(store, FAC, "스티커", "dots", options=["가", "나"], dots=3, cap=2)
    x, y = _options(store, dots)
    open_poll(store, FAC, dots.id)
    with pytest.raises(SeparError, match="too many dots"):
        submit_ballot(store, person(1), dots.id, {x: 2, y: 2})
    with pytest.raises(SeparError, match="at most 2 per option"):
        submit_ballot(store, person(1), dots.id, {x: 3})


def test_a_zero_score_is_kept() -> None:
    store = _store()
    poll = create_poll(store, FAC, "영점", "score", options=["가", "나"], score_min=-2, score_max=2)
    a, b = _options(store, poll)
    open_poll(store, FAC, poll.id)
    submit_ballot(store, person(1), poll.id, {a: 0, b: 0})
    submit_ballot(store, person(2), poll.id, {a: -2, b: 0})
    res = results(store, FAC, poll.id)
    assert [(res.label(p.option), float(p.score)) for p in res.result.ranking] == [
        ("나", 0.0),
        ("가", -1.0),
    ]


def test_open_needs_options_and_criteria() -> None:
    store = _store()
    one = create_poll(store, FAC, "하나", "approval", options=["혼자"])
    with pytest.raises(SeparError, match="at least two options"):
        open_poll(store, FAC, one.id)
    crit = create_poll(store, FAC, "기준 없음", "criteria", options=["가", "나"])
    with pytest.raises(SeparError, match="needs criteria"):
        open_poll(store, FAC, crit.id)


def test_criteria_poll_counts_with_weights() -> None:
    store = _store()
    poll = create_poll(
        store,
        FAC,
        "다기준",
        "criteria",
        options=["가", "나"],
        criteria={"시급성": 2, "실현가능성": 1},
    )
    a, b = _options(store, poll)
    crits = {c.name: c.id for c in store.list(PollCriterion)}
    open_poll(store, FAC, poll.id)
    submit_ballot(
        store,
        person(1),
        poll.id,
        [
            (a, 5, crits["시급성"]),
            (a, 2, crits["실현가능성"]),
            (b, 3, crits["시급성"]),
            (b, 5, crits["실현가능성"]),
        ],
    )
    res = results(store, FAC, poll.id)
    assert [(res.label(p.option), float(p.score)) for p in res.result.ranking] == [
        ("가", 4.0),
        ("나", pytest.approx(11 / 3)),
    ]
    assert res.moved == {a, b}  # unweighted, 나 would win


def test_anonymous_exports_keep_no_link_to_people(tmp_path: Path) -> None:
    store = _store(6)
    poll = create_poll(store, FAC, "무기명", "approval", options=["가", "나"], anonymous=True)
    a, b = _options(store, poll)
    open_poll(store, FAC, poll.id)
    for i in range(6):
        submit_ballot(store, person(i), poll.id, {a: 1} if i % 2 else {a: 1, b: 1})
    submit_ballot(store, person(0), poll.id, {b: 1})  # replaced, not added
    assert store.counts()["ballots"] == 6
    # the keyed hash still refuses a duplicate while the poll is open
    with pytest.raises(SeparError), store.transaction() as tx:
        first = tx.find(PollBallot)[0]
        tx.add(PollBallot(poll_id=poll.id, voter_key=first.voter_key))
    close_poll(store, FAC, poll.id)
    write_json(store, tmp_path / "ws.json")
    write_xlsx(store, tmp_path / "ws.xlsx")
    doc = json.loads((tmp_path / "ws.json").read_text(encoding="utf-8"))
    ballots_text = json.dumps(doc["ballots"] + doc["ballot_marks"], ensure_ascii=False)
    for i in range(6):
        assert f'"p{i}"' not in ballots_text
        assert all(f"p{i}" != b["voter_key"] for b in doc["ballots"])
    # after closing the secret is gone: not even the store can find p1's ballot again
    assert my_ballot(store, person(1), poll.id) == {}
    res = results(store, FAC, poll.id)
    assert {res.label(p.option): int(p.score) for p in res.result.ranking} == {"가": 5, "나": 3}


def test_named_poll_records_who_voted() -> None:
    store = _store()
    poll = create_poll(store, FAC, "기명", "approval", options=["가", "나"])
    a, _ = _options(store, poll)
    open_poll(store, FAC, poll.id)
    submit_ballot(store, person(3), poll.id, {a: 1})
    assert [b.voter_key for b in store.list(PollBallot)] == ["p3"]


def test_paper_ballots_and_tally_sheet() -> None:
    store = _store()
    poll = create_poll(store, FAC, "혼합", "dots", options=["가", "나"], dots=2)
    a, b = _options(store, poll)
    with pytest.raises(SeparError, match="voting has not started yet"):
        enter_paper_ballots(store, FAC, poll.id, [{a: 1}])
    open_poll(store, FAC, poll.id)
    with pytest.raises(SeparError, match="facilitator rights"):
        enter_paper_ballots(store, person(1), poll.id, [{a: 2}])
    submit_ballot(store, person(1), poll.id, {a: 2})
    receipts = enter_paper_ballots(store, FAC, poll.id, [{b: 2}, {a: 1, b: 1}])
    with pytest.raises(SeparError, match="#2: too many dots"):
        enter_paper_ballots(store, FAC, poll.id, [{a: 1}, {a: 2, b: 1}])
    # a wall chart standing for 3 people: up to 6 dots
    enter_paper_ballots(store, FAC, poll.id, [{a: 4, b: 2}], voters=3, note="벽 차트")
    assert store.counts()["ballots"] == 4  # the failed batch wrote nothing
    res = results(store, FAC, poll.id)
    assert (res.online, res.paper) == (1, 5)
    assert {res.label(p.option): int(p.score) for p in res.result.ranking} == {"가": 7, "나": 5}
    assert all(b.paper for b in store.list(PollBallot) if b.voter_key.startswith("paper-"))
    delete_paper_ballot(store, FAC, receipts[0].ballot_id)
    online = next(b for b in store.list(PollBallot) if not b.paper)
    with pytest.raises(SeparError, match="only paper ballots"):
        delete_paper_ballot(store, FAC, online.id)
    assert store.counts()["ballot_marks"] == 1 + 2 + 2  # marks went with their ballot


def test_results_frame_and_carry_over() -> None:
    store = _store()
    poll = create_poll(store, FAC, "순위", "irv", options=["가", "나", "다"])
    a, b, c = _options(store, poll)
    open_poll(store, FAC, poll.id)
    for i, order in enumerate([(a, b, c), (a, c, b), (b, c, a), (c, b, a), (b, a, c)]):
        submit_ballot(store, person(i), poll.id, {o: r + 1 for r, o in enumerate(order)})
    close_poll(store, FAC, poll.id)
    res = results(store, FAC, poll.id)
    # first preferences 가 2, 나 2, 다 1 -> 다 out, its ballot goes to 나: 나 3, 가 2
    assert res.result.winner == b
    frame = ranking_frame(res, "ko")
    assert list(frame["선택지"]) == ["나", "가", "다"]
    assert "순위: 1순위 득표" in frame.columns and "의견 갈림" in frame.columns
    chosen = carry_over(store, poll.id, top=1)
    assert len(chosen) == 1
    assert chosen[0]["label"] == "나" and chosen[0]["priority"] == 1
    assert chosen[0]["vote"]["method"] == "irv" and chosen[0]["vote"]["ballots"] == 5
    assert chosen[0]["source_kind"] == "typed"


def test_polls_survive_json_and_excel(tmp_path: Path) -> None:
    store = _store()
    poll = create_poll(store, FAC, "왕복", "score", options=["가", "나"], score_min=1, score_max=5)
    a, b = _options(store, poll)
    open_poll(store, FAC, poll.id)
    submit_ballot(store, person(1), poll.id, {a: 4, b: 2})
    first = to_document(store)
    write_xlsx(store, tmp_path / "w.xlsx")
    with import_file(tmp_path / "ws", tmp_path / "w.xlsx") as again:
        assert to_document(again) == first
        assert [m.value for m in again.list(BallotMark)] == [4.0, 2.0]


def _vote_twice(
    store: Store, poll_id: str, opts: list[str], n: int, start: threading.Barrier
) -> None:
    start.wait()
    submit_ballot(store, person(n), poll_id, {opts[n % 3]: 3})
    submit_ballot(store, person(n), poll_id, {opts[n % 3]: 1, opts[(n + 1) % 3]: 2})


@pytest.mark.slow
def test_hundred_participants_submit_and_resubmit_at_once(
    tmp_path: Path, db_url: str | None
) -> None:
    people = 100
    with Store.open(tmp_path / "ws", db_url, create=True) as store:
        with store.transaction() as tx:
            tx.add(Workshop(title="동시 투표", region="서산시"))
            for i in range(people):
                tx.add(Participant(id=f"p{i}", name=f"참여자{i}"))
        poll = create_poll(store, FAC, "동시", "dots", options=["가", "나", "다"], dots=3)
        opts = _options(store, poll)
        open_poll(store, FAC, poll.id)
        start = threading.Barrier(people)
        with ThreadPoolExecutor(max_workers=people) as pool:
            futures = [
                pool.submit(_vote_twice, store, poll.id, opts, n, start) for n in range(people)
            ]
            for f in futures:
                f.result(timeout=240)
        close_poll(store, FAC, poll.id)
        ballots = store.list(PollBallot)
        assert sorted(b.voter_key for b in ballots) == sorted(f"p{i}" for i in range(people))
        assert store.counts()["ballot_marks"] == 2 * people
        res = results(store, FAC, poll.id)
    # every final ballot once: 1 dot on opts[n%3] and 2 on opts[(n+1)%3]
    expected = {o: 0 for o in opts}
    for n in range(people):
        expected[opts[n % 3]] += 1
        expected[opts[(n + 1) % 3]] += 2
    assert {p.option: int(p.score) for p in res.result.ranking} == expected
    assert res.result.ballots == people


def test_seosan_sample_importance_ratings() -> None:
    from separ.workspace import open_workshop
    from tests.conftest import SAMPLES

    with open_workshop(SAMPLES["seosan"]) as store:
        res = results(store, person(1), "poll-seosan-importance")  # revealed: anyone sees it
        chosen = carry_over(store, "poll-seosan-importance")
    # 〈표 4-22〉: 상 x 8, 중상 x 4 (⑦⑫⑬⑭), 중 x 1 (⑧); one paper record of the group's rating
    ranks = [(res.label(p.option)[0], p.rank, int(p.score)) for p in res.result.ranking]
    assert ranks == [
        ("①", 1, 4),
        ("②", 1, 4),
        ("③", 1, 4),
        ("④", 1, 4),
        ("⑤", 1, 4),
        ("⑥", 1, 4),
        ("⑨", 1, 4),
        ("⑪", 1, 4),
        ("⑦", 9, 3),
        ("⑫", 9, 3),
        ("⑬", 9, 3),
        ("⑭", 9, 3),
        ("⑧", 13, 2),
    ]
    assert res.result.winner is None and (res.online, res.paper) == (0, 1)
    assert len(chosen) == 13 and chosen[0]["vote"]["paper"] == 1
    with open_workshop(SAMPLES["nonsan"]) as store:
        assert store.counts()["polls"] == 0  # the seed has no vote data for Nonsan
