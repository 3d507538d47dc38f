"""The roadmap: tree, labels, periods, budget roll-ups against the seed, checks, rights, widgets."""

from __future__ import annotations

from pathlib import Path

import pytest

from separ import roadmap as rm
from separ.actors import Actor
from separ.errors import SeparError
from separ.model import Participant, Session, Workshop
from separ.roadmap import Period, coarsen, load_plan, period_label
from separ.store import Store
from separ.workspace import open_workshop
from tests.conftest import SAMPLES

FAC = Actor.facilitator_actor()


@pytest.fixture(scope="module")
def nonsan() -> Store:
    return open_workshop(SAMPLES["nonsan"])


@pytest.fixture(scope="module")
def seosan() -> Store:
    return open_workshop(SAMPLES["seosan"])


def fresh(name: str) -> Store:
    store = open_workshop(SAMPLES[name])
    return store


def clean_store() -> Store:
    """A small plan with nothing to complain about."""
    store = Store.memory()
    with store.transaction() as tx:
        tx.add(Workshop(title="t", region="r", plan_start=2022, plan_end=2024))
        tx.add(Participant(id="p1", name="가"))
        tx.add(Session(id="s1", round=1))
        tx.add(rm.Strategy(id="s", code="1", title="기반"))
        tx.add(rm.Strategy(id="s2", code="2", title="홍보"))
        tx.add(rm.CoreGoal(id="g", strategy_id="s", title="목표"))
        tx.add(
            rm.Task(id="t", strategy_id="s", goal_id="g", code="1-1", title="과제", lead="네트워크")
        )
        tx.add(rm.SubActivity(task_id="t", title="준비", start="2022Q1", end="2022Q2"))
        tx.add(
            rm.BudgetLine(
                id="b",
                task_id="t",
                item="조사",
                amount=600,
                units=2,
                quantity=3,
                rate=100,
                side="civil",
            )
        )
        tx.add(rm.BudgetTotal(task_id="t", amount=600))
        tx.add(rm.SubCommittee(id="c", name="교육분과"))
    return store


# --------------------------------------------------------------------------- periods


def test_periods_parse_to_month_spans() -> None:
    assert Period.parse("2021-10") == Period(2021 * 12 + 9, 2021 * 12 + 9, "month")
    assert Period.parse("2022Q4") == Period(2022 * 12 + 9, 2022 * 12 + 11, "quarter")
    assert Period.parse("2023H1") == Period(2023 * 12, 2023 * 12 + 5, "half")
    for bad in ("2021-13", "2021Q5", "21H1", "2021 H1"):
        with pytest.raises(SeparError):
            Period.parse(bad)


def test_coarser_granularity_widens_to_whole_periods() -> None:
    nov21, feb22 = 2021 * 12 + 10, 2022 * 12 + 1
    assert coarsen(nov21, feb22, "quarter") == (2021 * 12 + 9, 2022 * 12 + 2)
    assert coarsen(nov21, feb22, "half") == (2021 * 12 + 6, 2022 * 12 + 5)
    assert period_label(nov21, "quarter") == "21년 4분기"
    assert period_label(feb22, "half", "en") == "2022 H1"
    assert period_label(feb22, "month") == "22.2"


def test_schedule_frame_at_each_granularity(nonsan: Store) -> None:
    from separ.figures.roadmap import schedule_frame

    plan = load_plan(nonsan)
    by = {g: schedule_frame(plan, g) for g in ("month", "quarter", "half")}
    row = by["month"][by["month"]["세부활동"] == "자료조사"].iloc[0]
    assert (row["시작"], row["종료"]) == ("21.10", "21.11")
    row = by["quarter"][by["quarter"]["세부활동"] == "워크샵"].iloc[0]
    assert (row["시작"], row["종료"]) == ("22년 1분기", "22년 1분기")
    row = by["half"][by["half"]["세부활동"] == "단톡방 운영"].iloc[0]
    assert (row["시작"], row["종료"]) == ("21년 하반기", "22년 하반기")


def test_activity_end_before_start_is_refused() -> None:
    with pytest.raises(ValueError):
        rm.SubActivity(task_id="t", title="x", start="2022Q3", end="2022-01")


