"""Context analysis: boards, notes, the facilitator's tidying actions, TOWS pairing."""

from __future__ import annotations

from pathlib import Path

import pytest

from separ import context as cx
from separ.actors import Actor
from separ.context import BoardKind, Category, NoteStatus, TowsKind
from separ.errors import SeparError
from separ.model import Participant, Workshop
from separ.store import Store
from separ.workspace import open_workshop

FAC = Actor.facilitator_actor()


@pytest.fixture
def store() -> Store:
    s = Store.memory()
    s.add(Workshop(title="테스트", region="논산시"))
    s.add(Participant(id="p1", name="김민지"))
    s.add(Participant(id="p2", name="이서준"))
    cx.NOTE_RATE._seen.clear()
    return s


@pytest.fixture
def swot(store: Store) -> cx.Board:
    return cx.add_board(store, FAC, "swot", "SWOT")


def person(pid: str | None) -> Actor:
    return Actor(participant_id=pid, display_name=pid or "익명")


def test_categories_belong_to_the_board_kind(store: Store) -> None:
    pest = cx.add_board(store, FAC, "PEST 환경분석", "PEST")  # a label works like a code
    pestle = cx.add_board(store, FAC, "pestle", "PESTLE")
    assert pest.kind == BoardKind.pest
    note = cx.add_note(store, person("p1"), pest.id, "정치", "조례 제정")
    assert note.category == Category.political and note.author_id == "p1"
    with pytest.raises(SeparError) as err:
        cx.add_note(store, person("p1"), pest.id, "legal", "법 개정")
    assert err.value.key == "context_wrong_category"
    assert "정치" in err.value.message("ko")
    assert cx.add_note(store, person("p1"), pestle.id, "법", "법 개정").category == Category.legal
    with pytest.raises(SeparError):
        cx.add_note(store, person("p1"), pest.id, "strengths", "강점")


def test_default_boards_open_once(store: Store) -> None:
    with pytest.raises(SeparError):
        cx.default_boards(store, person("p1"))  # opening boards is the facilitator's
    pest, swot = cx.default_boards(store, FAC)
    assert (pest.kind, pest.title, swot.kind, swot.title) == (
        BoardKind.pest,
        "환경분석(PEST)",
        BoardKind.swot,
        "SWOT 분석",
    )
    assert cx.default_boards(store, FAC) == (pest, swot)
    assert len(store.list(cx.Board)) == 2


def test_forged_values_are_refused(store: Store, swot: cx.Board) -> None:
    p = person("p1")
    cases: list[tuple[object, object, object, str]] = [
        (swot.id, None, "글", "context_pick_category"),
        (swot.id, "nonsense", "글", "context_wrong_category"),
        (swot.id, "strengths", None, "context_not_text"),
        (swot.id, "strengths", 12, "context_not_text"),
        (swot.id, "strengths", "   ", "context_empty"),
        (swot.id, "strengths", "가" * (cx.NOTE_MAX + 1), "too_long"),
        (None, "strengths", "글", "not_found"),
        ("no-such-board", "strengths", "글", "not_found"),
    ]
    for board_id, category, text, key in cases:
        with pytest.raises(SeparError) as err:
            cx.add_note(store, p, board_id, category, text)
        assert err.value.key == key, (category, text)
    with pytest.raises(SeparError) as err:
        cx.add_note(store, p, swot.id, "strengths", "글", source="x" * (cx.SOURCE_MAX + 1))
    assert err.value.key == "too_long"
    assert store.list(cx.Note) == []
    exact = cx.add_note(store, p, swot.id, "strengths", "  " + "가" * cx.NOTE_MAX + " ")
    assert len(exact.text) == cx.NOTE_MAX


