"""Context figures and tables: Korean renders, text stays inside the figure, tables add up."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from separ import context as cx
from separ.actors import Actor
from separ.figures import context as cf
from separ.workspace import open_workshop

FAC = Actor.facilitator_actor()


def test_wrap_em_measures_hangul_wider_than_latin() -> None:
    # Hangul 0.96 em, Latin 0.6 em, space 0.25 em
    assert cf.wrap_em("가나다 라마", 3.0) == ["가나다", "라마"]  # 2.88 fits; +0.25+1.92 not
    assert cf.wrap_em("abcd efgh", 5.0) == ["abcd", "efgh"]  # 2.4 + 0.25 + 2.4 = 5.05
    assert cf.wrap_em("abcd efg", 5.0) == ["abcd efg"]  # 2.4 + 0.25 + 1.8 = 4.45
    assert cf.wrap_em("가나다라마바", 2.0) == ["가나", "다라", "마바"]  # a long word is split
    assert cf.wrap_em("", 5.0) == [""]


def _texts_inside(fig: Figure) -> list[str]:
    """Draw with missing-glyph warnings as errors; return texts whose box leaves the figure."""
    canvas = FigureCanvasAgg(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" would fail here
        canvas.draw()
    renderer = canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    outside = []
    for t in fig.findobj(Text):
        if not t.get_text():
            continue
        box = t.get_window_extent(renderer)
        if box.x0 < 0 or box.y0 < 0 or box.x1 > width or box.y1 > height:
            outside.append(t.get_text())
    return outside


def _card_overflow(fig: Figure) -> list[str]:
    """Note texts wider than the card they sit on (cards are the white or starred patches)."""
    from matplotlib.patches import FancyBboxPatch

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    cards = [
        p.get_window_extent(renderer)
        for p in fig.findobj(FancyBboxPatch)
        if p.get_facecolor()[:3] in ((1.0, 1.0, 1.0), (1.0, 246 / 255, 200 / 255))
    ]
    bad = []
    for t in fig.findobj(Text):
        box = t.get_window_extent(renderer)
        holders = [
            c
            for c in cards
            if c.x0 <= box.x0 + 1 and c.y0 <= box.y0 + 1 and c.y1 >= box.y1 - 1 and box.x0 < c.x1
        ]
        if holders and box.x1 > min(c.x1 for c in holders) + 1:
            bad.append(t.get_text())
    return bad


def test_sample_figures_render_korean_and_stay_inside(sample_json: Path, tmp_path: Path) -> None:
    with open_workshop(sample_json) as store:
        for board in cx.boards(store):
            for width in (cf.WIDTH, cf.PDF_WIDTH):
                figs = (
                    [cf.pest_figure(store, board.id, width=width)]
                    if board.kind == cx.BoardKind.pest
                    else [
                        cf.swot_figure(store, board.id, width=width),
                        cf.tows_figure(store, board.id, width=width),
                    ]
                )
                for fig in figs:
                    assert fig.get_size_inches()[0] == width
                    assert _texts_inside(fig) == []
                    assert _card_overflow(fig) == []


def test_long_text_makes_the_figure_taller_not_the_type_smaller() -> None:
    from separ.store import Store

    store = Store.memory()
    board = cx.add_board(store, FAC, "pest", "PEST")
    cx.add_note(store, FAC, board.id, "social", "짧은 의견")
    short = cf.pest_figure(store, board.id).get_size_inches()[1]
    cx.add_note(store, FAC, board.id, "social", "아주 긴 의견 " * 20)
    fig = cf.pest_figure(store, board.id)
    assert fig.get_size_inches()[1] > short
    sizes = {t.get_fontsize() for t in fig.findobj(Text) if t.get_text().startswith("아주")}
    assert sizes == {cf.NOTE_PT}
    assert _card_overflow(fig) == []


def test_tows_figure_and_frames_cite_notes_by_code() -> None:
    from separ.store import Store

    store = Store.memory()
    board = cx.add_board(store, FAC, "swot", "SWOT")
    s1 = cx.add_note(store, FAC, board.id, "strengths", "산업 인프라")
    cx.add_note(store, FAC, board.id, "weaknesses", "복지시설 부족")
    o1 = cx.add_note(store, FAC, board.id, "opportunities", "문화 수요 증가")
    cx.add_strategy(store, FAC, board.id, "산단 연계 문화 서비스", [o1.id, s1.id])
    fig = cf.tows_figure(store, board.id)
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert "산단 연계 문화 서비스" in texts and "S1 · O1" in texts
    assert texts.count("(전략 없음)") == 3 and "(의견 없음)" in texts  # no threats yet
    frame = cf.tows_frame(store)
    assert frame.to_dict("records")[0]["근거 의견"] == "S1 산업 인프라 / O1 문화 수요 증가"
    grid = cf.board_grid(store, board.id)
    assert list(grid.columns) == ["강점", "약점", "기회", "위협"]
    assert grid.loc[1].tolist() == ["산업 인프라", "복지시설 부족", "문화 수요 증가", ""]


def test_notes_frame_on_the_seosan_sample() -> None:
    from tests.conftest import SAMPLES

    with open_workshop(SAMPLES["seosan"]) as store:
        frame = cf.notes_frame(store, "seosan-swot")
        grid = cf.board_grid(store, "seosan-swot", "en")
    assert frame["구분"].value_counts().to_dict() == {"약점": 4, "강점": 2, "기회": 2, "위협": 1}
    assert frame.iloc[0]["근거·출처"] == "2030 서산시 종합발전전략"
    assert grid.shape == (4, 4)
    assert list(grid.columns) == ["strengths", "weaknesses", "opportunities", "threats"]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_empty_board_figures(lang: str) -> None:
    from separ.store import Store

    store = Store.memory()
    board = cx.add_board(store, FAC, "pestle", "빈 보드")
    fig = cf.pest_figure(store, board.id, lang)  # type: ignore[arg-type]
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert texts.count("(의견 없음)" if lang == "ko" else "(no notes)") == 6