# --------------------------------------------------------------------------- tree and labels


def test_seosan_tree_and_five_numberings_of_one_task(seosan: Store) -> None:
    plan = load_plan(seosan)
    assert [len(plan.tasks_of(s)) for s in plan.strategies] == [5, 3, 3, 3]
    assert [len(plan.goals_of(s)) for s in plan.strategies] == [2, 2, 2, 1]
    task = plan.task("ss-t3-1")
    shown = [plan.label(task, scheme) for scheme in plan.schemes()]
    assert shown == ["⑥-1", "⑨", "㉙", "㉔"]
    assert plan.label(task) == "3-1"
    assert [t.group for t in plan.tasks_of(plan.strategies[1])] == ["민·관", "민·민", "민·민"]
    assert plan.vision is not None and plan.vision.text.startswith("민·관의 상호 협력")
    imp = {t.code: t.importance.label("ko") for t in plan.tasks if t.importance}
    assert imp["2-2"] == "중상" and imp["2-3"] == "중" and imp["1-1"] == "상"


def test_nonsan_committees_cross_strategy_columns(nonsan: Store) -> None:
    plan = load_plan(nonsan)
    tft = next(c for c in plan.committees if c.name == "공공구매TFT")
    assert [t.code for t in plan.tasks_of_committee(tft)] == ["2-1", "3-1"]
    names = [plan.member_name(m) for m in plan.members_of(tft)]
    assert names[0] == "배꽃잎" and "류재호" in names
    official = next(m for m in plan.members_of(tft) if m.participant_id == "p-ryu-jaeho")
    assert plan.participants["p-ryu-jaeho"].group.value == "public" and not official.leader
    edu = next(c for c in plan.committees if c.name == "교육분과")
    assert "유희자" in [plan.member_name(m) for m in plan.members_of(edu)]


# --------------------------------------------------------------------------- budgets


def test_nonsan_budget_rollups_match_the_seed(nonsan: Store) -> None:
    plan = load_plan(nonsan)
    by_task = rm.budget_by_task_and_side(plan)
    assert by_task["ns-t3-1"]["civil"] == 1_800_000
    assert by_task["ns-t3-1"]["public"] == 40_000_000
    per_task = rm.budget_rollup(plan, "task")
    assert per_task["ns-t3-1"] == 41_800_000
    assert per_task["ns-t2-1"] == 10_000_000
    assert per_task["ns-t1-4"] == 3_000_000
    lines = [b for b in plan.budget if b.task_id == "ns-t2-1" and b.rate]
    assert sorted((b.detail, b.computed()) for b in lines) == [
        ("구축", 1_500_000),
        ("원고료", 780_000),
        ("조사비용", 6_000_000),
        ("촬영비용", 1_500_000),
    ]
    # fixed amounts 3.0M + 10.0M + 0.5M + 41.8M + 1.0M, plus 1-2's 0.2M visit and 2M yearly meeting
    assert sum(per_task.values()) == 58_500_000
    by_strategy = rm.budget_rollup(plan, "strategy")
    assert by_strategy == {"ns-s1": 5_200_000, "ns-s2": 10_500_000, "ns-s3": 42_800_000}
    assert rm.budget_rollup(plan, "year") == {"unspecified": 56_500_000, "per_year": 2_000_000}


def test_seosan_budget_rollups(seosan: Store) -> None:
    plan = load_plan(seosan)
    per_task = rm.budget_rollup(plan, "task")
    assert per_task["ss-t1-4"] == 65_000_000 and per_task["ss-t4-2"] == 8_000_000
    assert per_task["ss-t2-2"] == 24_000_000
    assert sum(per_task.values()) == 538_000_000
    assert rm.budget_rollup(plan, "side") == {"unspecified": 538_000_000}
    assert rm.budget_rollup(plan, "year")["per_year"] == 24_000_000


# --------------------------------------------------------------------------- checks


def test_a_clean_plan_passes() -> None:
    assert rm.check_plan(clean_store()) == []


