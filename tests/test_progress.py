"""Progress tracking: status logs, roll-ups, the plan-vs-reality review, rights, the sample.

A small hand-made plan (2022-2024):

    strategy 1: task 1-1 (lead 시; role 네트워크; committee C)
                    a1 2022-01..06, a2 2022-07..12, a3 2023H1
                task 1-2: b1 2022Q1, b2 2022Q3..2023Q1
    strategy 2: task 2-1 (role 네트워크; committee C): c1 2022H1

Budget: 1-1 1,000,000 (2022, 시비) + 500,000 (no year); 1-2 2,000,000 (2023, 시비);
2-1 300,000 per year.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from separ import progress as pg
from separ.actors import Actor
from separ.errors import SeparError
from separ.figures import followup as ff
from separ.model import Participant, Workshop
from separ.progress import STATUS_COLOURS, Status
from separ.roadmap import (
    BudgetLine,
    CommitteeTask,
    RoleAssignment,
    Strategy,
    SubActivity,
    SubCommittee,
    Task,
)
from separ.store import Store
from separ.workspace import open_workshop
from tests.conftest import SAMPLES

FAC = Actor.facilitator_actor()
D = dt.date
END = D(2022, 12, 31)


def plan_store() -> Store:
    store = Store.memory()
    with store.transaction() as tx:
        tx.add(Workshop(title="t", region="r", plan_start=2022, plan_end=2024))
        tx.add(Strategy(id="s1", code="1", title="기반"))
        tx.add(Strategy(id="s2", code="2", title="거버넌스", order=1))
        tx.add(Task(id="t1", strategy_id="s1", code="1-1", title="센터", lead="시"))
        tx.add(Task(id="t2", strategy_id="s1", code="1-2", title="공간", order=1))
        tx.add(Task(id="t3", strategy_id="s2", code="2-1", title="협의체"))
        tx.add(RoleAssignment(task_id="t1", actor="네트워크"))
        tx.add(RoleAssignment(task_id="t3", actor="네트워크"))
        tx.add(SubCommittee(id="c", name="C"))
        tx.add(CommitteeTask(committee_id="c", task_id="t1"))
        tx.add(CommitteeTask(committee_id="c", task_id="t3"))
        for id_, task, start, end, order in [
            ("a1", "t1", "2022-01", "2022-06", 0),
            ("a2", "t1", "2022-07", "2022-12", 1),
            ("a3", "t1", "2023H1", None, 2),
            ("b1", "t2", "2022Q1", None, 0),
            ("b2", "t2", "2022Q3", "2023Q1", 1),
            ("c1", "t3", "2022H1", None, 0),
        ]:
            tx.add(
                SubActivity(
                    id=id_, task_id=task, title=f"활동 {id_}", start=start, end=end, order=order
                )
            )
        tx.add(
            BudgetLine(id="L1", task_id="t1", item="운영", amount=1_000_000, year=2022, side="city")
        )
        tx.add(BudgetLine(id="L2", task_id="t1", item="포럼", amount=500_000))
        tx.add(
            BudgetLine(id="L3", task_id="t2", item="공간", amount=2_000_000, year=2023, side="city")
        )
        tx.add(BudgetLine(id="L4", task_id="t3", item="간담회", amount=300_000, per_year=True))
    pg.record_update(store, FAC, "t1", "2022-03-01", "in_progress", activity_id="a1", percent=40)
    pg.record_update(store, FAC, "t1", "2022-06-20", "done", activity_id="a1")
    pg.record_update(store, FAC, "t1", "2022-09-01", "in_progress", activity_id="a2", percent=50)
    pg.record_update(
        store, FAC, "t2", "2022-02-01", "dropped", activity_id="b1", reason="예산 없음"
    )
    pg.record_update(store, FAC, "t2", "2022-10-01", "in_progress", activity_id="b2")
    pg.record_update(store, FAC, "t2", "2022-11-01", "in_progress", activity_id="b2", percent=30)
    pg.record_update(store, FAC, "t3", "2022-05-01", "done", note="협의체 구성")
    pg.record_spending(store, FAC, "t1", "2022-05-01", 400_000, budget_line_id="L1", side="city")
    pg.record_spending(store, FAC, "t1", "2023-02-01", 100_000, budget_line_id="L1", side="city")
    pg.record_spending(store, FAC, "t3", "2022-07-01", 250_000, side="civil")
    return store


@pytest.fixture(scope="module")
def progress() -> pg.Progress:
    return pg.load_progress(plan_store())


def test_states_follow_the_log(progress: pg.Progress) -> None:
    plan = progress.plan
    t1, t2, t3 = plan.tasks
    assert pg.task_state(progress, t1, END) == pg.State(
        Status.in_progress, 50.0, D(2022, 9, 1)
    )  # (100 + 50 + 0) / 3
    assert pg.task_state(progress, t1, D(2022, 5, 1)).percent == pytest.approx(40 / 3)
    assert pg.task_state(progress, t1, D(2021, 12, 31)).status == Status.not_started
    b2 = next(a for a in plan.activities if a.id == "b2")
    assert pg.activity_state(progress, b2, D(2022, 10, 15)).percent == 0  # no percent yet
    assert pg.activity_state(progress, b2, END).percent == 30
    assert pg.task_state(progress, t2, END).percent == 30  # dropped b1 left out
    state3 = pg.task_state(progress, t3, END)  # the task's own update
    assert (state3.status, state3.percent, state3.note) == (Status.done, 100, "협의체 구성")


def test_rollups(progress: pg.Progress) -> None:
    by_strategy = {r.key: r for r in pg.rollup(progress, "strategy", END)}
    s1, s2 = by_strategy["s1"], by_strategy["s2"]
    assert s1.counts[Status.in_progress] == 2 and s1.percent == pytest.approx(40)
    assert (s1.budget, s1.spent) == (3_500_000, 400_000)
    assert (s2.counts[Status.done], s2.percent, s2.budget, s2.spent) == (1, 100, 300_000, 250_000)
    committee = pg.rollup(progress, "committee", END)[0]
    assert (committee.tasks, committee.percent) == (["t1", "t3"], 75)
    assert (committee.budget, committee.spent) == (1_800_000, 650_000)
    actors = {r.key: r for r in pg.rollup(progress, "actor", END)}
    assert actors["시"].tasks == ["t1"] and actors["시"].percent == 50
    assert actors["네트워크"].tasks == ["t1", "t3"] and actors["네트워크"].percent == 75
    tasks = pg.rollup(progress, "task")  # no date: everything
    assert [r.spent for r in tasks] == [500_000, 0, 250_000]
    frame = pg.rollup_frame(pg.rollup(progress, "strategy", END))
    assert list(frame["진행중"]) == [2, 0] and list(frame["완료"]) == [0, 1]


def test_review_plan_against_reality(progress: pg.Progress) -> None:
    rev = pg.review(progress, END)
    assert [(s.activity_id, s.planned_end) for s in rev.slipped] == [
        ("a2", "2022-12"),
        ("c1", "2022-06"),
    ]
    assert [(s.activity_id, s.state.reason) for s in rev.dropped] == [("b1", "예산 없음")]
    earlier = pg.review(progress, D(2022, 12, 30))  # a2 not due yet
    assert [s.activity_id for s in earlier.slipped] == ["c1"]
    assert [(r.task_id, r.year, r.side, r.budget, r.spent) for r in rev.spending] == [
        ("t1", "2022", "city", 1_000_000, 400_000),
        ("t1", "unspecified", "unspecified", 500_000, 0),
        ("t2", "2023", "city", 2_000_000, 0),
        ("t3", "2022", "civil", 0, 250_000),
        ("t3", "per_year", "unspecified", 300_000, 0),
    ]
    frames = pg.review_frames(rev, progress, "ko")
    assert list(frames["dropped"]["status"]) == ["중단"]
    assert list(frames["spending"]["rate"])[:2] == [40.0, 0.0]
    assert pg.spending_by_line(progress) == {"L1": 500_000}


def test_task_slips_when_its_last_activity_was_due() -> None:
    store = plan_store()
    progress = pg.load_progress(store)
    rev = pg.review(progress, D(2023, 7, 1))  # a3 (2023H1) now due
    assert ("t1", None) in [(s.task_id, s.activity_id) for s in rev.slipped]


def test_rights_and_validation() -> None:
    store = plan_store()
    person = Actor(store.add(Participant(name="p")).id, "p")
    for call in (
        lambda a: pg.record_update(store, a, "t1", "2022-01-01", "in_progress"),
        lambda a: pg.set_quick_win(store, a, "t1", True),
        lambda a: pg.add_evidence(store, a, "t1", "https://x.org", "x"),
        lambda a: pg.record_spending(store, a, "t1", "2022-01-01", 1),
        lambda a: pg.set_incentive(store, a, "t1", "시", "x"),
    ):
        with pytest.raises(SeparError) as err:
            call(person)
        assert err.value.key == "facilitator_only"
    with pytest.raises(SeparError) as err:
        pg.record_update(store, FAC, "t1", "2022-01-01", "dropped")
    assert err.value.key == "progress_needs_reason"
    with pytest.raises(SeparError) as err:
        pg.record_update(store, FAC, "t1", "2022-01-01", "in_progress", activity_id="b1")
    assert err.value.key == "progress_activity_elsewhere"
    for bad in ({"percent": 120}, {"status": "done", "percent": 50}, {"status": "maybe"}):
        with pytest.raises(SeparError):
            pg.record_update(
                store, FAC, "t1", "2022-01-01", bad.pop("status", "in_progress"), **bad
            )  # type: ignore[arg-type]
    for url in ("javascript:alert(1)", "file:///etc/passwd", "example.org", "http://a b"):
        with pytest.raises(SeparError) as err:
            pg.add_evidence(store, FAC, "t1", url, "x")
        assert err.value.key == "progress_bad_url"
        assert "https://" in err.value.message("ko") and "address" in err.value.message("en")
    with pytest.raises(SeparError) as err:
        pg.record_spending(store, FAC, "t1", "2022-01-01", 5, budget_line_id="L3")
    assert err.value.key == "progress_budget_elsewhere"
    ok = pg.add_evidence(store, FAC, "t1", " https://example.org/a ", "회의록")
    assert ok.url == "https://example.org/a"
    pg.set_incentive(store, FAC, "t1", "시", "현장 의견")
    pg.set_incentive(store, FAC, "t1", "시", "정책 반영")  # replaces
    assert [i.incentive for i in store.list(pg.Incentive)] == ["정책 반영"]
    pg.set_quick_win(store, FAC, "t1", True)
    pg.set_quick_win(store, FAC, "t1", False)
    assert [f.quick_win for f in store.list(pg.TaskFollowup)] == [False]


# --------------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def seosan() -> pg.Progress:
    return pg.load_progress(open_workshop(SAMPLES["seosan"]))


def test_seosan_example_review(seosan: pg.Progress) -> None:
    assert seosan.updates and all(
        "예시(example): not from the report" in (u.note or "") for u in seosan.updates
    )
    for rows in (seosan.spending, seosan.evidence, seosan.incentives):
        assert rows and all("예시(example)" in (r.notes or "") for r in rows)
    rev = pg.review(seosan, END)
    assert [s.title for s in rev.slipped] == [
        "독립적 논의구조 마련",
        "품목정리",
        "지역경제단체와 연계",
    ]
    assert [s.title for s in rev.dropped] == [
        "공공시장 분석 예산확보",
        "공공시장 분석 연구 진행",
        "멘토링",
    ]
    assert all(s.state.reason for s in rev.dropped)
    rows = pg.rollup(seosan, "strategy", END)
    assert sum(len(r.tasks) for r in rows) == 14
    assert sum(r.spent for r in rows) == 69_000_000
    quick = sorted(
        t.code
        for t in seosan.plan.tasks
        if seosan.followups.get(t.id) and seosan.followups[t.id].quick_win
    )
    assert quick == ["2-2", "3-3"]


def test_seosan_figures(seosan: pg.Progress, tmp_path: Path) -> None:
    from separ.figures.style import save_png

    fig = ff.progress_by_task(seosan, END)
    bars = fig.axes[0].patches
    assert len(bars) == 14
    states = [pg.task_state(seosan, t, END) for t in seosan.plan.tasks]
    import matplotlib.colors as mc

    assert [mc.to_hex(b.get_facecolor()) for b in bars] == [
        STATUS_COLOURS[s.status] for s in states
    ]
    assert save_png(fig, tmp_path / "p.png").stat().st_size > 20_000
    gantt = ff.plan_vs_reality(seosan, pg.review(seosan, END))
    outlined = [
        p
        for p in gantt.axes[0].patches
        if p.get_linewidth() > 2 and mc.to_hex(p.get_edgecolor()) == "#b00020"
    ]
    assert len(outlined) == 3
    assert save_png(gantt, tmp_path / "g.png").stat().st_size > 50_000


def test_progress_panel_click() -> None:
    from separ.ui.followup import ProgressPanel, review_view

    store = plan_store()
    panel = ProgressPanel(store, FAC)
    panel.task.value = "t2"
    panel.activity.value = "b2"
    panel.date.value = D(2022, 12, 1)
    panel.state.value = "in_progress"
    panel.percent.value = 60
    panel.note.value = "<b>중간 점검</b>"
    panel.save.click()
    assert "기록했습니다" in panel.status.value
    last = max(
        (u for u in store.list(pg.ProgressUpdate) if u.activity_id == "b2"), key=lambda u: u.date
    )
    assert (last.percent, last.note, last.author) == (60, "<b>중간 점검</b>", "진행자")
    panel.state.value = "dropped"
    panel.save.click()
    assert "사유" in panel.status.value
    panel.url.value = "javascript:alert(1)"
    panel.url_title.value = "x"
    panel.add_url.click()
    assert "https://" in panel.status.value and not store.list(pg.Evidence)
    refused = ProgressPanel(store, Actor("p", "p"))
    assert "진행자 권한" in refused.children[0].value
    view = review_view(store, END)
    assert "지연된 일 (2)" in view.children[0].value


def test_the_progress_panel_opens_on_a_workshop_without_a_plan(tmp_path: Path) -> None:
    # it raised KeyError 'activity': the status frame of no tasks had no columns
    from separ.actors import Actor
    from separ.model import Workshop
    from separ.store import Store
    from separ.ui.followup import ProgressPanel

    with Store.open(tmp_path / "ws", create=True) as store:
        store.add(Workshop(title="새 워크숍", region="서산시"))
        panel = ProgressPanel(store, Actor.facilitator_actor())
        assert panel.task.options == ()
        assert "Traceback" not in panel.table.value
