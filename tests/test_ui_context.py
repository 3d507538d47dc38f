"""Context widgets driven like a user: set values, click, read what the page shows."""

from __future__ import annotations

import pytest

from separ import context as cx
from separ.actors import Actor
from separ.context import Category, NoteStatus, TowsKind
from separ.model import Participant, Workshop
from separ.store import Store
from separ.ui.context import FacilitatorBoard, NoteForm, ProjectorBoard, participant_view

FAC = Actor.facilitator_actor()
MINJI = Actor(participant_id="p1", display_name="김민지")


@pytest.fixture
def store() -> Store:
    s = Store.memory()
    s.add(Workshop(title="테스트", region="서산시"))
    s.add(Participant(id="p1", name="김민지"))
    cx.NOTE_RATE._seen.clear()
    return s


@pytest.fixture
def swot(store: Store) -> cx.Board:
    return cx.add_board(store, FAC, "swot", "서산 SWOT")


def test_participant_sends_a_note_and_sees_it_confirmed(store: Store, swot: cx.Board) -> None:
    form = participant_view(store, MINJI)
    assert form.board.value == swot.id
    assert form.board.layout.display == "none"  # one board: no choice to make
    assert [b.description for b in form.categories.children] == ["강점", "약점", "기회", "위협"]
    assert form.send.disabled  # nothing written yet
    assert form.send.layout.min_height == "48px"
    assert all(b.layout.min_height == "48px" for b in form.categories.children)
    form.text.value = "  여가 수요가 늘고 있음 "
    assert form.send.disabled  # no category yet
    form.category_buttons["opportunities"].click()
    assert form.category_buttons["opportunities"].button_style == "info"
    assert not form.send.disabled
    form.send.click()
    [note] = store.list(cx.Note)
    assert (note.category, note.text, note.author_id) == (
        Category.opportunities,
        "여가 수요가 늘고 있음",
        "p1",
    )
    assert "보냈습니다 (기회): 여가 수요가 늘고 있음" in form.result.value
    assert form.text.value == ""  # ready for the next one
    assert "1개" in form.mine.value


def test_participant_forging_values_gets_a_message_not_a_note(store: Store, swot: cx.Board) -> None:
    form = NoteForm(store, MINJI, lang="en")
    assert form.send.disabled
    form.send.click()  # a disabled button clicked through the widget protocol
    assert "please write something" in form.result.value
    form.text.value = "<script>alert(1)</script>" + "가" * cx.NOTE_MAX
    form.send.click()
    assert "too long" in form.result.value
    form.text.value = "<b>굵게</b>"
    form.send.click()  # no category picked, send clicked while disabled
    assert "please pick a category" in form.result.value
    assert store.list(cx.Note) == []
    form.category_buttons["threats"].click()
    form.send.click()
    assert "&lt;b&gt;굵게&lt;/b&gt;" in form.result.value  # shown escaped
    assert "<b>" not in form.result.value


def test_form_follows_new_boards_on_refresh(store: Store) -> None:
    form = participant_view(store, MINJI)
    assert "아직 열린 보드가 없습니다" in form.instruction.value
    form.send.click()
    assert store.list(cx.Note) == []
    pest = cx.add_board(store, FAC, "pestle", "환경분석")
    form.refresh()
    assert form.board.value == pest.id
    assert list(form.category_buttons)[-2:] == ["legal", "environmental"]
    assert "구분을 고르고" in form.instruction.value
    form.category_buttons["legal"].click()
    swot = cx.add_board(store, FAC, "swot", "SWOT")
    form.refresh()
    assert form.board.value == pest.id  # a refresh does not jump away from the chosen board
    assert form.board.layout.display == ""
    assert form.category == "legal"  # and keeps the picked category
    form.board.value = swot.id
    assert form.categories.children[0].description == "강점"
    assert form.category is None  # "legal" is not a SWOT category