def test_each_kind_of_problem_is_found() -> None:
    store = clean_store()
    with store.transaction() as tx:
        tx.add(rm.CoreGoal(id="g2", strategy_id="s", title="빈 목표"))
        tx.add(rm.Task(id="t2", strategy_id="s", code="1-2", title="주관 없음"))
        tx.add(rm.SubActivity(task_id="t", title="너무 이름", start="2021H2"))
        tx.add(rm.BudgetLine(task_id="t", item="원고", amount=700, units=2, quantity=3, rate=100))
        for i in range(3):
            tx.add(rm.SubActivity(task_id="t", title=f"동시 {i}", start="2022-02"))
    findings = rm.check_plan(store, overload_threshold=3)
    kinds = sorted(f.kind for f in findings)
    assert kinds == [
        "budget_product",
        "budget_total",
        "goal_without_task",
        "no_lead",
        "no_schedule",
        "outside_horizon",
        "overload",
    ]
    by = {f.kind: f for f in findings}
    assert (by["budget_total"].params["stated"], by["budget_total"].params["computed"]) == (
        600,
        1300,
    )
    assert by["overload"].params == {
        "who": "네트워크",
        "period": "2022-02",
        "count": 4,
        "threshold": 3,
    }
    assert by["budget_product"].message("ko") == (
        "과제 1-1의 예산 '원고': 2×3×100원 = 600원인데 금액은 700원입니다"
    )
    assert "outside the plan years 2022-2024" in by["outside_horizon"].message("en")
    assert rm.check_plan(store, overload_threshold=4) == [
        f for f in findings if f.kind != "overload"
    ]


def test_committee_overload_and_committee_counts_as_lead() -> None:
    store = clean_store()
    with store.transaction() as tx:
        tx.add(rm.Task(id="t3", strategy_id="s2", goal_id=None, code="2-1", title="분과 과제"))
        tx.add(rm.CommitteeTask(committee_id="c", task_id="t3"))
        tx.add(rm.CoreGoal(id="g3", strategy_id="s2", title="홍보 목표"))
        for i in range(3):
            tx.add(rm.SubActivity(task_id="t3", title=f"활동 {i}", start="2023H1"))
    findings = rm.check_plan(store, overload_threshold=2)
    assert {f.kind for f in findings} == {"overload", "goal_without_task"}
    assert next(f for f in findings if f.kind == "overload").params["who"] == "교육분과"


def test_the_seeds_quirks_are_flagged_not_fixed(nonsan: Store, seosan: Store) -> None:
    nonsan_findings = rm.check_plan(nonsan)
    # 1-4's 합계 column holds running totals (1.8M, 2.6M, 2.7M, 3.0M) in the report
    assert [(f.kind, f.params["stated"], f.params["computed"]) for f in nonsan_findings] == [
        ("budget_total", 2_600_000, 800_000),
        ("budget_total", 2_700_000, 100_000),
        ("budget_total", 3_000_000, 300_000),
    ]
    seosan_findings = rm.check_plan(seosan)
    kinds = [f.kind for f in seosan_findings]
    # the report names no lead for 9 of 14 tasks; its schedule starts in 2021 H2, before 2022
    assert kinds.count("no_lead") == 9 and kinds.count("outside_horizon") == 8
    assert len(kinds) == 17


# --------------------------------------------------------------------------- rights and edits


def test_participants_cannot_edit_the_plan() -> None:
    store = clean_store()
    someone = Actor(participant_id="p1", display_name="가")
    for call in (
        lambda: rm.add_strategy(store, someone, "9", "x"),
        lambda: rm.add_task(store, someone, "s", "9-9", "x"),
        lambda: rm.move_task(store, someone, "t", "s2"),
        lambda: rm.reorder_task(store, someone, "t", 1),
        lambda: rm.update_task(store, someone, "t", title="x"),
        lambda: rm.delete_task(store, someone, "t"),
        lambda: rm.record_checkin(store, someone, "s1", "g", True, True),
    ):
        with pytest.raises(SeparError) as err:
            call()
        assert err.value.key == "facilitator_only"
    assert store.get(rm.Task, "t").title == "과제"


