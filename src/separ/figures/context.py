"""Figures and tables of the context analysis: the PEST board, the SWOT matrix, the TOWS matrix.

A board is text, not numbers, so the figures are laid out like the wall they replace:
columns (or quadrants) of wrapped cards. Sizes are in inches and points, chosen so a
16:9 projector shows them from the back of the room and an A4 PDF stays legible; the
figure grows taller when a column holds more text instead of shrinking the type.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from separ.context import (
    CATEGORIES,
    TOWS_SIDES,
    Board,
    BoardKind,
    Category,
    Note,
    TowsKind,
    board_notes,
    merged_into,
    note_authors,
    note_codes,
    strategies,
)
from separ.figures.style import PALETTE, figure
from separ.i18n import Lang
from separ.store import Store

if TYPE_CHECKING:
    import pandas as pd

WIDTH = 16.0
"""Inches: the projector's 16:9 width. The type stays the same size at any width, so a
report that places the figure across an A4 page asks for ``width=PDF_WIDTH``: the
columns get narrower, the figure taller, and the notes print at about 9 pt (the smallest
text, a note's source at 0.8 × 13 pt, at 7.3 pt)."""
PDF_WIDTH = 9.5
MARGIN = 0.3
GAP = 0.15
PAD = 0.1
NOTE_PT = 13.0
HEAD_PT = 17.0
TITLE_PT = 21.0
LINE = 1.3
"""Line height as a multiple of the font size."""

COLOURS: dict[Category, str] = {
    Category.political: PALETTE[0],
    Category.economic: PALETTE[1],
    Category.social: PALETTE[2],
    Category.technological: PALETTE[4],
    Category.legal: PALETTE[5],
    Category.environmental: PALETTE[6],
    Category.strengths: PALETTE[0],
    Category.weaknesses: PALETTE[3],
    Category.opportunities: PALETTE[2],
    Category.threats: PALETTE[1],
}


def _width(ch: str) -> float:
    """A character's advance in ems, measured on Noto Sans CJK KR (Hangul 0.94, Latin and
    digits 0.58, space 0.22) and rounded up a little so a line never overflows its card."""
    if ch == " ":
        return 0.25
    return 0.96 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.6


def wrap_em(text: str, ems: float) -> list[str]:
    """Wrap ``text`` into lines of at most ``ems`` font-sizes wide, breaking at spaces
    where possible (Korean puts spaces between words) and inside a long word otherwise."""
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        line, used = "", 0.0
        for word in para.split(" "):
            w = sum(_width(c) for c in word)
            space = _width(" ") if line else 0.0
            if line and used + space + w <= ems:
                line, used = f"{line} {word}", used + space + w
                continue
            if line:
                lines.append(line)
            line, used = "", 0.0
            for ch in word:  # a word longer than the line is split
                if used + _width(ch) > ems and line:
                    lines.append(line)
                    line, used = "", 0.0
                line, used = line + ch, used + _width(ch)
        lines.append(line)
    return lines


@dataclass
class Card:
    text: str
    note: str = ""
    """A small grey line under the text (source, cluster, links)."""
    strong: bool = False


@dataclass
class Panel:
    title: str
    colour: str
    cards: list[Card] = field(default_factory=list)
    empty: str = ""


def _lines_h(n: int, pt: float) -> float:
    return n * pt * LINE / 72


def _card_lines(card: Card, width: float) -> tuple[list[str], list[str]]:
    ems = (width - 2 * PAD) * 72 / NOTE_PT
    small = (width - 2 * PAD) * 72 / (NOTE_PT * 0.8)
    return wrap_em(card.text, ems), wrap_em(card.note, small) if card.note else []


def _card_height(card: Card, width: float) -> float:
    body, note = _card_lines(card, width)
    return _lines_h(len(body), NOTE_PT) + _lines_h(len(note), NOTE_PT * 0.8) + 2 * PAD


def _panel_height(panel: Panel, width: float) -> float:
    head = _lines_h(1, HEAD_PT) + 2 * PAD
    cards = panel.cards or [Card(panel.empty)]
    return head + sum(_card_height(c, width - 2 * PAD) + GAP for c in cards) + PAD


def _draw_panel(ax: Axes, panel: Panel, x: float, y: float, width: float, height: float) -> None:
    """Draw a panel with its top-left corner at (x, y); y grows downwards."""
    ax.add_patch(
        FancyBboxPatch(
            (x, y),
            width,
            height,
            boxstyle="round,pad=0,rounding_size=0.08",
            facecolor="#f7f7f5",
            edgecolor=panel.colour,
            linewidth=2,
        )
    )
    head = _lines_h(1, HEAD_PT) + 2 * PAD
    ax.add_patch(
        FancyBboxPatch(
            (x, y),
            width,
            head,
            boxstyle="round,pad=0,rounding_size=0.08",
            facecolor=panel.colour,
            edgecolor=panel.colour,
            linewidth=2,
        )
    )
    ax.text(
        x + width / 2,
        y + head / 2,
        panel.title,
        ha="center",
        va="center",
        fontsize=HEAD_PT,
        fontweight="bold",
        color="white",
    )
    cy = y + head + GAP
    inner = width - 2 * PAD
    if not panel.cards:
        ax.text(
            x + PAD * 2,
            cy + PAD,
            panel.empty,
            ha="left",
            va="top",
            fontsize=NOTE_PT,
            color="#777777",
            style="italic",
        )
        return
    for card in panel.cards:
        h = _card_height(card, inner)
        ax.add_patch(
            FancyBboxPatch(
                (x + PAD, cy),
                inner,
                h,
                boxstyle="round,pad=0,rounding_size=0.05",
                facecolor="#fff6c8" if card.strong else "white",
                edgecolor="#c89b00" if card.strong else "#bbbbbb",
                linewidth=2.2 if card.strong else 0.8,
            )
        )
        body, note = _card_lines(card, inner)
        ax.text(
            x + 2 * PAD,
            cy + PAD,
            "\n".join(body),
            ha="left",
            va="top",
            fontsize=NOTE_PT,
            linespacing=LINE,
            color="#111111",
        )
        if note:
            ax.text(
                x + 2 * PAD,
                cy + PAD + _lines_h(len(body), NOTE_PT),
                "\n".join(note),
                ha="left",
                va="top",
                fontsize=NOTE_PT * 0.8,
                linespacing=LINE,
                color="#555555",
            )
        cy += h + GAP


def _canvas(title: str, height: float, width: float) -> tuple[Figure, Axes, float]:
    """A figure ``height`` inches of content tall, with ``title`` on top; returns the y
    where content starts."""
    top = MARGIN + _lines_h(1, TITLE_PT) + GAP
    total = top + height + MARGIN
    fig = figure(width, total)
    fig.set_layout_engine("none")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(total, 0)
    ax.axis("off")
    ax.text(MARGIN, MARGIN, title, ha="left", va="top", fontsize=TITLE_PT, fontweight="bold")
    return fig, ax, top


def _grid(
    title: str, rows: list[list[Panel]], width: float, shares: list[float] | None = None
) -> Figure:
    """Panels in rows; each row is as tall as its tallest panel. ``shares`` split the
    width between columns (equal by default)."""
    ncol = max(len(r) for r in rows)
    usable = width - 2 * MARGIN - GAP * (ncol - 1)
    shares = shares or [1 / ncol] * ncol
    widths = [usable * share for share in shares]
    heights = [max(_panel_height(p, w) for p, w in zip(row, widths, strict=False)) for row in rows]
    fig, ax, y = _canvas(title, sum(heights) + GAP * (len(rows) - 1), width)
    for row, h in zip(rows, heights, strict=True):
        x = MARGIN
        for panel, w in zip(row, widths, strict=False):
            _draw_panel(ax, panel, x, y, w, h)
            x += w + GAP
        y += h + GAP
    return fig


# -- what the figures show -------------------------------------------------------------------

EMPTY: dict[Lang, str] = {"ko": "(의견 없음)", "en": "(no notes)"}


def _note_card(store: Store, note: Note, lang: Lang, *, sources: bool) -> Card:
    extra = []
    if note.cluster:
        extra.append(f"#{note.cluster}")
    merged = len(merged_into(store, note.id))
    if merged:
        extra.append(f"+{merged} {'병합' if lang == 'ko' else 'merged'}")
    if sources and note.source:
        extra.append(note.source)
    star = "★ " if note.starred else ""
    return Card(star + note.text, " · ".join(extra), strong=note.starred)


def _panels(store: Store, board: Board, lang: Lang, *, sources: bool) -> list[Panel]:
    notes = board_notes(store, board.id)
    return [
        Panel(
            f"{c.label(lang)} ({c.label('en')[0].upper()})"
            if lang == "ko"
            else c.label(lang).capitalize(),
            COLOURS[c],
            [_note_card(store, n, lang, sources=sources) for n in notes if n.category == c],
            EMPTY[lang],
        )
        for c in CATEGORIES[BoardKind(board.kind)]
    ]


def pest_figure(
    store: Store, board_id: str, lang: Lang = "ko", *, sources: bool = True, width: float = WIDTH
) -> Figure:
    """The PEST(LE) board: one column per category, cards in the facilitator's order."""
    board = store.get(Board, board_id)
    return _grid(board.title, [_panels(store, board, lang, sources=sources)], width)


def swot_figure(
    store: Store, board_id: str, lang: Lang = "ko", *, sources: bool = True, width: float = WIDTH
) -> Figure:
    """The SWOT 2×2 matrix: strengths | weaknesses over opportunities | threats."""
    board = store.get(Board, board_id)
    s, w, o, t = _panels(store, board, lang, sources=sources)
    return _grid(board.title, [[s, w], [o, t]], width)


def _code_rank(code: str) -> tuple[int, str]:
    """S before W before O before T, then by number: how a TOWS cell cites its notes."""
    return ("SWOT".find(code[:1]), code[1:].zfill(4))


def tows_figure(store: Store, board_id: str, lang: Lang = "ko", *, width: float = WIDTH) -> Figure:
    """The TOWS matrix: S and W across, O and T down, strategies where they meet.

    Notes are numbered (S1, O2 ...) in the margins and each strategy names the notes
    it came from, so the matrix reads without arrows.
    """
    board = store.get(Board, board_id)
    codes = note_codes(store, board_id)
    side = {
        c: Panel(
            p.title,
            p.colour,
            [
                Card(f"{codes.get(n.id, '')} {n.text}")
                for n in board_notes(store, board_id)
                if n.category == c
            ],
            EMPTY[lang],
        )
        for c, p in zip(
            CATEGORIES[BoardKind.swot], _panels(store, board, lang, sources=False), strict=True
        )
    }
    found = strategies(store, board_id)
    empty = {"ko": "(전략 없음)", "en": "(no strategies)"}[lang]

    def cell(kind: TowsKind) -> Panel:
        cards = []
        for s in found:
            if s.record.kind == kind:
                linked = " · ".join(sorted((codes.get(n.id, "—") for n in s.notes), key=_code_rank))
                cards.append(Card(s.record.text, linked))
        colour = COLOURS[TOWS_SIDES[kind][0]]  # the internal side's colour
        return Panel(kind.label(lang), colour, cards, empty)

    corner = Panel(
        "TOWS",
        "#5f6b6d",
        [],
        {"ko": "내부(S·W) × 외부(O·T)", "en": "internal (S, W) × external (O, T)"}[lang],
    )
    C_ = Category
    title = f"{board.title} · TOWS"
    return _grid(
        title,
        [
            [corner, side[C_.strengths], side[C_.weaknesses]],
            [side[C_.opportunities], cell(TowsKind.SO), cell(TowsKind.WO)],
            [side[C_.threats], cell(TowsKind.ST), cell(TowsKind.WT)],
        ],
        width,
        [0.26, 0.37, 0.37],
    )


# -- tables --------------------------------------------------------------------------------


def notes_frame(store: Store, board_id: str, lang: Lang = "ko") -> pd.DataFrame:
    """One row per shown note, in board order, with every credited author."""
    import pandas as pd

    from separ.model import Participant

    names = {p.id: p.name for p in store.list(Participant)}
    rows = []
    for note in board_notes(store, board_id):
        authors = [names.get(a, a) for a in note_authors(store, note.id)]
        rows.append(
            {
                "category": Category(note.category).label(lang),
                "order": note.order + 1,
                "text": note.text,
                "source": note.source or "",
                "authors": ", ".join(authors),
                "starred": note.starred,
                "cluster": note.cluster or "",
                "merged": len(merged_into(store, note.id)),
            }
        )
    columns = ["category", "order", "text", "source", "authors", "starred", "cluster", "merged"]
    df = pd.DataFrame(rows, columns=columns)
    if lang == "ko":
        df = df.rename(
            columns=dict(
                zip(
                    columns,
                    ["구분", "순서", "내용", "근거·출처", "작성자", "별표", "묶음", "병합 수"],
                    strict=True,
                )
            )
        )
    return df


def board_grid(store: Store, board_id: str, lang: Lang = "ko") -> pd.DataFrame:
    """The board as a wide table: a column per category (the PEST board or the SWOT
    matrix flattened), a row per position."""
    import pandas as pd

    board = store.get(Board, board_id)
    notes = board_notes(store, board_id)
    columns = {
        c.label(lang): [n.text for n in notes if n.category == c]
        for c in CATEGORIES[BoardKind(board.kind)]
    }
    depth = max((len(v) for v in columns.values()), default=0)
    return pd.DataFrame(
        {k: v + [""] * (depth - len(v)) for k, v in columns.items()},
        index=pd.RangeIndex(1, depth + 1),
    )


def tows_frame(store: Store, board_id: str | None = None, lang: Lang = "ko") -> pd.DataFrame:
    """One row per strategy: its kind, text and the notes it links (with their codes)."""
    import pandas as pd

    rows = []
    codes: dict[str, dict[str, str]] = {}
    for s in strategies(store, board_id):
        board_codes = codes.setdefault(s.record.board_id, note_codes(store, s.record.board_id))
        linked = [f"{board_codes.get(n.id, '—')} {n.text}" for n in s.notes]
        linked.sort(key=_code_rank)
        rows.append(
            {
                "id": s.record.id,
                "kind": TowsKind(s.record.kind).value,
                "strategy": s.record.text,
                "notes": " / ".join(linked),
            }
        )
    columns = ["id", "kind", "strategy", "notes"]
    df = pd.DataFrame(rows, columns=columns)
    if lang == "ko":
        df = df.rename(columns=dict(zip(columns, ["ID", "유형", "전략", "근거 의견"], strict=True)))
    return df
