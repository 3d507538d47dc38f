"""The projector's views, made for the back row of a workshop room.

Every state fills the screen and never scrolls: the page is the viewport's height
(:data:`STYLE`), sizes are in ``vh`` so 1920×1080 and 1280×720 show the same layout, and
body text is 2.6vh (28 px at 1080p). Lists that grow -- notes on a board, people checking
in, comments -- sit in a box that, once full, clips at the top, so the newest entries
always stay in view and the older ones give way (the headers say how many there are).
Korean is never broken inside a word (``word-break: keep-all``) and scores are rounded
for people (:func:`score_text`). User text is escaped. No matplotlib: the participant
server stays light, and HTML bars scale with the screen.
"""

from __future__ import annotations

import html
from fractions import Fraction
from typing import Any
from urllib.parse import urlsplit

import ipywidgets as widgets

from separ.i18n import Lang, add_messages, text
from separ.live.runtime import shared
from separ.store import Store

STYLE = """<style>
.separ-projector { position: fixed; inset: 0; width: 100vw; height: 100vh; max-width: none;
  margin: 0; padding: 2.2vh 2.6vw; display: flex; flex-direction: column; overflow: hidden;
  background: #fff; color: #111; font-size: 2.6vh; line-height: 1.35; word-break: keep-all;
  overflow-wrap: break-word; z-index: 10; }
.separ-projector .separ-stage-row { flex: 1 1 0; min-height: 0; }
.separ-projector .separ-stage, .separ-projector .separ-stage .widget-vbox,
.separ-projector .separ-stage .widget-html, .separ-projector .separ-stage .widget-html-content {
  flex: 1 1 0; min-height: 0; display: flex; flex-direction: column; margin: 0; padding: 0;
  height: auto; }
.separ-projector .widget-html > .widget-label { display: none; }
.separ-projector h1 { font-size: 4.4vh !important; margin: 0 0 1vh 0 !important; line-height: 1.2; }
.separ-projector h2, .separ-projector .separ-count { font-size: 3.8vh !important;
  margin: 0 0 1.2vh 0 !important; line-height: 1.25; }
.separ-projector .separ-head { display: flex; align-items: center; gap: 2vw; flex: 0 0 auto; }
.separ-projector .separ-head h1 { flex: 1 1 auto; }
.separ-projector .separ-corner { display: flex; align-items: center; gap: 1vw; flex: 0 0 auto; }
.separ-projector .separ-corner img { height: 12vh; width: 12vh; }
.separ-projector .separ-corner span { font-size: 2.6vh; font-weight: 700; }
.separ-projector .separ-idle { flex: 1 1 0; min-height: 0; display: flex; align-items: center;
  justify-content: center; gap: 5vw; }
.separ-projector .separ-idle img { height: 62vh; width: 62vh; }
.separ-projector .separ-idle p { font-size: 3vh; margin: 0; }
.separ-projector .separ-idle .separ-call { font-size: 6vh; font-weight: 800; margin: 0 0 3vh 0; }
.separ-projector .separ-idle .separ-address { font-size: 5vh; font-weight: 700; color: #0f3d5e; }
.separ-projector .separ-idle .separ-wait { font-size: 2.8vh; color: #444; margin-top: 3vh; }
/* A growing list: top-aligned while it fits; once it overflows, the free space is negative,
   the auto margin is zero and flex-end keeps the newest (last) entries in view. */
.separ-projector .separ-cards, .separ-projector .separ-notes { flex: 1 1 0; min-height: 0;
  overflow: hidden; display: flex; flex-direction: column; justify-content: flex-end; }
.separ-projector .separ-flow { flex: 0 0 auto; margin-bottom: auto; display: flex;
  flex-wrap: wrap; gap: 1.2vh 1vw; }
.separ-projector .separ-notes .separ-flow { flex-direction: column; flex-wrap: nowrap;
  gap: 0.8vh; }
.separ-projector .separ-card { background: #f1f5f9; border-radius: 1.2vh; padding: 1vh 1.2vw;
  font-size: 2.8vh; min-width: 0; max-width: 100%; }
.separ-projector .separ-card b { display: block; }
.separ-projector .separ-card span { display: block; font-size: 2.6vh; color: #333; }
.separ-projector .separ-board { flex: 1 1 0; min-height: 0; display: grid; gap: 1vh 1vw; }
.separ-projector .separ-column { display: flex; flex-direction: column; min-height: 0;
  background: #f5f5f2; border-radius: 1.2vh; padding: 0.8vh 0.8vw; }
.separ-projector .separ-column > b { flex: 0 0 auto; text-align: center; font-size: 3vh;
  line-height: 1.4 !important; padding-bottom: 0.6vh; border-bottom: 2px solid #ddd;
  margin-bottom: 0.6vh; }
.separ-projector .separ-note { flex: 0 0 auto; background: #fff; border: 1px solid #bbb;
  border-radius: 0.9vh; padding: 0.6vh 0.7vw; font-size: 2.6vh; }
.separ-projector .separ-note.separ-star { background: #fff6c8; border: 3px solid #c89b00; }
.separ-projector .separ-options { list-style: none; margin: 0; padding: 0; flex: 1 1 0;
  min-height: 0; overflow: hidden; display: flex; flex-direction: column; flex-wrap: wrap;
  align-content: flex-start; gap: 1vh 3vw; }
.separ-projector .separ-options li { font-size: 3.6vh; max-width: 44vw; }
.separ-projector .separ-bigcount { font-size: 6vh; font-weight: 800; color: #0f3d5e;
  margin: 0 0 2vh 0; }
.separ-projector table.separ-ranking { border-collapse: collapse; width: 100%; }
.separ-projector table.separ-ranking td, .separ-projector table.separ-ranking th {
  font-size: 3.4vh; padding: 0.6vh 1vw; text-align: left; vertical-align: middle;
  word-break: keep-all; white-space: normal; }
.separ-projector table.separ-ranking th { white-space: nowrap; color: #444; font-size: 2.8vh; }
.separ-projector table.separ-ranking .separ-num { text-align: right; white-space: nowrap;
  width: 1%; }
.separ-projector .separ-bar { height: 2.4vh; background: #2a7ab0; border-radius: 0.4vh; }
.separ-projector .separ-muted { color: #555; }
.separ-projector .separ-error { color: #b00020; font-weight: bold; }
</style>"""