def test_update_task_refuses_tree_fields_and_bad_values() -> None:
    store = clean_store()
    with pytest.raises(SeparError) as err:
        rm.update_task(store, FAC, "t", strategy_id="s2")
    assert err.value.key == "roadmap_bad_field"
    with pytest.raises(SeparError) as err:
        rm.update_task(store, FAC, "t", title="가" * 500)
    assert err.value.key == "too_long"
    with pytest.raises(SeparError) as err:
        rm.update_task(store, FAC, "t", importance="최상")
    assert err.value.key == "unknown_choice"
    assert rm.update_task(store, FAC, "t", importance="중상").importance == rm.Importance.mid_high


def test_move_reorder_and_delete() -> None:
    store = clean_store()
    rm.add_task(store, FAC, "s", "1-2", "둘째")
    third = rm.add_task(store, FAC, "s", "1-3", "셋째")
    rm.reorder_task(store, FAC, third.id, -5)
    assert [t.code for t in load_plan(store).tasks if t.strategy_id == "s"] == ["1-3", "1-1", "1-2"]
    with pytest.raises(SeparError) as err:
        rm.move_task(store, FAC, "t", "s2", goal_id="g")
    assert err.value.key == "roadmap_goal_elsewhere"
    moved = rm.move_task(store, FAC, "t", "s2")
    assert (moved.strategy_id, moved.goal_id) == ("s2", None)
    rm.delete_task(store, FAC, "t")
    assert store.list(rm.BudgetLine) == [] and store.list(rm.SubActivity) == []


def test_comments_and_volunteers_take_identity_from_the_actor() -> None:
    store = clean_store()
    person = Actor(participant_id="p1", display_name="가")
    comment = rm.comment_on_task(store, person, "t", "  좋아요  ")
    assert (comment.participant_id, comment.author, comment.text) == ("p1", "가", "좋아요")
    with pytest.raises(SeparError) as err:
        rm.comment_on_task(store, person, "t", "   ")
    assert err.value.key == "roadmap_empty_comment"
    with pytest.raises(SeparError):
        rm.comment_on_task(store, person, "t", "가" * 1001)
    with pytest.raises(SeparError) as err:
        rm.volunteer(store, Actor(None, "익명"), "c")
    assert err.value.key == "roadmap_needs_participant"
    with pytest.raises(SeparError) as err:
        rm.volunteer(store, Actor("nobody", "?"), "c")
    assert err.value.key == "not_found"
    rm.volunteer(store, person, "c", "교육 준비")
    rm.volunteer(store, person, "c", "강사 섭외")
    assert [v.note for v in store.list(rm.Volunteer)] == ["강사 섭외"]


def test_goal_checkin_is_recorded_once_per_session_and_goal() -> None:
    store = clean_store()
    rm.record_checkin(store, FAC, "s1", "g", True, False, "예산 부족")
    rm.record_checkin(store, FAC, "s1", "g", True, True)
    rows = store.list(rm.GoalCheckin)
    assert [(r.valid, r.feasible, r.note) for r in rows] == [(True, True, None)]


# --------------------------------------------------------------------------- frames and figures


