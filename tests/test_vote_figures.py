"""Result charts: the bars carry the counted numbers, Korean labels, ties marked."""

from __future__ import annotations

from pathlib import Path

from separ.actors import Actor
from separ.figures.style import save_png
from separ.figures.voting import result_figures
from separ.model import Participant, Workshop
from separ.polls import PollCriterion, PollOption, create_poll, open_poll, results, submit_ballot
from separ.store import Store

FAC = Actor.facilitator_actor()


def _store() -> Store:
    store = Store.memory()
    with store.transaction() as tx:
        tx.add(Workshop(title="t", region="서산시"))
        for i in range(4):
            tx.add(Participant(id=f"p{i}", name=f"n{i}"))
    return store


def _bars(fig: object) -> list[float]:
    ax = fig.axes[0]  # type: ignore[attr-defined]
    return [round(patch.get_width(), 4) for patch in ax.patches]


def test_dot_bars_show_counts_and_ties(tmp_path: Path) -> None:
    store = _store()
    poll = create_poll(
        store, FAC, "스티커", "dots", options="센터 운영\n독립 공간\n공공구매", dots=2
    )
    a, b, c = (o.id for o in store.list(PollOption, order_by="position"))
    open_poll(store, FAC, poll.id)
    submit_ballot(store, Actor("p0", "x"), poll.id, {a: 2})
    submit_ballot(store, Actor("p1", "x"), poll.id, {b: 2})
    submit_ballot(store, Actor("p2", "x"), poll.id, {c: 1})
    figs = result_figures(results(store, FAC, poll.id), "ko")
    assert list(figs) == ["scores"]
    fig = figs["scores"]
    assert _bars(fig) == [2, 2, 1]
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["센터 운영", "독립 공간", "공공구매"]
    assert [t.get_text() for t in ax.texts] == [" 2 · 1위 동점", " 2 · 1위 동점", " 1 · 3위"]
    assert "참여 3명 / 4명" in ax.get_title()
    assert save_png(fig, tmp_path / "d.png").stat().st_size > 5000


def test_criteria_stack_and_distribution() -> None:
    store = _store()
    poll = create_poll(
        store,
        FAC,
        "다기준",
        "criteria",
        options=["가", "나"],
        criteria={"시급성": 3, "파급효과": 1},
    )
    a, b = (o.id for o in store.list(PollOption, order_by="position"))
    urgent, impact = (c.id for c in store.list(PollCriterion, order_by="position"))
    open_poll(store, FAC, poll.id)
    for i, (x, y) in enumerate([(5, 1), (1, 5)]):
        submit_ballot(
            store,
            Actor(f"p{i}", "x"),
            poll.id,
            [(a, x, urgent), (a, 4, impact), (b, 2, urgent), (b, y, impact)],
        )
    figs = result_figures(results(store, FAC, poll.id), "en")
    assert list(figs) == ["scores", "criteria", "distribution"]
    # 가: 시급성 mean 3 x 3/4 = 2.25, 파급효과 4 x 1/4 = 1; 나: 2 x 3/4 = 1.5, 3 x 1/4 = 0.75
    assert _bars(figs["criteria"]) == [2.25, 1.5, 1.0, 0.75]
    legend = [t.get_text() for t in figs["criteria"].legends[0].get_texts()]
    assert legend == ["시급성 (×3)", "파급효과 (×1)"]
    # per-voter weighted scores, rounded: 가 (15+4)/4 -> 5 and (3+4)/4 -> 2;
    # 나 (6+1)/4 -> 2 and (6+5)/4 -> 3
    dist = [t.get_text() for t in figs["distribution"].legends[0].get_texts()]
    assert dist == ["2", "3", "5"]
    assert _bars(figs["distribution"]) == [1, 1, 0, 1, 1, 0]