def short_address(url: str) -> str:
    """``http://192.168.0.10:8866/`` → ``192.168.0.10:8866``: what people type, if they type."""
    parts = urlsplit(url)
    if not parts.netloc:
        return url
    path = parts.path.rstrip("/")
    return parts.netloc + path


add_messages(
    {
        "projector_ui_call": {"ko": "QR을 찍어 참여하세요", "en": "Scan the QR code to join"},
        "projector_ui_qr": {"ko": "참여 QR 코드", "en": "QR code to join"},
        "projector_ui_or": {"ko": "또는 주소 입력", "en": "or open"},
        "projector_ui_wait": {
            "ko": "진행자가 활동을 시작하면 이 화면이 바뀝니다.",
            "en": "This screen changes when the facilitator starts an activity.",
        },
        "projector_ui_so_far": {"ko": "지금까지 {n}명 투표", "en": "{n} ballots so far"},
        "projector_ui_voted": {"ko": "{n}명 투표", "en": "{n} voted"},
        "projector_ui_closed": {
            "ko": "투표 마감 · 결과 공개를 기다립니다",
            "en": "Voting closed · results soon",
        },
        "projector_ui_draft": {"ko": "곧 투표를 시작합니다", "en": "Voting starts soon"},
        "projector_ui_rank": {"ko": "순위", "en": "Rank"},
        "projector_ui_option": {"ko": "선택지", "en": "Option"},
        "projector_ui_score": {"ko": "점수", "en": "Score"},
        "projector_ui_place": {"ko": "{n}위", "en": "#{n}"},
        "projector_ui_no_ballots": {"ko": "아직 투표가 없습니다", "en": "No ballots yet"},
        "projector_ui_notes": {"ko": "의견 {n}개", "en": "{n} notes"},
        "projector_ui_empty": {"ko": "아직 없음", "en": "none yet"},
        "projector_ui_assets": {"ko": "분류별 자산", "en": "Assets by category"},
        "projector_ui_assets_head": {
            "ko": "자산 {n}개 · 조직 {orgs}개 · 관계 {ties}개",
            "en": "{n} assets · {orgs} organisations · {ties} ties",
        },
        "projector_ui_newest": {"ko": "새로 들어온 자산", "en": "Newest assets"},
    }
)


def say(key: str, lang: Lang, **params: object) -> str:
    """A projector text from the table above (``key`` without its ``projector_ui_`` prefix)."""
    return text(f"projector_ui_{key}", lang, **params)


def score_text(value: Fraction | float | int) -> str:
    """A score for the room: whole numbers whole, others to one decimal (4.3, not 4.3333)."""
    number = Fraction(value) if not isinstance(value, float) else Fraction(str(value))
    if number.denominator == 1:
        return f"{int(number):,}"
    return f"{float(number):,.1f}"