def test_rate_limit_and_per_author_cap(store: Store, swot: cx.Board) -> None:
    p = person("p1")
    for i in range(cx.RATE_COUNT):
        cx.add_note(store, p, swot.id, "strengths", f"의견 {i}")
    with pytest.raises(SeparError) as err:
        cx.add_note(store, p, swot.id, "strengths", "하나 더")
    assert err.value.key == "context_too_fast"
    assert len(store.list(cx.Note)) == cx.RATE_COUNT
    # another person is not slowed down by p1, nor is one anonymous page by another
    cx.add_note(store, person("p2"), swot.id, "threats", "위협")
    anon_a, anon_b = person(None), person(None)
    assert anon_a == anon_b  # same display name: equal Actors, yet separate pages
    for i in range(cx.RATE_COUNT):
        cx.add_note(store, anon_a, swot.id, "threats", f"익명 {i}")
    with pytest.raises(SeparError):
        cx.add_note(store, anon_a, swot.id, "threats", "하나 더")
    cx.add_note(store, anon_b, swot.id, "threats", "다른 사람")
    # the window slides
    limit = cx.RateLimit(2, 10.0)
    limit.check("k", now=0.0)
    limit.check("k", now=1.0)
    with pytest.raises(SeparError):
        limit.check("k", now=9.9)
    limit.check("k", now=10.0)
    # the per-board cap counts stored notes, whatever the process
    cx.NOTE_RATE._seen.clear()
    with store.transaction() as tx:
        for i in range(cx.NOTES_PER_AUTHOR - cx.RATE_COUNT):
            tx.add(cx.Note(board_id=swot.id, category="weaknesses", text=f"w{i}", author_id="p1"))
    with pytest.raises(SeparError) as err:
        cx.add_note(store, p, swot.id, "weaknesses", "마지막")
    assert err.value.key == "context_too_many"


def test_notes_get_column_order_and_anonymous_author(store: Store, swot: cx.Board) -> None:
    a = cx.add_note(store, person(None), swot.id, "strengths", "첫째")
    b = cx.add_note(store, person("p1"), swot.id, "strengths", "둘째")
    c = cx.add_note(store, person("p1"), swot.id, "threats", "위협")
    assert (a.order, b.order, c.order) == (0, 1, 0)
    assert a.author_id is None
    assert [n.text for n in cx.board_notes(store, swot.id)] == ["첫째", "둘째", "위협"]


def test_facilitator_only_actions_are_refused_to_participants(store: Store, swot: cx.Board) -> None:
    p = person("p1")
    s = cx.add_note(store, p, swot.id, "strengths", "강점")
    o = cx.add_note(store, p, swot.id, "opportunities", "기회")
    s2 = cx.add_note(store, p, swot.id, "strengths", "강점 2")
    attempts = [
        lambda: cx.add_board(store, p, "pest", "내 보드"),
        lambda: cx.edit_note(store, p, s.id, "고침"),
        lambda: cx.move_note(store, p, s.id, "weaknesses"),
        lambda: cx.merge_notes(store, p, s.id, s2.id),
        lambda: cx.hide_note(store, p, s.id),
        lambda: cx.star_note(store, p, s.id),
        lambda: cx.set_cluster(store, p, s.id, "묶음"),
        lambda: cx.reorder_notes(store, p, swot.id, "strengths", [s2.id, s.id]),
        lambda: cx.move_note_by(store, p, s2.id, -1),
        lambda: cx.add_strategy(store, p, swot.id, "전략", [s.id, o.id]),
    ]
    before = store.revision()
    for attempt in attempts:
        with pytest.raises(SeparError) as err:
            attempt()
        assert err.value.key == "facilitator_only"
    assert store.revision() == before
    assert store.get(cx.Note, s.id) == s


