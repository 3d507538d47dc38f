"""Context-analysis views: the participant's note form, the facilitator's board, the projector.

Thin on purpose: every button calls a function of :mod:`separ.context` with the
:class:`~separ.actors.Actor` the page was opened with, and shows the
:class:`~separ.errors.SeparError` message if it refuses. Disabling a button is only a
hint to honest users; the domain function is the check.

The live server mounts :func:`participant_view` for each phone; the facilitator's
workbook shows :class:`FacilitatorBoard` and :class:`ProjectorBoard`.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w

from separ import context as cx
from separ.actors import Actor
from separ.context import BoardKind, Category, NoteStatus
from separ.i18n import Lang, add_messages
from separ.store import Store
from separ.ui.base import (
    CHOICES,
    FULL,
    View,
    choice,
    guard,
    say,
    show_chosen,
    show_status,
    tap,
    tap_small,
)

add_messages(
    {
        "context_ui_instruction": {
            "ko": "구분을 고르고, 우리 지역에 대한 의견을 한두 문장으로 쓴 뒤 ‘보내기’를 누르세요.",
            "en": "Pick a category, write one or two sentences about our area, then press ‘Send’.",
        },
        "context_ui_board": {"ko": "보드", "en": "Board"},
        "context_ui_text": {"ko": "의견", "en": "Note"},
        "context_ui_source": {"ko": "근거·출처 (선택)", "en": "Source / evidence (optional)"},
        "context_ui_send": {"ko": "보내기", "en": "Send"},
        "context_ui_sent": {
            "ko": "보냈습니다 ({category}): {text}",
            "en": "Sent ({category}): {text}",
        },
        "context_ui_mine": {
            "ko": "이 보드에 내가 쓴 의견: {n}개",
            "en": "Your notes on this board: {n}",
        },
        "context_ui_no_board": {
            "ko": "아직 열린 보드가 없습니다. 진행자가 보드를 열면 여기에 나타납니다.",
            "en": "No board is open yet. It appears here when the facilitator opens one.",
        },
        "context_ui_notes": {"ko": "의견 목록", "en": "Notes"},
        "context_ui_show_hidden": {"ko": "숨긴 의견도 보기", "en": "Show hidden notes"},
        "context_ui_save": {"ko": "고쳐 저장", "en": "Save edit"},
        "context_ui_cluster": {"ko": "묶음", "en": "Cluster"},
        "context_ui_move": {"ko": "구분 옮기기", "en": "Move"},
        "context_ui_merge": {"ko": "이 의견으로 병합", "en": "Merge into this"},
        "context_ui_merge_pick": {"ko": "중복 의견", "en": "Duplicate"},
        "context_ui_star": {"ko": "★ 별표", "en": "★ Star"},
        "context_ui_unstar": {"ko": "☆ 별표 해제", "en": "☆ Unstar"},
        "context_ui_hide": {"ko": "숨기기", "en": "Hide"},
        "context_ui_unhide": {"ko": "다시 보이기", "en": "Show again"},
        "context_ui_up": {"ko": "▲ 위로", "en": "▲ Up"},
        "context_ui_down": {"ko": "▼ 아래로", "en": "▼ Down"},
        "context_ui_pick_note": {"ko": "먼저 의견을 고르세요.", "en": "Pick a note first."},
        "context_ui_strategy": {"ko": "TOWS 전략 후보", "en": "TOWS strategy candidates"},
        "context_ui_strategy_notes": {
            "ko": "근거 의견 (S/W 하나 이상과 O/T 하나 이상)",
            "en": "Linked notes (at least one S/W and one O/T)",
        },
        "context_ui_strategy_text": {"ko": "전략", "en": "Strategy"},
        "context_ui_strategy_kind": {"ko": "유형", "en": "Kind"},
        "context_ui_auto": {"ko": "의견에서 자동", "en": "from the notes"},
        "context_ui_add_strategy": {"ko": "전략 추가", "en": "Add strategy"},
        "context_ui_delete_strategy": {"ko": "선택한 전략 삭제", "en": "Delete selected"},
        "context_ui_empty": {"ko": "(의견 없음)", "en": "(no notes)"},
    }
)


def _board_options(store: Store) -> list[tuple[str, str]]:
    """Every board by title, read once per sweep of the live poller for all phones."""
    from separ.live.runtime import shared

    options: list[tuple[str, str]] = shared(
        "context-boards", lambda: [(b.title, b.id) for b in cx.boards(store)]
    )
    return options


def _keep(value: str | None, options: list[tuple[str, str]]) -> str | None:
    """The value still offered, else the last option (the newest board), else None."""
    codes = [code for _, code in options]
    if value in codes:
        return value
    return codes[-1] if codes else None


# -- participant ---------------------------------------------------------------------------


class NoteForm(View):
    """A phone page: pick the board and category, write a note, send, see it confirmed.

    Categories are big buttons in two columns (a thumb hits them; ToggleButtons cannot
    be made 44 px tall); the chosen one is highlighted and kept on the server side.
    """

    def __init__(
        self,
        store: Store,
        actor: Actor,
        board_id: str | None = None,
        lang: Lang = "ko",
        *,
        fixed: bool = False,
    ) -> None:
        self.store, self.actor, self.lang = store, actor, lang
        self.fixed = board_id if fixed else None
        """The one board this form offers (the live room's); None: every board."""
        self.instruction = w.HTML()
        self.board = w.Dropdown(
            description=say(lang, "context_ui_board"), layout=w.Layout(width=FULL)
        )
        self.category: str | None = None
        self.category_buttons: dict[str, w.Button] = {}
        self.categories = w.GridBox(
            layout=w.Layout(grid_template_columns="1fr 1fr", grid_gap="6px", width=FULL),
            _dom_classes=(CHOICES,),
        )
        self.text = w.Textarea(
            placeholder=say(lang, "context_ui_text"), rows=4, layout=w.Layout(width=FULL)
        )
        self.source = w.Text(
            placeholder=say(lang, "context_ui_source"), layout=w.Layout(width=FULL)
        )
        self.send = w.Button(
            description=say(lang, "context_ui_send"), button_style="primary", layout=tap()
        )
        self.result = w.HTML()
        self.mine = w.HTML()
        self.send.on_click(lambda _: self._send())
        self.text.observe(lambda _: self._enable(), "value")
        self.board.observe(lambda _: self._categories(), "value")
        self.widget = w.VBox(
            [
                self.instruction,
                self.board,
                self.categories,
                self.text,
                self.source,
                self.send,
                self.result,
                self.mine,
            ],
            layout=w.Layout(max_width="36em", width="100%"),
        )
        self._wanted = board_id
        self.refresh()
        self._wanted = None

    def _enable(self) -> None:
        self.send.disabled = (
            not self.text.value.strip() or self.board.value is None or self.category is None
        )

    def _pick(self, code: str | None) -> None:
        self.category = code
        for key, button in self.category_buttons.items():
            show_chosen(button, key == code)
        self._enable()

    def _categories(self) -> None:
        board_id = self.board.value
        options = (
            []
            if board_id is None
            else list(
                cx.category_labels(BoardKind(self.store.get(cx.Board, board_id).kind), self.lang)
            )
        )
        if [c for _, c in options] != list(self.category_buttons):
            self.category_buttons = {}
            for label, code in options:
                button = choice(label, tap())
                button.on_click(lambda _, code=code: self._pick(code))
                self.category_buttons[code] = button
            self.categories.children = list(self.category_buttons.values())
        self._pick(self.category if self.category in self.category_buttons else None)
        self._count()

    def _count(self) -> None:
        board_id = self.board.value
        if board_id is None or self.actor.participant_id is None:
            self.mine.value = ""
            return
        n = len(self.store.list(cx.Note, board_id=board_id, author_id=self.actor.participant_id))
        self.mine.value = f"<small>{html.escape(say(self.lang, 'context_ui_mine', n=n))}</small>"

    def _send(self) -> None:
        def act() -> str:
            note = cx.add_note(
                self.store,
                self.actor,
                self.board.value,
                self.category,
                self.text.value,
                self.source.value or None,
            )
            return say(
                self.lang,
                "context_ui_sent",
                category=Category(note.category).label(self.lang),
                text=note.text,
            )

        if guard(self.lang, self.result, act):
            self.text.value = ""
            self.source.value = ""
            self._count()

    def refresh(self) -> None:
        """Re-read the boards (the facilitator may have opened a new one)."""
        options = [
            o for o in _board_options(self.store) if self.fixed is None or o[1] == self.fixed
        ]
        wanted = self._wanted if self._wanted in [c for _, c in options] else self.board.value
        self.board.options = options
        self.board.value = _keep(wanted, options)
        self.board.layout.display = "" if len(options) > 1 else "none"
        key = "context_ui_instruction" if options else "context_ui_no_board"
        self.instruction.value = (
            f'<p style="font-size:1.15em;line-height:1.5">{html.escape(say(self.lang, key))}</p>'
        )
        self._categories()


def participant_view(store: Store, actor: Actor, lang: Lang = "ko") -> NoteForm:
    """A participant's note form on any board (identity from ``actor``)."""
    return NoteForm(store, actor, lang=lang)


def live_participant_view(store: Store, actor: Actor, target_id: str) -> w.Widget:
    """What the live server mounts on a phone: notes on the board the facilitator put live
    (the form offers only that board, so a forged choice cannot name another)."""
    from separ.ui.mount import Mounted

    return Mounted(NoteForm(store, actor, target_id, store.workshop().lang, fixed=True))


def projector_view(store: Store, target_id: str) -> w.Widget:
    """The live board on the room's screen, sized for the back row (newest notes in view)."""
    from separ.ui.projector import board_view

    return board_view(store, target_id)


# -- projector ---------------------------------------------------------------------------


def board_html(store: Store, board_id: str, lang: Lang = "ko", *, font_px: int = 26) -> str:
    """The board as HTML columns in large type (user text escaped)."""
    board = store.get(cx.Board, board_id)
    notes = cx.board_notes(store, board_id)
    cats = cx.CATEGORIES[BoardKind(board.kind)]
    columns = []
    for cat in cats:
        cards = (
            "".join(
                f'<div style="background:{"#fff6c8" if n.starred else "#fff"};'
                f"border:{'3px solid #c89b00' if n.starred else '1px solid #bbb'};"
                f'border-radius:8px;padding:0.4em 0.5em;margin:0.35em 0">'
                f"{'★ ' if n.starred else ''}{html.escape(n.text)}</div>"
                for n in notes
                if n.category == cat
            )
            or f'<div style="color:#777">{html.escape(say(lang, "context_ui_empty"))}</div>'
        )
        columns.append(
            f'<div style="flex:1;min-width:0;background:#f7f7f5;border-radius:10px;'
            f'padding:0.4em"><div style="font-weight:bold;text-align:center;font-size:1.15em">'
            f"{html.escape(cat.label(lang))}</div>{cards}</div>"
        )
    grid = (
        "display:grid;grid-template-columns:1fr 1fr;gap:0.5em"
        if BoardKind(board.kind) == BoardKind.swot
        else "display:flex;gap:0.5em"
    )
    # keep-all: break Korean lines between words, as the figures do, not inside them
    return (
        f'<div style="font-size:{font_px}px;line-height:1.35;word-break:keep-all;'
        f'overflow-wrap:anywhere">'
        f'<div style="font-weight:bold;font-size:1.2em;margin-bottom:0.3em">'
        f'{html.escape(board.title)}</div><div style="{grid}">{"".join(columns)}</div></div>'
    )


class ProjectorBoard(View):
    """The room's screen: the chosen board in large type, re-read on every refresh()."""

    def __init__(self, store: Store, board_id: str, lang: Lang = "ko", font_px: int = 26) -> None:
        self.store, self.board_id, self.lang, self.font_px = store, board_id, lang, font_px
        self.view = w.HTML()
        self.widget = w.VBox([self.view], layout=w.Layout(width="100%"))
        self.refresh()

    def refresh(self) -> None:
        self.view.value = board_html(self.store, self.board_id, self.lang, font_px=self.font_px)


# -- facilitator ---------------------------------------------------------------------------


class FacilitatorBoard(View):
    """The facilitator's control of one board: pick a note, then edit, move, merge, star,
    hide or reorder it; on a SWOT board, pair notes into TOWS strategies."""

    def __init__(
        self,
        store: Store,
        actor: Actor,
        board_id: str,
        lang: Lang = "ko",
        *,
        with_tows: bool = True,
    ) -> None:
        self.store, self.actor, self.board_id, self.lang = store, actor, board_id, lang
        say = self._t
        self.board = store.get(cx.Board, board_id)
        kind = BoardKind(self.board.kind)
        self.show_hidden = w.Checkbox(description=say("context_ui_show_hidden"), indent=False)
        self.notes = w.Select(rows=10, layout=w.Layout(width=FULL))
        self.edit_text = w.Textarea(rows=3, layout=w.Layout(width=FULL))
        self.edit_source = w.Text(placeholder=say("context_ui_source"), layout=w.Layout(width=FULL))
        self.edit_cluster = w.Text(placeholder=say("context_ui_cluster"))
        self.save = w.Button(description=say("context_ui_save"), layout=tap_small())
        self.move_to = w.Dropdown(
            options=cx.category_labels(kind, lang), layout=w.Layout(width="auto")
        )
        self.move = w.Button(description=say("context_ui_move"), layout=tap_small())
        self.merge_from = w.Dropdown(
            description=say("context_ui_merge_pick"), layout=w.Layout(width="calc(100% - 12em)")
        )
        self.merge = w.Button(description=say("context_ui_merge"), layout=tap_small())
        self.star = w.Button(description=say("context_ui_star"), layout=tap_small())
        self.hide = w.Button(description=say("context_ui_hide"), layout=tap_small())
        self.up = w.Button(description=say("context_ui_up"), layout=tap_small())
        self.down = w.Button(description=say("context_ui_down"), layout=tap_small())
        self.result = w.HTML()
        self.preview = w.HTML()
        self.notes.observe(lambda _: self._selected(), "value")
        self.show_hidden.observe(lambda _: self.refresh(), "value")
        self.save.on_click(
            lambda _: self._act(
                lambda n: cx.edit_note(
                    store,
                    actor,
                    n,
                    self.edit_text.value,
                    self.edit_source.value or None,
                    self.edit_cluster.value or None,
                )
            )
        )
        self.move.on_click(
            lambda _: self._act(lambda n: cx.move_note(store, actor, n, self.move_to.value))
        )
        self.merge.on_click(
            lambda _: self._act(lambda n: cx.merge_notes(store, actor, n, self.merge_from.value))
        )
        self.star.on_click(
            lambda _: self._act(
                lambda n: cx.star_note(store, actor, n, not store.get(cx.Note, n).starred)
            )
        )
        self.hide.on_click(
            lambda _: self._act(
                lambda n: cx.hide_note(
                    store, actor, n, store.get(cx.Note, n).status != NoteStatus.hidden
                )
            )
        )
        self.up.on_click(lambda _: self._act(lambda n: cx.move_note_by(store, actor, n, -1)))
        self.down.on_click(lambda _: self._act(lambda n: cx.move_note_by(store, actor, n, 1)))
        row = w.HBox
        # two columns: the list and its buttons on the left, the chosen note's edits on the
        # right, so the whole control fits a 1366×768 laptop screen
        pick = w.VBox(
            [
                self.show_hidden,
                self.notes,
                row(
                    [self.star, self.hide, self.up, self.down],
                    layout=w.Layout(flex_flow="row wrap"),
                ),
            ],
            layout=w.Layout(width="55%"),
        )
        edit = w.VBox(
            [
                self.edit_text,
                self.edit_source,
                row([self.edit_cluster, self.save]),
                row([self.move_to, self.move]),
                row([self.merge_from, self.merge]),
                self.result,
            ],
            layout=w.Layout(width="45%"),
        )
        parts: list[w.Widget] = [row([pick, edit], layout=w.Layout(width="100%")), self.preview]
        self.tows: TowsPanel | None = None
        if kind == BoardKind.swot and with_tows:
            self.tows = TowsPanel(store, actor, board_id, lang)
            parts.append(self.tows.widget)
        self.widget = w.VBox(parts, layout=w.Layout(width="100%"))
        self.refresh()

    def _t(self, key: str) -> str:
        return say(self.lang, key)

    def _label(self, note: cx.Note) -> str:
        cat = Category(note.category).label(self.lang)
        star = "★ " if note.starred else ""
        hidden = (
            f" ({NoteStatus.hidden.label(self.lang)})" if note.status == NoteStatus.hidden else ""
        )
        return f"[{cat}] {star}{note.text}{hidden}"

    def _act(self, action: Callable[[str], object]) -> None:
        note_id = self.notes.value
        if note_id is None:
            show_status(self.result, say(self.lang, "context_ui_pick_note"), ok=False)
            return

        def run() -> str:
            action(note_id)
            return say(self.lang, "ui_done")

        if guard(self.lang, self.result, run):
            self.refresh()

    def _selected(self) -> None:
        note_id = self.notes.value
        others = [(self._label(n), n.id) for n in self._shown if n.id != note_id]
        self.merge_from.options = others
        if note_id is None:
            return
        note = next(n for n in self._shown if n.id == note_id)
        self.edit_text.value = note.text
        self.edit_source.value = note.source or ""
        self.edit_cluster.value = note.cluster or ""
        self.move_to.value = Category(note.category).value
        say = self._t
        self.star.description = say("context_ui_unstar" if note.starred else "context_ui_star")
        self.hide.description = say(
            "context_ui_unhide" if note.status == NoteStatus.hidden else "context_ui_hide"
        )

    def refresh(self) -> None:
        """Re-read the board; the selection stays on the same note when it still shows."""
        self._shown = cx.board_notes(
            self.store, self.board_id, include_hidden=self.show_hidden.value
        )
        current = self.notes.value
        options = [(self._label(n), n.id) for n in self._shown]
        self.notes.options = options
        self.notes.value = current if current in [i for _, i in options] else None
        self._selected()
        self.preview.value = board_html(self.store, self.board_id, self.lang, font_px=15)
        if self.tows is not None:
            self.tows.refresh()


class TowsPanel(View):
    """Pair S/W notes with O/T notes into strategy candidates (facilitator only)."""

    def __init__(self, store: Store, actor: Actor, board_id: str, lang: Lang = "ko") -> None:
        self.store, self.actor, self.board_id, self.lang = store, actor, board_id, lang
        say = self._t
        self.picked = w.SelectMultiple(description="", rows=8, layout=w.Layout(width=FULL))
        self.text = w.Text(placeholder=say("context_ui_strategy_text"), layout=w.Layout(width=FULL))
        self.kind = w.Dropdown(
            description=say("context_ui_strategy_kind"),
            options=[(say("context_ui_auto"), "")]
            + [(k.label(lang), k.value) for k in cx.TowsKind],
        )
        self.add = w.Button(
            description=say("context_ui_add_strategy"), button_style="primary", layout=tap_small()
        )
        self.list = w.Select(rows=6, layout=w.Layout(width=FULL))
        self.delete = w.Button(
            description=say("context_ui_delete_strategy"), button_style="danger", layout=tap_small()
        )
        self.result = w.HTML()
        self.add.on_click(lambda _: self._add())
        self.delete.on_click(lambda _: self._delete())
        self.widget = w.VBox(
            [
                w.HTML(f"<h3>{html.escape(say('context_ui_strategy'))}</h3>"),
                w.HTML(f"<small>{html.escape(say('context_ui_strategy_notes'))}</small>"),
                self.picked,
                self.text,
                w.HBox([self.kind, self.add]),
                self.result,
                self.list,
                self.delete,
            ]
        )
        self.refresh()

    def _t(self, key: str) -> str:
        return say(self.lang, key)

    def _add(self) -> None:
        def act() -> str:
            cx.add_strategy(
                self.store,
                self.actor,
                self.board_id,
                self.text.value,
                list(self.picked.value),
                kind=self.kind.value or None,
            )
            return say(self.lang, "ui_done")

        if guard(self.lang, self.result, act):
            self.text.value = ""
            self.picked.value = ()
            self.refresh()

    def _delete(self) -> None:
        def act() -> str:
            cx.delete_strategy(self.store, self.actor, self.list.value)
            return say(self.lang, "ui_done")

        if guard(self.lang, self.result, act):
            self.refresh()

    def refresh(self) -> None:
        codes = cx.note_codes(self.store, self.board_id)
        notes = cx.board_notes(self.store, self.board_id)
        chosen = self.picked.value
        self.picked.options = [(f"{codes[n.id]} {n.text}", n.id) for n in notes]
        self.picked.value = tuple(i for i in chosen if i in codes)
        current = self.list.value
        self.list.options = [
            (f"{s.record.kind.value} · {s.record.text}", s.record.id)
            for s in cx.strategies(self.store, self.board_id)
        ]
        ids = [i for _, i in self.list.options]
        self.list.value = current if current in ids else None


# -- the stage page -------------------------------------------------------------------------

add_messages(
    {
        "context_page_board": {"ko": "보드", "en": "Board"},
        "context_page_no_board": {
            "ko": "아직 보드가 없습니다. 아래 버튼으로 PEST 보드와 SWOT 보드를 엽니다.",
            "en": "No board yet. The button below opens a PEST and a SWOT board.",
        },
        "context_page_open_boards": {
            "ko": "PEST·SWOT 보드 열기",
            "en": "Open PEST and SWOT boards",
        },
        "context_page_tidy": {"ko": "보드 정리", "en": "Tidy the board"},
        "context_page_figures": {"ko": "그림과 표", "en": "Figures and tables"},
        "context_page_to_poll": {"ko": "투표로 보내기", "en": "Into a poll"},
        "context_page_count": {"ko": "의견 {n}개", "en": "{n} notes"},
        "context_carry_from": {"ko": "무엇을", "en": "From"},
        "context_carry_notes": {"ko": "고른 의견", "en": "chosen notes"},
        "context_carry_tows": {"ko": "TOWS 전략 후보", "en": "TOWS strategies"},
        "context_carry_pick": {
            "ko": "보낼 의견 (별표 의견이 먼저 골라져 있습니다)",
            "en": "Notes to send (starred ones come picked)",
        },
        "context_carry_pick_tows": {"ko": "보낼 전략", "en": "Strategies to send"},
        "context_carry_target": {"ko": "어느 투표로", "en": "Into"},
        "context_carry_new": {"ko": "새 투표 만들기", "en": "a new poll"},
        "context_carry_title": {"ko": "새 투표 제목", "en": "New poll title"},
        "context_carry_method": {"ko": "방식", "en": "Method"},
        "context_carry_go": {"ko": "투표 선택지로 보내기", "en": "Send as poll options"},
        "context_carry_done": {
            "ko": "「{title}」에 선택지 {n}개를 보냈습니다. 03 투표에서 시작하세요.",
            "en": "Sent {n} options to “{title}”. Start it on page 03.",
        },
        "context_carry_default_title": {"ko": "{board} 우선순위", "en": "{board}: priorities"},
        "context_carry_preview": {"ko": "미리보기", "en": "Preview"},
        "context_col_item": {"ko": "선택지", "en": "Option"},
        "context_col_from": {"ko": "구분", "en": "From"},
        "context_col_new": {"ko": "새로 추가", "en": "New"},
    }
)


class CarryToPoll(View):
    """Chosen board notes, or TOWS strategy candidates, into a poll's options in one step:
    pick, see the preview (repeats marked), send into a new or a draft poll."""

    def __init__(self, store: Store, actor: Actor, board_id: str, lang: Lang = "ko") -> None:
        from separ import polls, tally

        self.store, self.actor, self.board_id, self.lang = store, actor, board_id, lang
        t = self._t
        self.source = w.ToggleButtons(
            options=[(t("context_carry_notes"), "notes"), (t("context_carry_tows"), "tows")],
            description=t("context_carry_from"),
        )
        self.source.layout.display = (
            None if BoardKind(store.get(cx.Board, board_id).kind) == BoardKind.swot else "none"
        )
        self.pick_head = w.HTML()
        self.picked = w.SelectMultiple(rows=8, layout=w.Layout(width=FULL))
        self.target = w.Dropdown(
            description=t("context_carry_target"), layout=w.Layout(width="32em")
        )
        board = store.get(cx.Board, board_id)
        self.title = w.Text(
            value=say(lang, "context_carry_default_title", board=board.title),
            description=t("context_carry_title"),
            style={"description_width": "initial"},
            layout=w.Layout(width="32em"),
        )
        self.method = w.Dropdown(
            description=t("context_carry_method"),
            options=[(polls.PollMethod(m).label(lang), m) for m in tally.METHODS],
            value="dots",
        )
        self.preview = w.HTML()
        self.go = w.Button(
            description=t("context_carry_go"),
            button_style="primary",
            icon="arrow-right",
            layout=w.Layout(min_height="40px", width="auto"),
        )
        self.result = w.HTML()
        for control in (self.source, self.picked, self.target):
            control.observe(lambda _c: self._changed(), "value")
        self.go.on_click(lambda _b: self._send())
        self.widget = w.VBox(
            [
                self.source,
                self.pick_head,
                self.picked,
                self.target,
                self.title,
                self.method,
                self.preview,
                self.go,
                self.result,
            ]
        )
        self._source_seen: str | None = None
        self._offered: set[str] = set()
        """Ids already offered as picked by default (starred notes, strategies)."""
        self.refresh()

    def _t(self, key: str) -> str:
        return say(self.lang, key)

    def _items(self) -> list[tuple[str, str, bool]]:
        """(label, id, picked by default) of the current source."""
        if self.source.value == "tows":
            return [
                (label, sid, True)
                for sid, label, _kind in cx.tows_candidates(self.store)
                if any(s.record.id == sid for s in cx.strategies(self.store, self.board_id))
            ]
        return [
            (
                f"[{Category(n.category).label(self.lang)}] {'★ ' if n.starred else ''}{n.text}",
                n.id,
                n.starred,
            )
            for n in cx.board_notes(self.store, self.board_id)
        ]

    def refresh(self) -> None:
        from separ import polls

        items = self._items()
        if self._source_seen != self.source.value:
            self._source_seen, self._offered = self.source.value, set()
        # a note starred since the last look comes picked; the facilitator's picks stay
        chosen = set(self.picked.value) | {
            i for _, i, default in items if default and i not in self._offered
        }
        self._offered |= {i for _, i, default in items if default}
        self.picked.options = [(label, i) for label, i, _ in items]
        self.picked.value = tuple(i for _, i, _ in items if i in chosen)
        head = "context_carry_pick_tows" if self.source.value == "tows" else "context_carry_pick"
        self.pick_head.value = f"<b>{html.escape(self._t(head))}</b>"
        keep = self.target.value
        drafts = [p for p in self.store.list(polls.Poll) if p.status == polls.PollStatus.draft]
        options = [(self._t("context_carry_new"), "")] + [(p.title, p.id) for p in drafts]
        self.target.options = options
        self.target.value = keep if keep in [v for _, v in options] else ""
        self._changed()

    def _changed(self) -> None:
        from separ import carry
        from separ.ui.base import rows_html

        if self._source_seen != self.source.value:
            self.refresh()
            return
        new = not self.target.value
        self.title.layout.display = self.method.layout.display = None if new else "none"
        poll_id = self.target.value or None
        picked = list(self.picked.value)
        if self.source.value == "tows":
            items = carry.strategies_preview(self.store, picked, poll_id) if picked else []
        else:
            items = carry.notes_preview(self.store, picked, poll_id, self.lang)
        self.go.disabled = not any(not i.already for i in items)
        self.preview.value = rows_html(
            [self._t("context_col_item"), self._t("context_col_from"), self._t("context_col_new")],
            [(i.label, i.detail, not i.already) for i in items],
            self.lang,
            caption=self._t("context_carry_preview"),
        )

    def _send(self) -> None:
        from separ import carry, polls

        def act() -> str:
            poll_id = self.target.value or None
            common = {"poll_id": poll_id, "title": self.title.value, "method": self.method.value}
            before = len(self.store.list(polls.PollOption, poll_id=poll_id)) if poll_id else 0
            if self.source.value == "tows":
                poll = carry.strategies_to_poll(
                    self.store, self.actor, list(self.picked.value), **common
                )
            else:
                poll = carry.notes_to_poll(
                    self.store, self.actor, list(self.picked.value), lang=self.lang, **common
                )
            n = len(self.store.list(polls.PollOption, poll_id=poll.id)) - before
            self.target_after = poll.id
            return say(self.lang, "context_carry_done", title=poll.title, n=n)

        if guard(self.lang, self.result, act):
            self.refresh()
            self.target.value = self.target_after


class ContextPage(View):
    """Workbook 01 as an app: pick a board; tidy it, put it on the phones, see its
    figures and tables, send notes or strategies into a poll. Opening it writes nothing
    (the boards are opened by a button when the workshop has none)."""

    def __init__(self, store: Store, actor: Actor, lang: Lang | None = None) -> None:
        from separ.ui.base import LiveButton

        self.store, self.actor = store, actor
        self.lang: Lang = lang or store.workshop().lang
        t = self._t
        self.board = w.Dropdown(description=t("context_page_board"), layout=w.Layout(width="24em"))
        self.count = w.HTML()
        self.live = LiveButton(store, actor, "context", lambda: self.board.value, self.lang)
        self.open_boards = w.Button(
            description=t("context_page_open_boards"),
            button_style="primary",
            layout=w.Layout(min_height="40px", width="auto"),
        )
        self.empty = w.VBox(
            [w.HTML(f"<p>{html.escape(t('context_page_no_board'))}</p>"), self.open_boards]
        )
        self.result = w.HTML()
        self.body = w.VBox()
        self.views: list[object] = []
        self.open_boards.on_click(lambda _b: self._open())
        self.board.observe(lambda _c: self._build(), "value")
        self.widget = w.VBox(
            [
                w.HBox(
                    [self.board, self.count, self.live],
                    layout=w.Layout(flex_flow="row wrap", align_items="center"),
                ),
                self.empty,
                self.result,
                self.body,
            ]
        )
        self.built_for: str | None = None
        self.refresh()

    def _t(self, key: str, **params: object) -> str:
        return say(self.lang, key, **params)

    def _open(self) -> None:
        def act() -> str:
            cx.default_boards(self.store, self.actor, self.lang)
            return self._t("ui_done")

        if guard(self.lang, self.result, act):
            self.refresh()

    def refresh(self) -> None:
        boards = cx.boards(self.store)
        options = [(b.title, b.id) for b in boards]
        keep = self.board.value
        if options != list(self.board.options):
            self.board.options = options
        ids = [i for _, i in options]
        self.board.value = keep if keep in ids else (ids[0] if ids else None)
        self.empty.layout.display = "none" if boards else None
        self.board.layout.display = self.live.layout.display = None if boards else "none"
        if self.board.value is not None:
            n = len(cx.board_notes(self.store, self.board.value))
            self.count.value = f"<b>{html.escape(self._t('context_page_count', n=n))}</b>"
        self._build()
        for view in self.views:
            view.refresh()  # type: ignore[attr-defined]

    def _build(self) -> None:
        from separ.ui.base import sections

        board_id = self.board.value
        if board_id == self.built_for:
            return
        self.built_for = board_id
        if board_id is None:
            self.views, self.body.children = [], ()
            return
        tidy = FacilitatorBoard(self.store, self.actor, board_id, self.lang, with_tows=False)
        carry = CarryToPoll(self.store, self.actor, board_id, self.lang)
        self.views = [tidy, carry]
        tabs: list[tuple[str, w.Widget | Callable[[], w.Widget]]] = [
            (self._t("context_page_tidy"), tidy.widget)
        ]
        if BoardKind(self.store.get(cx.Board, board_id).kind) == BoardKind.swot:
            tows = TowsPanel(self.store, self.actor, board_id, self.lang)
            self.views.append(tows)
            tabs.append((self._t("context_ui_strategy"), tows.widget))
        self.body.children = (
            sections(
                [
                    *tabs,
                    (self._t("context_page_to_poll"), carry.widget),
                    (
                        self._t("context_page_figures"),
                        lambda: figures_box(self.store, board_id, self.lang),
                    ),
                ]
            ),
        )


def figures_box(store: Store, board_id: str, lang: Lang) -> w.Widget:
    """The board's figure and its tables for people (the SWOT board adds TOWS)."""
    from separ.figures import context as cf
    from separ.ui.base import figure_widget, table

    kind = BoardKind(store.get(cx.Board, board_id).kind)
    parts: list[w.Widget] = []
    if kind == BoardKind.swot:
        parts += [
            figure_widget(cf.swot_figure(store, board_id, lang)),
            figure_widget(cf.tows_figure(store, board_id, lang)),
            table(cf.tows_frame(store, board_id, lang), lang),
        ]
    else:
        parts.append(figure_widget(cf.pest_figure(store, board_id, lang)))
    parts.append(table(cf.notes_frame(store, board_id, lang), lang))
    return w.VBox(parts)


def context_page(store: Store, actor: Actor, lang: Lang | None = None) -> w.Widget:
    """The stage page of workbook 01, following the store (notes arrive from phones)."""
    from separ.ui.base import follow, status_html
    from separ.ui.mount import Mounted

    chosen: Lang = lang or store.workshop().lang
    if not actor.facilitator:
        return w.HTML(status_html(say(chosen, "facilitator_only"), ok=False))
    return follow(store, Mounted(ContextPage(store, actor, chosen)))