def idle_html(title: str, join_url: str, qr_uri: str, lang: Lang) -> str:
    """Nothing live: the workshop title, a QR code most of the screen high, the call to join
    and the short join address."""
    return (
        f"<h1>{html.escape(title)}</h1><div class='separ-idle'>"
        f"<img alt='{say('qr', lang)}' src='{qr_uri}'><div>"
        f"<p class='separ-call'>{say('call', lang)}</p>"
        f"<p class='separ-muted'>{say('or', lang)}</p>"
        f"<p class='separ-address'>{html.escape(short_address(join_url))}</p>"
        f"<p class='separ-wait'>{say('wait', lang)}</p></div></div>"
    )


def head_html(title: str, join_url: str, qr_uri: str, lang: Lang = "ko") -> str:
    """While something is live: the title, and a small QR with the address in the corner
    for latecomers."""
    return (
        f"<div class='separ-head'><h1>{html.escape(title)}</h1><div class='separ-corner'>"
        f"<img alt='{say('qr', lang)}' src='{qr_uri}'><span>{html.escape(short_address(join_url))}"
        f"</span></div></div>"
    )


class HtmlProjector(widgets.VBox):  # type: ignore[misc]
    """One HTML widget redrawn by ``render()`` when what it shows changed."""

    def __init__(self) -> None:
        self.board = widgets.HTML()
        super().__init__([self.board], layout=widgets.Layout(width="100%"))
        self.refresh()

    def render(self) -> str:
        raise NotImplementedError

    def refresh(self) -> None:
        markup = self.render()
        if markup != self.board.value:
            self.board.value = markup


# -- boards (PEST/SWOT) --------------------------------------------------------------------


def board_html(store: Store, board_id: str, lang: Lang) -> str:
    """The board as columns (PEST) or quadrants (SWOT); each column bottom-aligned so its
    newest notes stay in view however many there are."""
    from separ import context as cx

    board = store.get(cx.Board, board_id)
    kind = cx.BoardKind(board.kind)
    notes = cx.board_notes(store, board_id)
    columns = []
    for cat in cx.CATEGORIES[kind]:
        mine = [n for n in notes if n.category == cat]
        cards = "".join(
            f"<div class='separ-note{' separ-star' if n.starred else ''}'>"
            f"{'★ ' if n.starred else ''}{html.escape(n.text)}</div>"
            for n in mine
        ) or (f"<div class='separ-muted'>{say('empty', lang)}</div>")
        columns.append(
            f"<div class='separ-column'><b>{html.escape(cat.label(lang))} "
            f"({len(mine)})</b><div class='separ-notes'><div class='separ-flow'>"
            f"{cards}</div></div></div>"
        )
    grid = (
        "grid-template-columns: 1fr 1fr; grid-template-rows: 1fr 1fr"
        if kind == cx.BoardKind.swot
        else f"grid-template-columns: repeat({len(columns)}, 1fr); grid-template-rows: 1fr"
    )
    return (
        f"<h2>{html.escape(board.title)} · {say('notes', lang, n=len(notes))}</h2>"
        f"<div class='separ-board' style='{grid}'>{''.join(columns)}</div>"
    )


class BoardProjector(HtmlProjector):
    def __init__(self, store: Store, board_id: str, lang: Lang) -> None:
        self.store, self.board_id, self.lang = store, board_id, lang
        super().__init__()

    def render(self) -> str:
        return board_html(self.store, self.board_id, self.lang)


# -- polls ---------------------------------------------------------------------------------