def test_edit_move_hide_star(store: Store, swot: cx.Board) -> None:
    a = cx.add_note(store, person("p1"), swot.id, "strengths", "원래 글")
    cx.add_note(store, person("p2"), swot.id, "weaknesses", "약점")
    edited = cx.edit_note(store, FAC, a.id, " 고친 글 ", source="통계", cluster="산업")
    assert (edited.text, edited.source, edited.cluster) == ("고친 글", "통계", "산업")
    edited = cx.edit_note(store, FAC, a.id, "다시 고친 글")  # source and cluster kept
    assert (edited.text, edited.source, edited.cluster) == ("다시 고친 글", "통계", "산업")
    assert cx.edit_note(store, FAC, a.id, "다시 고친 글", source=None).source is None
    assert edited.author_id == "p1"  # editing does not change who wrote it
    moved = cx.move_note(store, FAC, a.id, "약점")
    assert moved.category == Category.weaknesses and moved.order == 1
    with pytest.raises(SeparError):
        cx.move_note(store, FAC, a.id, "political")
    assert cx.star_note(store, FAC, a.id).starred
    with pytest.raises(SeparError):
        cx.star_note(store, FAC, a.id, "yes")
    hidden = cx.hide_note(store, FAC, a.id)
    assert hidden.status == NoteStatus.hidden
    assert [n.text for n in cx.board_notes(store, swot.id)] == ["약점"]
    assert len(cx.board_notes(store, swot.id, include_hidden=True)) == 2
    with pytest.raises(SeparError) as err:
        cx.edit_note(store, FAC, a.id, "숨긴 의견 수정")
    assert err.value.key == "context_not_active"
    assert cx.hide_note(store, FAC, a.id, False).status == NoteStatus.new


def test_merge_keeps_both_authors(store: Store, swot: cx.Board) -> None:
    a = cx.add_note(store, person("p1"), swot.id, "strengths", "대산항")
    b = cx.add_note(store, person("p2"), swot.id, "strengths", "대산항 물동량")
    c = cx.add_note(store, person(None), swot.id, "strengths", "항만")
    cx.star_note(store, FAC, b.id)
    kept = cx.merge_notes(store, FAC, a.id, b.id)
    assert kept.starred  # a star on the duplicate is not lost
    assert store.get(cx.Note, b.id).status == NoteStatus.merged
    assert store.get(cx.Note, b.id).author_id == "p2"
    assert cx.note_authors(store, a.id) == ["p1", "p2"]
    assert [n.id for n in cx.board_notes(store, swot.id)] == [a.id, c.id]
    # merging a survivor moves what was merged into it along
    cx.merge_notes(store, FAC, c.id, a.id)
    assert sorted(cx.note_authors(store, c.id)) == ["p1", "p2"]  # c itself is anonymous
    assert {n.id for n in cx.merged_into(store, c.id)} == {a.id, b.id}
    assert [n.id for n in cx.board_notes(store, swot.id)] == [c.id]
    for into, gone, key in [(c.id, c.id, "context_same_note"), (c.id, b.id, "context_not_active")]:
        with pytest.raises(SeparError) as err:
            cx.merge_notes(store, FAC, into, gone)
        assert err.value.key == key
    other = cx.add_board(store, FAC, "swot", "다른 보드")
    d = cx.add_note(store, FAC, other.id, "strengths", "다른 보드 의견")
    with pytest.raises(SeparError) as err:
        cx.merge_notes(store, FAC, c.id, d.id)
    assert err.value.key == "context_other_board"


def test_reorder(store: Store, swot: cx.Board) -> None:
    ids = [cx.add_note(store, FAC, swot.id, "opportunities", t).id for t in "가나다"]
    cx.reorder_notes(store, FAC, swot.id, "기회", [ids[2], ids[0], ids[1]])
    assert [n.text for n in cx.board_notes(store, swot.id)] == ["다", "가", "나"]
    cx.move_note_by(store, FAC, ids[1], -1)
    assert [n.text for n in cx.board_notes(store, swot.id)] == ["다", "나", "가"]
    cx.move_note_by(store, FAC, ids[2], -5)  # already at the top: stays
    assert cx.board_notes(store, swot.id)[0].text == "다"
    for bad in ([ids[0], ids[1]], [*ids, ids[0]], [ids[0], ids[1], "x"], None, [1, 2, 3]):
        with pytest.raises(SeparError) as err:
            cx.reorder_notes(store, FAC, swot.id, "opportunities", bad)
        assert err.value.key == "context_bad_order"