def test_facilitator_tidies_the_board(store: Store, swot: cx.Board) -> None:
    a = cx.add_note(store, MINJI, swot.id, "strengths", "대산항")
    b = cx.add_note(store, FAC, swot.id, "strengths", "대산항 물동량 전국 6위")
    c = cx.add_note(store, FAC, swot.id, "weaknesses", "복지시설 부족")
    view = FacilitatorBoard(store, FAC, swot.id)
    assert [label for label, _ in view.notes.options] == [
        "[강점] 대산항",
        "[강점] 대산항 물동량 전국 6위",
        "[약점] 복지시설 부족",
    ]
    view.hide.click()
    assert "먼저 의견을 고르세요" in view.result.value

    view.notes.value = b.id
    assert view.edit_text.value == "대산항 물동량 전국 6위"
    view.star.click()
    assert store.get(cx.Note, b.id).starred
    assert view.star.description == "☆ 별표 해제"
    view.up.click()
    assert [n.id for n in cx.board_notes(store, swot.id)][:2] == [b.id, a.id]
    view.merge_from.value = a.id
    view.merge.click()
    assert cx.note_authors(store, b.id) == ["p1"]
    assert store.get(cx.Note, a.id).status == NoteStatus.merged
    assert len(view.notes.options) == 2

    view.notes.value = c.id
    view.edit_text.value = "보건복지 인프라 부족"
    view.edit_cluster.value = "복지"
    view.save.click()
    assert (store.get(cx.Note, c.id).text, store.get(cx.Note, c.id).cluster) == (
        "보건복지 인프라 부족",
        "복지",
    )
    view.move_to.value = "threats"
    view.move.click()
    assert store.get(cx.Note, c.id).category == Category.threats
    view.hide.click()
    assert store.get(cx.Note, c.id).status == NoteStatus.hidden
    assert c.id not in [i for _, i in view.notes.options]
    view.show_hidden.value = True
    assert "[위협] 보건복지 인프라 부족 (숨김)" in [label for label, _ in view.notes.options]
    assert "보건복지" not in view.preview.value  # hidden notes stay off the board


def test_facilitator_pairs_tows_strategies(store: Store, swot: cx.Board) -> None:
    s = cx.add_note(store, FAC, swot.id, "strengths", "산업 인프라")
    o = cx.add_note(store, FAC, swot.id, "opportunities", "문화 수요 증가")
    t = cx.add_note(store, FAC, swot.id, "threats", "부대비용 증가")
    view = FacilitatorBoard(store, FAC, swot.id)
    assert view.tows is not None
    tows = view.tows
    assert [label for label, _ in tows.picked.options] == [
        "S1 산업 인프라",
        "O1 문화 수요 증가",
        "T1 부대비용 증가",
    ]
    tows.picked.value = (s.id, o.id, t.id)
    tows.text.value = "산단 기업과 문화 서비스"
    tows.add.click()
    assert "S/W" in tows.result.value and store.list(cx.TowsStrategy) == []
    tows.picked.value = (s.id, o.id)
    tows.add.click()
    [strategy] = store.list(cx.TowsStrategy)
    assert strategy.kind == TowsKind.SO
    assert [label for label, _ in tows.list.options] == ["SO · 산단 기업과 문화 서비스"]
    tows.list.value = strategy.id
    tows.delete.click()
    assert store.list(cx.TowsStrategy) == [] and tows.list.options == ()


def test_participant_pressing_facilitator_buttons_changes_nothing(
    store: Store, swot: cx.Board
) -> None:
    note = cx.add_note(store, MINJI, swot.id, "strengths", "내 의견")
    other = cx.add_note(store, FAC, swot.id, "opportunities", "기회")
    # the live server must never mount this for a participant; if it did, nothing gets through
    view = FacilitatorBoard(store, MINJI, swot.id)
    view.notes.value = note.id
    before = store.revision()
    for button in (view.star, view.hide, view.up, view.down, view.save, view.move):
        button.click()
        assert "진행자 권한이 필요합니다" in view.result.value
    view.merge_from.value = other.id
    view.merge.click()
    assert view.tows is not None
    view.tows.picked.value = (note.id, other.id)
    view.tows.text.value = "전략"
    view.tows.add.click()
    assert "진행자 권한이 필요합니다" in view.tows.result.value
    assert store.revision() == before
    assert store.get(cx.Note, note.id) == note