def poll_html(store: Store, poll_id: str, lang: Lang) -> str:
    """Open (or not yet revealed): the question, the options and how many voted. Revealed:
    the ranking with rounded scores and bars; no ballots: says so instead of a tie."""
    from separ import polls

    actor = _projector_actor()
    with store.reading() as tx:
        poll = tx.get(polls.Poll, poll_id)
        options = sorted(
            tx.find(polls.PollOption, poll_id=poll_id), key=lambda o: (o.position, o.label)
        )
        n = sum(b.voters for b in tx.find(polls.PollBallot, poll_id=poll_id))
    question = html.escape(poll.question or poll.title)
    if not poll.results_revealed:
        state = {
            "open": say("so_far", lang, n=n),
            "closed": say("closed", lang),
            "draft": say("draft", lang),
        }[polls.PollStatus(poll.status).value]
        if poll.status == polls.PollStatus.closed:
            state = f"{say('voted', lang, n=n)} · {state}"
        items = "".join(
            f"<li>{i}. {html.escape(o.label)}</li>" for i, o in enumerate(options, start=1)
        )
        return (
            f"<h2>{question}</h2><p class='separ-bigcount'>{state}</p>"
            f"<ol class='separ-options'>{items}</ol>"
        )
    res = polls.results(store, actor, poll_id)
    if res.voted == 0 or not res.result.ranking:
        return f"<h2>{question}</h2><p class='separ-bigcount'>{say('no_ballots', lang)}</p>"
    top = max((abs(p.score) for p in res.result.ranking), default=Fraction(1)) or Fraction(1)
    rows = "".join(
        f"<tr><td class='separ-num'>{say('place', lang, n=p.rank)}</td>"
        f"<td>{html.escape(res.label(p.option))}</td>"
        f"<td class='separ-num'>{score_text(p.score)}</td>"
        f"<td style='width:30%'><div class='separ-bar' "
        f"style='width:{float(abs(p.score) / top) * 100:.0f}%'></div></td></tr>"
        for p in res.result.ranking
    )
    return (
        f"<h2>{question} · {say('voted', lang, n=res.voted)}</h2>"
        f"<div style='flex:1 1 0;min-height:0;overflow:hidden'>"
        f"<table class='separ-ranking'><tr><th class='separ-num'>{say('rank', lang)}</th>"
        f"<th>{say('option', lang)}</th><th class='separ-num'>{say('score', lang)}</th>"
        f"<th></th></tr>"
        f"{rows}</table></div>"
    )


def _projector_actor() -> Any:
    from separ.ui.voting import PROJECTOR_ACTOR

    return PROJECTOR_ACTOR


class PollProjector(HtmlProjector):
    """Redrawn only when the poll's status, reveal or ballot count moved."""

    def __init__(self, store: Store, poll_id: str, lang: Lang) -> None:
        self.store, self.poll_id, self.lang = store, poll_id, lang
        self.seen: Any = None
        super().__init__()

    def render(self) -> str:
        return poll_html(self.store, self.poll_id, self.lang)

    def refresh(self) -> None:
        from separ.ui.voting import _poll_state

        state = _poll_state(self.store, self.poll_id)
        if state != self.seen:
            self.seen = state
            super().refresh()


# -- assets --------------------------------------------------------------------------------


def assets_html(store: Store, lang: Lang) -> str:
    """Counts, then the assets per category as bars (the chart first; the network map is
    left out: at a projector's distance its labels are not readable), then the newest."""
    from separ import assets as am
    from separ import network as net

    active = am.active_assets(store)
    graph = net.store_graph(store)
    counts = am.by_category(active)
    top = max([*counts.values(), 1])
    rows = "".join(
        f"<tr><td style='width:25%'>{html.escape(cat.label(lang))}</td>"
        f"<td class='separ-num'>{n:,}</td>"
        f"<td style='width:55%'><div class='separ-bar' style='width:{n / top * 100:.0f}%'>"
        f"</div></td></tr>"
        for cat, n in counts.items()
    )
    newest = "".join(
        f"<div class='separ-card'><b>{html.escape(a.name)}</b></div>" for a in active[-12:]
    )
    head = say(
        "assets_head",
        lang,
        n=len(active),
        orgs=graph.number_of_nodes(),
        ties=graph.number_of_edges(),
    )
    return (
        f"<h2>{html.escape(head)}</h2>"
        f"<table class='separ-ranking'><tr><th>{say('assets', lang)}</th><th></th><th></th>"
        f"</tr>{rows}</table>"
        + (
            f"<h2 style='margin-top:1.5vh !important'>{say('newest', lang)}</h2>"
            f"<div class='separ-cards'><div class='separ-flow'>{newest}</div></div>"
            if newest
            else ""
        )
    )


class AssetsProjector(HtmlProjector):
    def __init__(self, store: Store, lang: Lang) -> None:
        self.store, self.lang = store, lang
        super().__init__()

    def render(self) -> str:
        markup: str = shared("projector-assets", lambda: assets_html(self.store, self.lang))
        return markup


def board_view(store: Store, target_id: str) -> widgets.Widget:
    return BoardProjector(store, target_id, store.workshop().lang)


def poll_view(store: Store, target_id: str) -> widgets.Widget:
    return PollProjector(store, target_id, store.workshop().lang)


def assets_view(store: Store) -> widgets.Widget:
    return AssetsProjector(store, store.workshop().lang)