def test_frames(seosan: Store, nonsan: Store) -> None:
    from separ.figures.roadmap import committees_frame, labels_frame, roles_frame, rollup_frame

    plan = load_plan(seosan)
    roles = roles_frame(plan)
    assert list(roles.columns[2:]) == ["서산시(사회적경제지원센터)", "서산사회적경제네트워크"]
    assert len(roles) == 14
    assert labels_frame(plan).loc["ss-t1-1", "3개년 주요 일정"] == "㉠"
    nplan = load_plan(nonsan)
    com = committees_frame(nplan)
    assert com.iloc[2].tolist()[:3] == ["공공구매TFT", "TFT", "배꽃잎"]
    side = rollup_frame(nplan, "side").set_index("side")["amount"]
    assert side["민"] == 2_300_000 and side["관"] == 43_000_000


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_figures_draw_every_task_and_mark_estimates(name: str, tmp_path: Path) -> None:
    from matplotlib.patches import Rectangle

    from separ.figures import roadmap as rf
    from separ.figures.style import save_png

    store = open_workshop(SAMPLES[name])
    plan = load_plan(store)
    diagram = rf.strategy_diagram(plan)
    texts = "\n".join(t.get_text() for t in diagram.axes[0].texts).replace("\n", "")
    for task in plan.tasks:
        assert task.title.replace(" ", "") in texts.replace(" ", "")
    for granularity in ("month", "quarter", "half"):
        fig = rf.gantt(plan, granularity)
        bars = [p for p in fig.axes[0].patches if isinstance(p, Rectangle) and p.get_gid()]
        hatched = [p for p in bars if p.get_hatch()]
        assert len(hatched) == sum(1 for a in plan.activities if a.estimated and not a.milestone)
        assert len(bars) == sum(1 for a in plan.activities if not a.milestone)
    assert save_png(rf.budget_figure(plan), tmp_path / "b.png").stat().st_size > 5000
    assert save_png(rf.committees_figure(plan), tmp_path / "c.png").stat().st_size > 5000