def test_projector_shows_the_board_in_large_escaped_type(store: Store, swot: cx.Board) -> None:
    screen = ProjectorBoard(store, swot.id)
    assert "(의견 없음)" in screen.view.value and "font-size:26px" in screen.view.value
    n = cx.add_note(store, MINJI, swot.id, "threats", "<img src=x onerror=alert(1)>")
    cx.star_note(store, FAC, n.id)
    assert "(의견 없음)" in screen.view.value  # the screen changes on refresh(), not before
    screen.refresh()
    assert "★ &lt;img src=x onerror=alert(1)&gt;" in screen.view.value
    assert "<img" not in screen.view.value
    assert "위협" in screen.view.value and "grid-template-columns" in screen.view.value


@pytest.fixture
def quiet_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages follow the store through a poller; tests notify it by hand instead."""
    import separ.ui.base as base

    monkeypatch.setattr(base, "FOLLOW_SECONDS", 3600.0)
    monkeypatch.setattr(base, "_hubs", {})


def test_the_page_writes_nothing_when_opened_and_opens_boards_by_a_click(
    store: Store, quiet_hub: None
) -> None:
    from separ.ui.context import context_page

    before = store.revision()
    page = context_page(store, FAC)
    inner = page.inner
    assert store.revision() == before and cx.boards(store) == []
    assert "아직 보드가 없습니다" in inner.empty.children[0].value
    inner.open_boards.click()
    assert [b.kind.value for b in cx.boards(store)] == ["pest", "swot"]
    assert inner.board.value == cx.boards(store)[0].id
    assert "의견 0개" in inner.count.value


def test_chosen_notes_go_into_a_new_poll_and_the_board_goes_live(
    store: Store, swot: cx.Board, quiet_hub: None
) -> None:
    from separ import polls
    from separ.tokens import live_state
    from separ.ui.base import hub_for
    from separ.ui.context import context_page

    page = context_page(store, FAC)
    inner = page.inner
    inner.live.button.click()
    state = live_state(store)
    assert (state.activity, state.target_id) == ("context", swot.id)
    assert "참여자 화면에 띄웠습니다: 서산 SWOT" in inner.live.status.value
    a = cx.add_note(store, MINJI, swot.id, "strengths", "협동조합 경험 많음")
    b = cx.add_note(store, MINJI, swot.id, "threats", "인구 감소")
    cx.star_note(store, FAC, b.id, True)
    hub_for(store).notify()  # notes from phones reach the open page
    assert "의견 2개" in inner.count.value
    carry_view = inner.views[1]
    assert carry_view.picked.value == (b.id,)  # starred notes come picked
    carry_view.picked.value = (a.id, b.id)
    assert "협동조합 경험 많음" in carry_view.preview.value
    carry_view.go.click()
    assert "선택지 2개를 보냈습니다" in carry_view.result.value
    poll = store.list(polls.Poll)[0]
    assert poll.title == "서산 SWOT 우선순위"
    assert [o.label for o in store.list(polls.PollOption, order_by="position")] == [
        "협동조합 경험 많음",
        "인구 감소",
    ]
    assert carry_view.target.value == poll.id and carry_view.go.disabled


def test_tows_strategies_go_into_a_draft_poll(
    store: Store, swot: cx.Board, quiet_hub: None
) -> None:
    from separ import polls
    from separ.ui.context import CarryToPoll

    s = cx.add_note(store, MINJI, swot.id, "strengths", "경험")
    o = cx.add_note(store, MINJI, swot.id, "opportunities", "공공구매")
    cx.add_strategy(store, FAC, swot.id, "공공구매 공동 대응", [s.id, o.id])
    draft = polls.create_poll(store, FAC, "전략 투표", "borda", options=["기존"])
    view = CarryToPoll(store, FAC, swot.id, "en")
    view.source.value = "tows"
    view.target.value = draft.id
    assert "SO · 공공구매 공동 대응" in view.preview.value and "yes" in view.preview.value
    view.go.click()
    assert [o.label for o in store.list(polls.PollOption, order_by="position")] == [
        "기존",
        "SO · 공공구매 공동 대응",
    ]