def test_tows_pairing(store: Store, swot: cx.Board) -> None:
    s = cx.add_note(store, FAC, swot.id, "strengths", "석유화학단지")
    w = cx.add_note(store, FAC, swot.id, "weaknesses", "복지시설 부족")
    o = cx.add_note(store, FAC, swot.id, "opportunities", "여가 수요 증가")
    t = cx.add_note(store, FAC, swot.id, "threats", "부대비용 증가")
    wo = cx.add_strategy(store, FAC, swot.id, "사회적경제 돌봄 서비스", [w.id, o.id])
    assert wo.kind == TowsKind.WO
    so = cx.add_strategy(store, FAC, swot.id, "산단 연계 판로", [s.id, o.id], kind="SO")
    assert so.kind == TowsKind.SO
    bad = [
        ([s.id, w.id], None, "context_bad_pair"),  # two internal sides
        ([s.id], None, "context_bad_pair"),  # one side only
        ([s.id, o.id, t.id], None, "context_bad_pair"),  # O and T mixed
        ([s.id, t.id], "SO", "context_bad_pair"),  # kind disagrees with the notes
        ([s.id, o.id], "XY", "unknown_choice"),
        ([], None, "context_bad_pair"),
        (None, None, "context_bad_pair"),
        ([s.id, "nope"], None, "not_found"),
    ]
    for note_ids, kind, key in bad:
        with pytest.raises(SeparError) as err:
            cx.add_strategy(store, FAC, swot.id, "전략", note_ids, kind=kind)
        assert err.value.key == key, (note_ids, kind)
    with pytest.raises(SeparError) as err:
        cx.add_strategy(store, FAC, swot.id, "전략", [s.id, t.id], kind="SO")
    assert err.value.message("ko") == "SO 전략은 S 의견과 O 의견을 하나 이상씩 이어야 합니다"
    pest = cx.add_board(store, FAC, "pest", "PEST")
    with pytest.raises(SeparError) as err:
        cx.add_strategy(store, FAC, pest.id, "전략", [s.id, o.id])
    assert err.value.key == "context_not_swot"
    cx.hide_note(store, FAC, t.id)
    with pytest.raises(SeparError) as err:
        cx.add_strategy(store, FAC, swot.id, "전략", [s.id, t.id])
    assert err.value.key == "context_not_active"
    found = cx.strategies(store)
    assert [x.record.kind for x in found] == [TowsKind.SO, TowsKind.WO]
    assert {n.id for n in found[1].notes} == {w.id, o.id}
    assert cx.tows_candidates(store) == [
        (so.id, "SO · 산단 연계 판로", "SO"),
        (wo.id, "WO · 사회적경제 돌봄 서비스", "WO"),
    ]
    cx.delete_strategy(store, FAC, wo.id)
    assert store.list(cx.TowsLink, strategy_id=wo.id) == []
    assert [c[0] for c in cx.tows_candidates(store)] == [so.id]


def test_samples_hold_the_seed_boards(sample_json: Path) -> None:
    with open_workshop(sample_json) as store:
        kinds = {b.id: b.kind for b in cx.boards(store)}
        notes = store.list(cx.Note)
        assert cx.tows_candidates(store) == []  # the seed gives no SO/ST/WO/WT strategies
    # every note names its source, as a reader can look it up (the editor's line numbers
    # into the seed are in sample_data/*/sources.json, never in the workshop)
    assert all(n.source and "003 L" not in n.source for n in notes)
    by_board: dict[str, dict[str, int]] = {}
    for n in notes:
        counts = by_board.setdefault(n.board_id, {})
        counts[n.category.value] = counts.get(n.category.value, 0) + 1
    if sample_json.parent.name == "nonsan":
        assert kinds == {"nonsan-pest": BoardKind.pest, "nonsan-swot": BoardKind.swot}
        # [그림 3-4] L929-930: three strengths and three weaknesses, no O/T in the text
        assert by_board["nonsan-swot"] == {"strengths": 3, "weaknesses": 3}
        assert "technological" not in by_board["nonsan-pest"]
    else:
        assert by_board["seosan-swot"] == {
            "strengths": 2,
            "weaknesses": 4,
            "opportunities": 2,
            "threats": 1,
        }
        assert set(by_board["seosan-pest"]) == {"political", "economic", "social", "technological"}