def test_fit_keeps_lines_inside_the_box() -> None:
    from separ.figures.roadmap import _width, fit

    text = "민·관의 상호 협력과 실천을 기반으로 서산지역의 사회문제를 해결하고 살기 좋은 지역경제"
    lines = fit(text, 2.0, 9).split("\n")
    assert len(lines) > 1 and all(_width(line, 9) <= 2.0 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


# --------------------------------------------------------------------------- widgets


def test_editor_moves_and_reorders_like_a_user() -> None:
    from separ.ui.roadmap import RoadmapEditor

    store = fresh("seosan")
    editor = RoadmapEditor(store, FAC)
    editor.strategy.value = "ss-s1"
    assert editor.tasks.options[0][0] == "1-1 사회적경제지원센터 운영"
    editor.tasks.value = "ss-t1-3"
    editor.up.click()
    assert [v for _, v in editor.tasks.options][:3] == ["ss-t1-1", "ss-t1-3", "ss-t1-2"]
    assert editor.tasks.value == "ss-t1-3"
    editor.target.value = "ss-s4"
    editor.move.click()
    assert store.get(rm.Task, "ss-t1-3").strategy_id == "ss-s4"
    assert editor.strategy.value == "ss-s4" and editor.tasks.value == "ss-t1-3"
    editor.lead.value = "서산넷"
    editor.importance.value = "mid"
    editor.save.click()
    task = store.get(rm.Task, "ss-t1-3")
    assert (task.lead, task.importance) == ("서산넷", rm.Importance.mid)
    editor.new_code.value, editor.new_title.value = "1-1", "중복 번호"
    editor.add.click()
    assert "중복된 과제" in editor.status.value


def test_editor_refuses_a_participant() -> None:
    from separ.ui.roadmap import RoadmapEditor, facilitator_view

    store = clean_store()
    editor = RoadmapEditor(store, Actor("p1", "가"))
    assert "진행자 권한이 필요합니다" in editor.children[0].value
    assert not hasattr(editor, "tasks")
    assert isinstance(facilitator_view(store, Actor("p1", "가")), RoadmapEditor)


def test_participant_comments_and_volunteers_by_clicking() -> None:
    from separ.ui.roadmap import participant_view

    store = fresh("nonsan")
    page = participant_view(store, Actor("p-kim-mihyun", "김미현"))
    page.task.value = "ns-t3-1"
    page.comment.value = "스터디 일정을 먼저 정해요"
    page.send.click()
    assert page.comment.value == "" and "보냈습니다" in page.status.value
    page.committee.value = "ns-c1"
    page.join.click()
    assert "교육분과" in page.mine.value
    # each confirmation under its own button: the join's, and the comment's line cleared
    children = list(page.children)
    assert children.index(page.comment_status) == children.index(page.send) + 1
    assert children.index(page.join_status) == children.index(page.join) + 1
    assert "참여 신청을 받았습니다" in page.join_status.value and page.comment_status.value == ""
    plan = load_plan(store)
    assert [(c.task_id, c.participant_id) for c in plan.comments] == [("ns-t3-1", "p-kim-mihyun")]
    assert [(v.committee_id, v.participant_id) for v in plan.volunteers] == [
        ("ns-c1", "p-kim-mihyun")
    ]
    anonymous = participant_view(store, Actor(None, "익명"))
    anonymous.committee.value = "ns-c2"
    anonymous.join.click()
    assert "참여자로 로그인해야" in anonymous.join_status.value


def test_the_english_phone_page_and_projector_are_english() -> None:
    """The texts around the plan's own (Korean) names follow ``lang``; the Korean
    projector keeps its markup."""
    import re

    from separ.ui.roadmap import GoalCheckinPanel, participant_view, projector_html

    store = clean_store()
    page = participant_view(store, Actor("p1", "가"), "en")
    fixed = [
        page.task.description,
        page.comment.placeholder,
        page.send.description,
        page.committee.description,
        page.note.placeholder,
        page.join.description,
        page.children[0].value,
        page.children[5].value,
    ]
    assert fixed == [
        "Task",
        "Your comment on this task",
        "Send comment",
        "Sub-committee",
        "What you would like to do (optional)",
        "Join this sub-committee",
        "<h3>Comments on tasks</h3><p>Choose a task, write your comment and tap "
        "'Send comment'.</p>",
        "<h3>Join a sub-committee</h3><p>Choose the sub-committee you want to "
        "work in and tap 'Join this sub-committee'.</p>",
    ]
    page.comment.value = "먼저 조사"
    page.send.click()
    assert "Comment sent" in page.comment_status.value
    page.join.click()
    assert "You are on the list" in page.join_status.value
    assert page.mine.value == "<p>You volunteered for: 교육분과</p>"
    plan = load_plan(store)
    english = projector_html(plan, "en")
    assert "<b>1-1 과제 · 1 comments</b>" in english and "<b>교육분과 · 1</b>" in english
    assert re.findall(r"[가-힣]+", english) == ["과제", "먼저", "조사", "교육분과", "가"]
    korean = projector_html(plan, "ko")
    assert "<b>1-1 과제 · 의견 1</b>" in korean and "<b>교육분과 · 1명</b>" in korean
    assert "<h2 class='separ-count'>분과 참여 신청</h2>" in korean
    assert GoalCheckinPanel(store, FAC, "en").session.options == (("Round 1", "s1"),)
    assert GoalCheckinPanel(store, FAC).session.options == (("1회차", "s1"),)


# --------------------------------------------------------------------------- CLI


def test_cli_check_and_figures(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    import separ.cli.roadmap  # noqa: F401  (registers the commands)
    from separ.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["roadmap-check", str(SAMPLES["nonsan"])])
    assert result.exit_code == 1
    assert result.output.count("[error]") == 3 and "2,600,000원" in result.output
    result = runner.invoke(app, ["roadmap-figures", str(SAMPLES["seosan"]), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "budget.png",
        "committees.png",
        "gantt_half.png",
        "gantt_month.png",
        "gantt_quarter.png",
        "roles.png",
        "strategy_diagram.png",
    ]


def test_goal_checkin_panel_records_by_clicking() -> None:
    from separ.ui.roadmap import GoalCheckinPanel

    store = fresh("seosan")
    panel = GoalCheckinPanel(store, FAC)
    panel.session.value = "s6"
    panel.goal.value = "ss-g2-1"
    panel.valid.value, panel.feasible.value, panel.note.value = True, False, "예산 확보 전"
    panel.save.click()
    assert "기록했습니다" in panel.status.value
    rows = store.list(rm.GoalCheckin)
    assert [(r.session_id, r.goal_id, r.valid, r.feasible, r.note) for r in rows] == [
        ("s6", "ss-g2-1", True, False, "예산 확보 전")
    ]
    intruder = GoalCheckinPanel(store, Actor("p-lee-wondon", "이원돈"))
    intruder.session.value, intruder.goal.value = "s6", "ss-g2-1"
    intruder.save.click()
    assert "진행자 권한이 필요합니다" in intruder.status.value
    assert len(store.list(rm.GoalCheckin)) == 1
