"""After the workshop: how far each task of the roadmap has come, and what it cost.

Chapter 5 of the seed report asks the network and the city for "내부 토론과 평가, 그리고
성찰의 프로세스": a plan is only worth the reviews that follow it. This module records,
per roadmap task and sub-activity (ids from :mod:`separ.roadmap`), a dated log of
status updates (not started / in progress / done / dropped, a percent, a note, the
reason when dropped), evidence links, actual spending against the budget lines, a
"quick win" tag and the incentive each actor expects from the task (chapter 5, 2)
"협력을 통한 작은 성공의 경험", 003:L4642-4648).

Status is a *log*, not a cell: the state at any review date is the latest update on or
before it, so a yearly review can be re-run for any past date and the plan-vs-reality
comparison never depends on when someone last clicked. Only facilitators write.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal
from urllib.parse import urlparse

from pydantic import Field, field_validator, model_validator

from separ.actors import Actor, require_facilitator
from separ.errors import Invalid, SeparError
from separ.i18n import Lang, add_messages, add_nouns
from separ.records import Choice, Name, Record, RecordId, Text
from separ.roadmap import (
    BudgetLine,
    FundingSide,
    Plan,
    SubActivity,
    Task,
    load_plan,
)
from separ.store import Store
from separ.validation import build


class Status(Choice):
    """Where a task or sub-activity stands (미착수/진행중/완료/중단)."""

    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "not_started": {"ko": "미착수", "en": "not started"},
            "in_progress": {"ko": "진행중", "en": "in progress"},
            "done": {"ko": "완료", "en": "done"},
            "dropped": {"ko": "중단", "en": "dropped"},
        }


STATUS_COLOURS: dict[Status, str] = {
    Status.not_started: "#b0b7bb",
    Status.in_progress: "#1b6ca8",
    Status.done: "#3a9d5d",
    Status.dropped: "#c0392b",
}
"""One colour per status, shared by figures and widgets (grey, blue, green, red)."""

URL_MAX = 2000

_ID: dict[Lang, str] = {"ko": "ID", "en": "id"}
_TASK: dict[Lang, str] = {"ko": "과제 ID", "en": "task id"}
_ACT: dict[Lang, str] = {"ko": "세부활동 ID", "en": "activity id"}
_DATE: dict[Lang, str] = {"ko": "날짜", "en": "date"}
_NOTES: dict[Lang, str] = {"ko": "비고", "en": "notes"}


def check_url(value: str) -> str:
    """An evidence link must be an http(s) address a reader can open: no scripts, no files."""
    url = value.strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or any(c.isspace() for c in url):
        raise SeparError("progress_bad_url", value=value[:80])
    return url


class TaskFollowup(Record):
    """Per task: the quick-win tag chapter 5 recommends starting with."""

    table: ClassVar[str] = "progress_tasks"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "과제 추진 구분", "en": "Task follow-up"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "task_id": _TASK,
        "quick_win": {"ko": "작은 성공(퀵윈)", "en": "quick win"},
        "notes": _NOTES,
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("task_id",),)
    references: ClassVar[dict[str, str]] = {"task_id": "roadmap_tasks"}
    noun: ClassVar[str] = "task"

    task_id: RecordId
    quick_win: bool = False
    notes: Text | None = None


class ProgressUpdate(Record):
    """A dated status report on a task (``activity_id`` None) or one of its sub-activities."""

    table: ClassVar[str] = "progress_updates"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "추진 현황", "en": "Progress updates"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "task_id": _TASK,
        "activity_id": _ACT,
        "date": _DATE,
        "status": {"ko": "상태", "en": "status"},
        "percent": {"ko": "진척률(%)", "en": "percent"},
        "note": {"ko": "내용", "en": "note"},
        "reason": {"ko": "중단 사유", "en": "reason dropped"},
        "author": {"ko": "작성자", "en": "author"},
    }
    references: ClassVar[dict[str, str]] = {
        "task_id": "roadmap_tasks",
        "activity_id": "roadmap_activities",
    }
    noun: ClassVar[str] = "progress_update"

    task_id: RecordId
    activity_id: RecordId | None = None
    date: dt.date
    status: Status
    percent: int | None = Field(default=None, ge=0, le=100)
    note: Text | None = None
    reason: Text | None = None
    author: Name | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ProgressUpdate:
        if self.status == Status.dropped and not (self.reason or "").strip():
            raise Invalid("progress_needs_reason")
        if self.status == Status.done and self.percent not in (None, 100):
            raise Invalid("progress_done_is_full")
        if self.status == Status.not_started and self.percent not in (None, 0):
            raise Invalid("progress_not_started_is_zero")
        return self


class Evidence(Record):
    """A link showing what was done (minutes, a press article, a photo album)."""

    table: ClassVar[str] = "progress_evidence"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "근거 자료", "en": "Evidence"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "task_id": _TASK,
        "activity_id": _ACT,
        "date": _DATE,
        "url": {"ko": "링크", "en": "link"},
        "title": {"ko": "제목", "en": "title"},
        "notes": _NOTES,
    }
    references: ClassVar[dict[str, str]] = {
        "task_id": "roadmap_tasks",
        "activity_id": "roadmap_activities",
    }
    noun: ClassVar[str] = "evidence"

    task_id: RecordId
    activity_id: RecordId | None = None
    date: dt.date | None = None
    url: str = Field(max_length=URL_MAX)
    title: Name
    notes: Text | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        try:
            return check_url(value)
        except SeparError as exc:
            raise Invalid(exc.key, **exc.params) from None


class Spending(Record):
    """Money actually spent on a task, against one of its budget lines when known."""

    table: ClassVar[str] = "progress_spending"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "집행 실적", "en": "Spending"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "task_id": _TASK,
        "budget_line_id": {"ko": "예산 항목 ID", "en": "budget line id"},
        "date": _DATE,
        "amount": {"ko": "집행액(원)", "en": "amount (KRW)"},
        "side": {"ko": "재원", "en": "funding side"},
        "item": {"ko": "내역", "en": "item"},
        "notes": _NOTES,
    }
    references: ClassVar[dict[str, str]] = {
        "task_id": "roadmap_tasks",
        "budget_line_id": "roadmap_budget",
    }
    noun: ClassVar[str] = "spending"

    task_id: RecordId
    budget_line_id: RecordId | None = None
    date: dt.date
    amount: int = Field(ge=0)
    side: FundingSide = FundingSide.unspecified
    item: Name | None = None
    notes: Text | None = None


class Incentive(Record):
    """What one actor expects to gain from a task: chapter 5 asks to settle this beforehand."""

    table: ClassVar[str] = "progress_incentives"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "주체별 기대 인센티브", "en": "Incentives"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "task_id": _TASK,
        "actor": {"ko": "주체", "en": "actor"},
        "incentive": {"ko": "기대하는 인센티브", "en": "expected incentive"},
        "notes": _NOTES,
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("task_id", "actor"),)
    references: ClassVar[dict[str, str]] = {"task_id": "roadmap_tasks"}
    noun: ClassVar[str] = "incentive"

    task_id: RecordId
    actor: Name
    incentive: Text
    notes: Text | None = None


RECORDS: tuple[type[Record], ...] = (TaskFollowup, ProgressUpdate, Evidence, Spending, Incentive)

add_nouns(
    {
        "progress_update": {"ko": "추진 현황", "en": "progress update"},
        "evidence": {"ko": "근거 자료", "en": "evidence link"},
        "spending": {"ko": "집행 실적", "en": "spending"},
        "incentive": {"ko": "인센티브", "en": "incentive"},
    }
)

add_messages(
    {
        "progress_bad_url": {
            "ko": "링크는 http:// 또는 https://로 시작하는 주소여야 합니다: {value}",
            "en": "a link must be an http:// or https:// address: {value}",
        },
        "progress_activity_elsewhere": {
            "ko": "세부활동이 이 과제에 속하지 않습니다: {value}",
            "en": "the activity does not belong to this task: {value}",
        },
        "progress_budget_elsewhere": {
            "ko": "예산 항목이 이 과제에 속하지 않습니다: {value}",
            "en": "the budget line does not belong to this task: {value}",
        },
        "progress_needs_reason": {
            "ko": "중단할 때는 사유를 적어 주세요",
            "en": "please give the reason for dropping it",
        },
    }
)

# --------------------------------------------------------------------------- reading


@dataclass
class Progress:
    """The roadmap and everything recorded about carrying it out (one snapshot)."""

    plan: Plan
    followups: dict[str, TaskFollowup]
    updates: list[ProgressUpdate]
    evidence: list[Evidence]
    spending: list[Spending]
    incentives: list[Incentive]


def load_progress(store: Store) -> Progress:
    plan = load_plan(store)
    with store.reading() as tx:
        return Progress(
            plan=plan,
            followups={f.task_id: f for f in tx.find(TaskFollowup)},
            updates=tx.find(ProgressUpdate),
            evidence=tx.find(Evidence, order_by="date"),
            spending=tx.find(Spending, order_by="date"),
            incentives=tx.find(Incentive),
        )


@dataclass(frozen=True)
class State:
    """Where a task or activity stood on a date, and the update that said so."""

    status: Status
    percent: float
    date: dt.date | None = None
    reason: str | None = None
    note: str | None = None


NOT_STARTED = State(Status.not_started, 0.0)


def _log_state(updates: Iterable[ProgressUpdate], on: dt.date | None) -> State | None:
    """Walk a log in date order up to ``on``; an in-progress update without a percent
    keeps the last known one (a note saying "still working on it" does not reset it)."""
    state: State | None = None
    for up in sorted(updates, key=lambda u: u.date):
        if on is not None and up.date > on:
            break
        if up.percent is not None:
            percent = float(up.percent)
        elif up.status == Status.done:
            percent = 100.0
        elif up.status == Status.not_started:
            percent = 0.0
        else:
            percent = state.percent if state else 0.0
        state = State(up.status, percent, up.date, up.reason, up.note)
    return state


def activity_state(progress: Progress, activity: SubActivity, on: dt.date | None = None) -> State:
    log = [u for u in progress.updates if u.activity_id == activity.id]
    return _log_state(log, on) or NOT_STARTED


def task_state(progress: Progress, task: Task, on: dt.date | None = None) -> State:
    """A task's own latest update wins; otherwise its activities decide.

    From activities: all dropped -> dropped; every remaining one done -> done; any
    begun -> in progress; else not started. The percent is the mean over the
    activities not dropped (a dropped one no longer counts toward finishing the task).
    """
    own = _log_state(
        (u for u in progress.updates if u.task_id == task.id and u.activity_id is None), on
    )
    if own is not None:
        return own
    acts = progress.plan.activities_of(task)
    states = [activity_state(progress, a, on) for a in acts]
    if not states:
        return NOT_STARTED
    live = [s for s in states if s.status != Status.dropped]
    if not live:
        last = max(states, key=lambda s: s.date or dt.date.min)
        return State(Status.dropped, 0.0, last.date, last.reason)
    percent = sum(s.percent for s in live) / len(live)
    dates = [s.date for s in states if s.date]
    latest = max(dates) if dates else None
    if all(s.status == Status.done for s in live):
        return State(Status.done, 100.0, latest)
    if any(s.status != Status.not_started for s in live):
        return State(Status.in_progress, percent, latest)
    return State(Status.not_started, percent, latest)


# --------------------------------------------------------------------------- roll-ups

RollupBy = Literal["task", "strategy", "committee", "actor"]


@dataclass
class Rollup:
    """How a group of tasks stands: counts per status, mean percent, budget and spending."""

    key: str
    label: str
    tasks: list[str] = field(default_factory=list)
    counts: dict[Status, int] = field(default_factory=lambda: {s: 0 for s in Status})
    percent: float = 0.0
    budget: int = 0
    spent: int = 0


def _groups(plan: Plan, by: RollupBy) -> list[tuple[str, str, list[Task]]]:
    if by == "task":
        return [(t.id, f"{t.code} {t.title}", [t]) for t in plan.tasks]
    if by == "strategy":
        return [(s.id, f"{s.code}. {s.title}", plan.tasks_of(s)) for s in plan.strategies]
    if by == "committee":
        return [(c.id, c.name, plan.tasks_of_committee(c)) for c in plan.committees]
    actors: dict[str, list[Task]] = defaultdict(list)
    for task in plan.tasks:
        names = [task.lead] if task.lead else []
        names += [r.actor for r in plan.roles if r.task_id == task.id]
        for name in dict.fromkeys(names):
            actors[name].append(task)
    return [(name, name, tasks) for name, tasks in actors.items()]


def rollup(progress: Progress, by: RollupBy, on: dt.date | None = None) -> list[Rollup]:
    """Tasks grouped per task, strategy, sub-committee or actor (lead or role holder).

    The percent is the mean of the group's tasks that are not dropped; budget and
    spending are sums over the group's tasks (spending up to ``on`` when given).
    """
    budget: dict[str, int] = defaultdict(int)
    for line in progress.plan.budget:
        budget[line.task_id] += line.amount
    spent: dict[str, int] = defaultdict(int)
    for sp in progress.spending:
        if on is None or sp.date <= on:
            spent[sp.task_id] += sp.amount
    out = []
    for key, label, tasks in _groups(progress.plan, by):
        row = Rollup(key, label, [t.id for t in tasks])
        live = []
        for task in tasks:
            state = task_state(progress, task, on)
            row.counts[state.status] += 1
            if state.status != Status.dropped:
                live.append(state.percent)
            row.budget += budget[task.id]
            row.spent += spent[task.id]
        row.percent = sum(live) / len(live) if live else 0.0
        out.append(row)
    return out


# --------------------------------------------------------------------------- review


@dataclass(frozen=True)
class Slip:
    """Something scheduled to end before the review date that was not done by then."""

    task_id: str
    activity_id: str | None
    title: str
    planned_end: str
    state: State


@dataclass(frozen=True)
class SpendingRow:
    task_id: str
    year: str
    side: str
    budget: int
    spent: int


@dataclass
class Review:
    """Plan against reality at ``date``: what slipped, what was dropped, money in and out."""

    date: dt.date
    tasks: dict[str, State]
    activities: dict[str, State]
    slipped: list[Slip]
    dropped: list[Slip]
    spending: list[SpendingRow]


def _end_label(last_month: int) -> str:
    year, month0 = divmod(last_month, 12)
    return f"{year}-{month0 + 1:02d}"


def _due(last_month: int) -> dt.date:
    """The last day of a plan month: an activity planned to end in 2022H2 is due 2022-12-31."""
    year, month0 = divmod(last_month + 1, 12)
    return dt.date(year, month0 + 1, 1) - dt.timedelta(days=1)


def review(progress: Progress, on: dt.date) -> Review:
    """The yearly (or any) review at ``on``: an activity due on or before ``on`` (the last
    day of its planned end month) and neither done nor dropped by then slipped; a task
    slipped when its last scheduled activity was due and the task is not done."""
    plan = progress.plan
    tasks = {t.id: task_state(progress, t, on) for t in plan.tasks}
    acts = {a.id: activity_state(progress, a, on) for a in plan.activities}
    slipped: list[Slip] = []
    dropped: list[Slip] = []
    for task in plan.tasks:
        spans = [a.months() for a in plan.activities_of(task)]
        ends = [s[1] for s in spans if s]
        if tasks[task.id].status == Status.dropped:
            dropped.append(
                Slip(
                    task.id,
                    None,
                    f"{task.code} {task.title}",
                    _end_label(max(ends)) if ends else "",
                    tasks[task.id],
                )
            )
        elif ends and _due(max(ends)) <= on and tasks[task.id].status != Status.done:
            slipped.append(
                Slip(
                    task.id,
                    None,
                    f"{task.code} {task.title}",
                    _end_label(max(ends)),
                    tasks[task.id],
                )
            )
        for act in plan.activities_of(task):
            span = act.months()
            state = acts[act.id]
            end = _end_label(span[1]) if span else ""
            if state.status == Status.dropped:
                dropped.append(Slip(task.id, act.id, act.title, end, state))
            elif span and _due(span[1]) <= on and state.status != Status.done:
                slipped.append(Slip(task.id, act.id, act.title, end, state))
    return Review(on, tasks, acts, slipped, dropped, spending_table(progress, on))


def yearly_review_date(progress: Progress, today: dt.date | None = None) -> dt.date:
    """31 December of the year of the latest update: the yearly review a workbook opens
    with (today when nothing has been recorded yet)."""
    dates = [u.date for u in progress.updates] + [s.date for s in progress.spending]
    if not dates:
        return today or dt.date.today()
    return dt.date(max(dates).year, 12, 31)


def spending_table(progress: Progress, on: dt.date | None = None) -> list[SpendingRow]:
    """Budget and spending per (task, year, funding side), in plan order.

    Budget lines are keyed by their year (``unspecified`` without one, ``per_year`` for
    lines the plan states per year, as :func:`separ.roadmap.budget_rollup` keys them) and
    side. Spending tied to a budget line sits in that line's row, so plan and reality
    meet even when the plan named no year; untied spending goes under its own date's
    year and side.
    """
    from separ.roadmap import NO_YEAR, PER_YEAR

    def key_of(line: BudgetLine) -> tuple[str, str, str]:
        year = PER_YEAR if line.per_year else (str(line.year) if line.year else NO_YEAR)
        return line.task_id, year, line.side.value

    lines = {line.id: line for line in progress.plan.budget}
    cells: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for line in progress.plan.budget:
        cells[key_of(line)][0] += line.amount
    for sp in progress.spending:
        if on is not None and sp.date > on:
            continue
        if sp.budget_line_id in lines:
            cells[key_of(lines[sp.budget_line_id])][1] += sp.amount
        else:
            cells[(sp.task_id, str(sp.date.year), sp.side.value)][1] += sp.amount
    rank = {t.id: i for i, t in enumerate(progress.plan.tasks)}
    keys = sorted(cells, key=lambda k: (rank.get(k[0], 0), k[1], k[2]))
    return [SpendingRow(k[0], k[1], k[2], cells[k][0], cells[k][1]) for k in keys]


def spending_by_line(progress: Progress, on: dt.date | None = None) -> dict[str, int]:
    """{budget line id: amount spent against it} (spending tied to a line only)."""
    out: dict[str, int] = defaultdict(int)
    for sp in progress.spending:
        if sp.budget_line_id and (on is None or sp.date <= on):
            out[sp.budget_line_id] += sp.amount
    return dict(out)


# --------------------------------------------------------------------------- frames


STATUS_COLUMNS = [
    "task",
    "activity",
    "title",
    "start",
    "end",
    "status",
    "percent",
    "date",
    "reason",
    "quick_win",
]


def status_frame(progress: Progress, on: dt.date | None = None, lang: Lang = "ko") -> Any:
    """One row per task and activity: planned period, status, percent, reason, quick win."""
    import pandas as pd

    rows = []
    plan = progress.plan
    for task in plan.tasks:
        state = task_state(progress, task, on)
        follow = progress.followups.get(task.id)
        rows.append(
            {
                "task": task.code,
                "activity": "",
                "title": task.title,
                "start": "",
                "end": "",
                "status": state.status.label(lang),
                "percent": round(state.percent, 1),
                "date": state.date,
                "reason": state.reason or "",
                "quick_win": bool(follow and follow.quick_win),
            }
        )
        for act in plan.activities_of(task):
            st = activity_state(progress, act, on)
            rows.append(
                {
                    "task": task.code,
                    "activity": act.id,
                    "title": act.title,
                    "start": act.start or "",
                    "end": act.end or act.start or "",
                    "status": st.status.label(lang),
                    "percent": round(st.percent, 1),
                    "date": st.date,
                    "reason": st.reason or "",
                    "quick_win": False,
                }
            )
    # named columns even without rows: a workshop with no plan yet still has the table's shape
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)


def rollup_frame(rows: list[Rollup], lang: Lang = "ko") -> Any:
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "key": r.key,
                "label": r.label,
                "tasks": len(r.tasks),
                **{s.label(lang): r.counts[s] for s in Status},
                "percent": round(r.percent, 1),
                "budget": r.budget,
                "spent": r.spent,
            }
            for r in rows
        ]
    )


def review_frames(rev: Review, progress: Progress, lang: Lang = "ko") -> dict[str, Any]:
    """The review as three tables: slipped, dropped (with reasons), spending vs budget."""
    import pandas as pd

    code = {t.id: t.code for t in progress.plan.tasks}

    def slips(items: list[Slip]) -> Any:
        return pd.DataFrame(
            [
                {
                    "task": code[s.task_id],
                    "title": s.title,
                    "planned_end": s.planned_end,
                    "status": s.state.status.label(lang),
                    "percent": round(s.state.percent, 1),
                    "reason": s.state.reason or "",
                    "last_update": s.state.date,
                }
                for s in items
            ],
            columns=["task", "title", "planned_end", "status", "percent", "reason", "last_update"],
        )

    spending = pd.DataFrame(
        [
            {
                "task": code[r.task_id],
                "year": r.year,
                "side": FundingSide(r.side).label(lang),
                "budget": r.budget,
                "spent": r.spent,
                "rate": round(100 * r.spent / r.budget, 1) if r.budget else None,
            }
            for r in rev.spending
        ],
        columns=["task", "year", "side", "budget", "spent", "rate"],
    )
    return {"slipped": slips(rev.slipped), "dropped": slips(rev.dropped), "spending": spending}


# --------------------------------------------------------------------------- writes


def _activity_of(plan_tx: Any, task_id: str, activity_id: str | None) -> None:
    plan_tx.get(Task, task_id)
    if activity_id is not None and plan_tx.get(SubActivity, activity_id).task_id != task_id:
        raise SeparError("progress_activity_elsewhere", value=activity_id)


def record_update(
    store: Store,
    actor: Actor,
    task_id: str,
    date: dt.date | str,
    status: str,
    *,
    activity_id: str | None = None,
    percent: int | None = None,
    note: str | None = None,
    reason: str | None = None,
) -> ProgressUpdate:
    """Add one dated status report; the author is the facilitator acting, never the page."""
    require_facilitator(actor)
    if Status.parse(status) == Status.dropped and not (reason or "").strip():
        raise SeparError("progress_needs_reason")
    with store.transaction() as tx:
        _activity_of(tx, task_id, activity_id)
        rec = build(
            ProgressUpdate,
            {
                "task_id": task_id,
                "activity_id": activity_id,
                "date": date,
                "status": status,
                "percent": percent,
                "note": note or None,
                "reason": reason or None,
                "author": actor.display_name,
            },
        )
        return tx.add(rec)


def set_quick_win(
    store: Store, actor: Actor, task_id: str, quick_win: bool, notes: str | None = None
) -> TaskFollowup:
    require_facilitator(actor)
    with store.transaction() as tx:
        tx.get(Task, task_id)
        found = tx.find(TaskFollowup, task_id=task_id)
        rec = build(
            TaskFollowup,
            {"task_id": task_id, "quick_win": bool(quick_win), "notes": notes or None},
        )
        if found:
            rec.id = found[0].id
            return tx.update(rec)
        return tx.add(rec)


def add_evidence(
    store: Store,
    actor: Actor,
    task_id: str,
    url: str,
    title: str,
    *,
    activity_id: str | None = None,
    date: dt.date | str | None = None,
    notes: str | None = None,
) -> Evidence:
    require_facilitator(actor)
    check_url(url if isinstance(url, str) else "")
    with store.transaction() as tx:
        _activity_of(tx, task_id, activity_id)
        rec = build(
            Evidence,
            {
                "task_id": task_id,
                "activity_id": activity_id,
                "url": url,
                "title": title,
                "date": date,
                "notes": notes or None,
            },
        )
        return tx.add(rec)


def record_spending(
    store: Store,
    actor: Actor,
    task_id: str,
    date: dt.date | str,
    amount: int,
    *,
    budget_line_id: str | None = None,
    side: str = FundingSide.unspecified.value,
    item: str | None = None,
    notes: str | None = None,
) -> Spending:
    require_facilitator(actor)
    with store.transaction() as tx:
        tx.get(Task, task_id)
        if budget_line_id is not None and tx.get(BudgetLine, budget_line_id).task_id != task_id:
            raise SeparError("progress_budget_elsewhere", value=budget_line_id)
        rec = build(
            Spending,
            {
                "task_id": task_id,
                "budget_line_id": budget_line_id,
                "date": date,
                "amount": amount,
                "side": side,
                "item": item,
                "notes": notes or None,
            },
        )
        return tx.add(rec)


def set_incentive(store: Store, actor: Actor, task_id: str, who: str, incentive: str) -> Incentive:
    """Record (or replace) what ``who`` expects to gain from the task."""
    require_facilitator(actor)
    with store.transaction() as tx:
        tx.get(Task, task_id)
        rec = build(Incentive, {"task_id": task_id, "actor": who, "incentive": incentive})
        found = tx.find(Incentive, task_id=task_id, actor=rec.actor)
        if found:
            rec.id = found[0].id
            return tx.update(rec)
        return tx.add(rec)
