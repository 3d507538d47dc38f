"""The 3-year roadmap a workshop ends with: strategy tree, task plans, roles, budgets, schedule.

The seed report hands the local government a vision, strategies, core goals and tasks
(전략체계도), one execution plan per task (과제별 실행계획서) with budget lines, a role
division per actor (주체별 역할분담), sub-committees (분과/TFT/이사회) that take tasks across
strategy columns, and a Gantt schedule. This module holds those records and the logic over
them (labels, periods, budget roll-ups, the checks a facilitator runs before the final
session, and the writes facilitators and participants may make). Figures live in
:mod:`separ.figures.roadmap`, widgets in :mod:`separ.ui.roadmap`.

Identity: every task has one id for life. The seed numbers the same Seosan task five ways
(①, ⑥-1, 1-1, ㉑, ㉠); those are :class:`TaskLabel` rows per numbering scheme, so any
document's numbering can be printed without ever re-keying the plan.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import Field, StringConstraints, field_validator, model_validator

from separ.actors import Actor, require_facilitator
from separ.errors import Invalid, SeparError, Where, at
from separ.i18n import Lang, add_messages, add_nouns, text
from separ.limits import spend
from separ.model import Participant, Session, Workshop
from separ.records import Choice, Line, Name, Record, RecordId, Text
from separ.store import Store, Transaction

# --------------------------------------------------------------------------- choices


class Importance(Choice):
    """The seed's three-level 중요 정도 (〈표 4-22〉)."""

    high = "high"
    mid_high = "mid_high"
    mid = "mid"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "high": {"ko": "상", "en": "high"},
            "mid_high": {"ko": "중상", "en": "medium-high"},
            "mid": {"ko": "중", "en": "medium"},
        }


class FundingSide(Choice):
    """Who pays a budget line: 민/관 (Nonsan) or the public-finance split 국비/도비/시비/자담."""

    civil = "civil"
    public = "public"
    national = "national"
    province = "province"
    city = "city"
    own = "own"
    unspecified = "unspecified"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "civil": {"ko": "민", "en": "civil"},
            "public": {"ko": "관", "en": "public"},
            "national": {"ko": "국비", "en": "national"},
            "province": {"ko": "도비", "en": "province"},
            "city": {"ko": "시비", "en": "city"},
            "own": {"ko": "자담", "en": "own funds"},
            "unspecified": {"ko": "미정", "en": "unspecified"},
        }


class CommitteeKind(Choice):
    committee = "committee"
    tft = "tft"
    board = "board"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "committee": {"ko": "분과", "en": "sub-committee"},
            "tft": {"ko": "TFT", "en": "task force"},
            "board": {"ko": "이사회", "en": "board"},
        }


# --------------------------------------------------------------------------- periods

Granularity = Literal["month", "quarter", "half"]
GRANULARITIES: tuple[Granularity, ...] = ("month", "quarter", "half")
_SPAN = {"month": 1, "quarter": 3, "half": 6}
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{1,2})|Q([1-4])|H([12]))$")


@dataclass(frozen=True, order=True)
class Period:
    """A month, quarter or half-year, written ``2021-10``, ``2022Q4`` or ``2023H1``.

    Stored as text so a facilitator can type it in a sheet; compared and converted as
    month indices (``year * 12 + month - 1``) so any granularity meets any other.
    """

    first: int
    last: int
    granularity: Granularity

    @classmethod
    def parse(cls, value: str) -> Period:
        match = _PERIOD.match(value.strip())
        if not match:
            raise SeparError("roadmap_bad_period", value=value)
        year = int(match.group(1))
        if match.group(2):
            month = int(match.group(2))
            if not 1 <= month <= 12:
                raise SeparError("roadmap_bad_period", value=value)
            start = year * 12 + month - 1
            return cls(start, start, "month")
        if match.group(3):
            start = year * 12 + (int(match.group(3)) - 1) * 3
            return cls(start, start + 2, "quarter")
        start = year * 12 + (int(match.group(4)) - 1) * 6
        return cls(start, start + 5, "half")


def period_label(month_index: int, granularity: Granularity, lang: Lang = "ko") -> str:
    """The period of ``granularity`` holding ``month_index``, as the seed's tables head it."""
    year, month0 = divmod(month_index, 12)
    short = year % 100
    if granularity == "month":
        return f"{short}.{month0 + 1}" if lang == "ko" else f"{year}-{month0 + 1:02d}"
    if granularity == "quarter":
        q = month0 // 3 + 1
        return f"{short}년 {q}분기" if lang == "ko" else f"{year} Q{q}"
    h = month0 // 6 + 1
    return f"{short}년 {'상' if h == 1 else '하'}반기" if lang == "ko" else f"{year} H{h}"


def period_columns(first: int, last: int, granularity: Granularity) -> list[int]:
    """The first month index of each ``granularity`` period from ``first`` to ``last``."""
    span = _SPAN[granularity]
    start = first - (first % 12) % span
    return list(range(start, last + 1, span))


def coarsen(first: int, last: int, granularity: Granularity) -> tuple[int, int]:
    """Widen a month span to whole periods of ``granularity`` (a plan shown coarser)."""
    span = _SPAN[granularity]
    start = first - (first % 12) % span
    end_start = last - (last % 12) % span
    return start, end_start + span - 1


def _check_period(value: str | None) -> str | None:
    if value is None:
        return None
    Period.parse(value)
    return value.strip()


# --------------------------------------------------------------------------- records

COMMENT_MAX = 1000
"""A comment is a few sentences typed on a phone."""

_ID: dict[Lang, str] = {"ko": "ID", "en": "id"}
_NOTES: dict[Lang, str] = {"ko": "비고", "en": "notes"}
_ORDER: dict[Lang, str] = {"ko": "순서", "en": "order"}
_TASK: dict[Lang, str] = {"ko": "과제 ID", "en": "task id"}


class Vision(Record):
    """The plan's vision sentence and the keywords a round chose for it."""

    table: ClassVar[str] = "roadmap_vision"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "비전", "en": "Vision"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "text": {"ko": "비전", "en": "vision"},
        "keywords": {"ko": "비전 키워드", "en": "keywords"},
        "notes": _NOTES,
    }
    noun: ClassVar[str] = "vision"

    text: Text | None = None
    keywords: list[Line] = []
    notes: Text | None = None


class Strategy(Record):
    """A main strategy (주요전략) or core task column (핵심과제)."""

    table: ClassVar[str] = "roadmap_strategies"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "전략", "en": "Strategies"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "code": {"ko": "번호", "en": "code"},
        "title": {"ko": "전략", "en": "strategy"},
        "order": _ORDER,
        "notes": _NOTES,
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("code",),)
    noun: ClassVar[str] = "strategy"

    code: Name
    title: Name
    order: int = 0
    notes: Text | None = None


class CoreGoal(Record):
    """A core goal (핵심목표) under a strategy."""

    table: ClassVar[str] = "roadmap_goals"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "핵심목표", "en": "Core goals"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "strategy_id": {"ko": "전략 ID", "en": "strategy id"},
        "title": {"ko": "핵심목표", "en": "goal"},
        "order": _ORDER,
        "notes": _NOTES,
    }
    references: ClassVar[dict[str, str]] = {"strategy_id": "roadmap_strategies"}
    noun: ClassVar[str] = "goal"

    strategy_id: RecordId
    title: Name
    order: int = 0
    notes: Text | None = None


class Task(Record):
    """A task (세부과제/실행과제) and the head of its execution plan."""

    table: ClassVar[str] = "roadmap_tasks"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "과제", "en": "Tasks"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "strategy_id": {"ko": "전략 ID", "en": "strategy id"},
        "goal_id": {"ko": "핵심목표 ID", "en": "goal id"},
        "code": {"ko": "과제 번호", "en": "code"},
        "title": {"ko": "과제명", "en": "title"},
        "group": {"ko": "묶음", "en": "group"},
        "order": _ORDER,
        "importance": {"ko": "중요 정도", "en": "importance"},
        "priority_poll_id": {"ko": "우선순위 투표 ID", "en": "priority poll id"},
        "priority_option_id": {"ko": "우선순위 선택지 ID", "en": "priority option id"},
        "purpose": {"ko": "목적", "en": "purpose"},
        "background": {"ko": "추진배경", "en": "background"},
        "current_state": {"ko": "현재 현황", "en": "current state"},
        "lead": {"ko": "주관", "en": "lead"},
        "partners": {"ko": "협력", "en": "partners"},
        "staff": {"ko": "필요 인력", "en": "required staff"},
        "notes": _NOTES,
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("code",),)
    references: ClassVar[dict[str, str]] = {
        "strategy_id": "roadmap_strategies",
        "goal_id": "roadmap_goals",
    }
    noun: ClassVar[str] = "task"

    strategy_id: RecordId
    goal_id: RecordId | None = None
    code: Name
    title: Name
    group: Name | None = None
    order: int = 0
    importance: Importance | None = None
    priority_poll_id: Name | None = None
    priority_option_id: Name | None = None
    purpose: list[Line] = []
    background: Text | None = None
    current_state: Text | None = None
    lead: Name | None = None
    partners: list[Line] = []
    staff: Text | None = None
    notes: Text | None = None


class TaskLabel(Record):
    """How one numbering scheme (a table of the report) numbers a task."""

    table: ClassVar[str] = "roadmap_task_labels"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "과제 번호체계", "en": "Task labels"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "task_id": _TASK,
        "scheme": {"ko": "번호체계", "en": "scheme"},
        "label": {"ko": "표시 번호", "en": "label"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("task_id", "scheme"),)
    references: ClassVar[dict[str, str]] = {"task_id": "roadmap_tasks"}

    task_id: RecordId
    scheme: Name
    label: Name


class Target(Record):
    """A target of a task; quantitative ones carry metric, value, unit and period."""

    table: ClassVar[str] = "roadmap_targets"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "목표", "en": "Targets"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "task_id": _TASK,
        "order": _ORDER,
        "text": {"ko": "목표", "en": "target"},
        "metric": {"ko": "지표", "en": "metric"},
        "value": {"ko": "목표값", "en": "value"},
        "unit": {"ko": "단위", "en": "unit"},
        "period": {"ko": "기간", "en": "period"},
    }
    references: ClassVar[dict[str, str]] = {"task_id": "roadmap_tasks"}

    task_id: RecordId
    order: int = 0
    text: Line
    metric: Name | None = None
    value: float | None = None
    unit: Name | None = None
    period: Name | None = None


class Step(Record):
    """A process step (진행 과정); ``alternative`` marks options such as 1안/2안."""

    table: ClassVar[str] = "roadmap_steps"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "진행 과정", "en": "Steps"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "task_id": _TASK,
        "order": _ORDER,
        "text": {"ko": "내용", "en": "step"},
        "alternative": {"ko": "대안", "en": "alternative"},
        "details": {"ko": "세부", "en": "details"},
    }
    references: ClassVar[dict[str, str]] = {"task_id": "roadmap_tasks"}

    task_id: RecordId
    order: int = 0
    text: Line
    alternative: Name | None = None
    details: list[Line] = []


class TaskIssue(Record):
    """An issue raised on a task: 주요 쟁점, 검토 사항, 제안 배경, 연계 …"""

    table: ClassVar[str] = "roadmap_issues"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "쟁점", "en": "Issues"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "task_id": _TASK,
        "kind": {"ko": "구분", "en": "kind"},
        "items": {"ko": "내용", "en": "items"},
    }
    references: ClassVar[dict[str, str]] = {"task_id": "roadmap_tasks"}

    task_id: RecordId
    kind: Name
    items: list[Line] = []


class BenchmarkCase(Record):
    """A case from another region the plan learns from (□ 사례)."""

    table: ClassVar[str] = "roadmap_cases"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "사례", "en": "Benchmark cases"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "task_id": _TASK,
        "title": {"ko": "사례", "en": "case"},
        "region": {"ko": "지역", "en": "region"},
        "summary": {"ko": "요약", "en": "summary"},
    }
    references: ClassVar[dict[str, str]] = {"task_id": "roadmap_tasks"}

    task_id: RecordId
    title: Name
    region: Name | None = None
    summary: Text | None = None


class BudgetLine(Record):
    """One budget line in 원; ``units × quantity × rate`` must equal ``amount`` when given."""

    table: ClassVar[str] = "roadmap_budget"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "예산", "en": "Budget"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "task_id": _TASK,
        "item": {"ko": "사업내역", "en": "item"},
        "detail": {"ko": "세부", "en": "detail"},
        "amount": {"ko": "금액(원)", "en": "amount (KRW)"},
        "side": {"ko": "재원", "en": "funding side"},
        "year": {"ko": "연도", "en": "year"},
        "per_year": {"ko": "연간", "en": "per year"},
        "units": {"ko": "인원·개소", "en": "units"},
        "units_label": {"ko": "단위1", "en": "unit 1"},
        "quantity": {"ko": "수량·일수", "en": "quantity"},
        "quantity_label": {"ko": "단위2", "en": "unit 2"},
        "rate": {"ko": "단가(원)", "en": "rate (KRW)"},
        "notes": _NOTES,
    }
    references: ClassVar[dict[str, str]] = {"task_id": "roadmap_tasks"}
    noun: ClassVar[str] = "budget_line"

    task_id: RecordId
    item: Name
    detail: Name | None = None
    amount: int = Field(ge=0)
    side: FundingSide = FundingSide.unspecified
    year: int | None = Field(default=None, ge=1900, le=2200)
    per_year: bool = False
    units: float | None = Field(default=None, gt=0)
    units_label: Name | None = None
    quantity: float | None = Field(default=None, gt=0)
    quantity_label: Name | None = None
    rate: int | None = Field(default=None, ge=0)
    notes: Text | None = None

    def computed(self) -> float | None:
        """units × quantity × rate, with a missing factor counting as 1; None without a rate."""
        if self.rate is None:
            return None
        return (self.units or 1) * (self.quantity or 1) * self.rate


class BudgetTotal(Record):
    """A total the plan states (a 합계 cell, "총 10,000,000원"): checked against the lines.

    ``item`` None means the whole task; ``side`` None means all sides together.
    """

    table: ClassVar[str] = "roadmap_budget_totals"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "예산 합계", "en": "Budget totals"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "task_id": _TASK,
        "item": {"ko": "사업내역", "en": "item"},
        "detail": {"ko": "세부", "en": "detail"},
        "side": {"ko": "재원", "en": "funding side"},
        "amount": {"ko": "기재 합계(원)", "en": "stated total (KRW)"},
        "notes": _NOTES,
    }
    references: ClassVar[dict[str, str]] = {"task_id": "roadmap_tasks"}

    task_id: RecordId
    item: Name | None = None
    detail: Name | None = None
    side: FundingSide | None = None
    amount: int = Field(ge=0)
    notes: Text | None = None


class RoleAssignment(Record):
    """What one actor does for one task (주체별 역할분담): one cell of the role table."""

    table: ClassVar[str] = "roadmap_roles"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "역할분담", "en": "Roles"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "task_id": _TASK,
        "actor": {"ko": "주체", "en": "actor"},
        "items": {"ko": "역할", "en": "role"},
        "order": _ORDER,
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("task_id", "actor"),)
    references: ClassVar[dict[str, str]] = {"task_id": "roadmap_tasks"}

    task_id: RecordId
    actor: Name
    items: list[Line] = []
    order: int = 0


class SubCommittee(Record):
    """A 분과, TFT or 이사회 that carries tasks (across strategy columns)."""

    table: ClassVar[str] = "roadmap_committees"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "분과", "en": "Sub-committees"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "name": {"ko": "분과명", "en": "name"},
        "kind": {"ko": "종류", "en": "kind"},
        "order": _ORDER,
        "notes": _NOTES,
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("name",),)
    noun: ClassVar[str] = "committee"

    name: Name
    kind: CommitteeKind = CommitteeKind.committee
    order: int = 0
    notes: Text | None = None


class CommitteeMember(Record):
    """A member of a sub-committee: a participant, or a name the roster lacks."""

    table: ClassVar[str] = "roadmap_committee_members"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "분과 위원", "en": "Committee members"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "committee_id": {"ko": "분과 ID", "en": "committee id"},
        "participant_id": {"ko": "참여자 ID", "en": "participant id"},
        "name": {"ko": "이름", "en": "name"},
        "role": {"ko": "역할", "en": "role"},
        "leader": {"ko": "분과장", "en": "leader"},
        "order": _ORDER,
        "notes": _NOTES,
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("committee_id", "participant_id"),)
    references: ClassVar[dict[str, str]] = {
        "committee_id": "roadmap_committees",
        "participant_id": "participants",
    }

    committee_id: RecordId
    participant_id: RecordId | None = None
    name: Name | None = None
    role: Name | None = None
    leader: bool = False
    order: int = 0
    notes: Text | None = None

    @model_validator(mode="after")
    def _someone(self) -> CommitteeMember:
        if not (self.participant_id or self.name):
            raise Invalid("member_needs_someone")
        return self


class CommitteeTask(Record):
    """A task assigned to a sub-committee."""

    table: ClassVar[str] = "roadmap_committee_tasks"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "분과별 사업", "en": "Committee tasks"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "committee_id": {"ko": "분과 ID", "en": "committee id"},
        "task_id": _TASK,
        "notes": _NOTES,
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("committee_id", "task_id"),)
    references: ClassVar[dict[str, str]] = {
        "committee_id": "roadmap_committees",
        "task_id": "roadmap_tasks",
    }

    committee_id: RecordId
    task_id: RecordId
    notes: Text | None = None


class SubActivity(Record):
    """A scheduled activity of a task (세부활동), or a milestone when ``milestone``.

    ``start``/``end`` are periods (``2021-10``, ``2022Q4``, ``2023H1``). ``estimated``
    says the placement is separ's reading of the plan text, not a shaded Gantt cell.
    """

    table: ClassVar[str] = "roadmap_activities"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "세부활동", "en": "Activities"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "task_id": _TASK,
        "title": {"ko": "세부활동", "en": "activity"},
        "order": _ORDER,
        "start": {"ko": "시작", "en": "start"},
        "end": {"ko": "종료", "en": "end"},
        "milestone": {"ko": "주요 시점", "en": "milestone"},
        "estimated": {"ko": "추정", "en": "estimated"},
        "notes": _NOTES,
    }
    references: ClassVar[dict[str, str]] = {"task_id": "roadmap_tasks"}
    noun: ClassVar[str] = "activity"

    task_id: RecordId
    title: Name
    order: int = 0
    start: Name | None = None
    end: Name | None = None
    milestone: bool = False
    estimated: bool = False
    notes: Text | None = None

    _periods = field_validator("start", "end")(_check_period)

    @model_validator(mode="after")
    def _in_order(self) -> SubActivity:
        if self.start and self.end and Period.parse(self.end).last < Period.parse(self.start).first:
            raise Invalid("period_order", start=self.start, end=self.end)
        return self

    def months(self) -> tuple[int, int] | None:
        """(first, last) month index, or None when unscheduled."""
        if not self.start:
            return None
        first = Period.parse(self.start)
        last = Period.parse(self.end) if self.end else first
        return first.first, last.last


class GoalCheckin(Record):
    """At a session, is the goal still valid and feasible? (the seed re-checked every round)."""

    table: ClassVar[str] = "roadmap_checkins"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "목표 점검", "en": "Goal check-ins"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "session_id": {"ko": "회차 ID", "en": "session id"},
        "goal_id": {"ko": "핵심목표 ID", "en": "goal id"},
        "valid": {"ko": "유효", "en": "still valid"},
        "feasible": {"ko": "실현가능", "en": "feasible"},
        "note": {"ko": "메모", "en": "note"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("session_id", "goal_id"),)
    references: ClassVar[dict[str, str]] = {"session_id": "sessions", "goal_id": "roadmap_goals"}

    session_id: RecordId
    goal_id: RecordId
    valid: bool | None = None
    feasible: bool | None = None
    note: Text | None = None


class TaskComment(Record):
    """A participant's comment on a task during a live session."""

    table: ClassVar[str] = "roadmap_comments"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "과제 의견", "en": "Task comments"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "task_id": _TASK,
        "participant_id": {"ko": "참여자 ID", "en": "participant id"},
        "author": {"ko": "작성자", "en": "author"},
        "text": {"ko": "의견", "en": "comment"},
        "created": {"ko": "작성 시각", "en": "created"},
    }
    references: ClassVar[dict[str, str]] = {
        "task_id": "roadmap_tasks",
        "participant_id": "participants",
    }

    task_id: RecordId
    participant_id: RecordId | None = None
    author: Name
    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=COMMENT_MAX)
    ]
    created: dt.datetime


class Volunteer(Record):
    """A participant volunteering for a sub-committee (the facilitator then adds members)."""

    table: ClassVar[str] = "roadmap_volunteers"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "분과 자원", "en": "Volunteers"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": _ID,
        "committee_id": {"ko": "분과 ID", "en": "committee id"},
        "participant_id": {"ko": "참여자 ID", "en": "participant id"},
        "note": {"ko": "메모", "en": "note"},
        "created": {"ko": "신청 시각", "en": "created"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("committee_id", "participant_id"),)
    references: ClassVar[dict[str, str]] = {
        "committee_id": "roadmap_committees",
        "participant_id": "participants",
    }

    committee_id: RecordId
    participant_id: RecordId
    note: Text | None = None
    created: dt.datetime


RECORDS: tuple[type[Record], ...] = (
    Vision,
    Strategy,
    CoreGoal,
    Task,
    TaskLabel,
    Target,
    Step,
    TaskIssue,
    BenchmarkCase,
    BudgetLine,
    BudgetTotal,
    RoleAssignment,
    SubCommittee,
    CommitteeMember,
    CommitteeTask,
    SubActivity,
    GoalCheckin,
    TaskComment,
    Volunteer,
)

# --------------------------------------------------------------------------- messages

add_nouns(
    {
        "vision": {"ko": "비전", "en": "vision"},
        "strategy": {"ko": "전략", "en": "strategy"},
        "goal": {"ko": "핵심목표", "en": "core goal"},
        "task": {"ko": "과제", "en": "task"},
        "budget_line": {"ko": "예산 항목", "en": "budget line"},
        "committee": {"ko": "분과", "en": "sub-committee"},
        "activity": {"ko": "세부활동", "en": "activity"},
    }
)

add_messages(
    {
        "roadmap_bad_period": {
            "ko": "기간 형식이 잘못되었습니다: {value} (예: 2021-10, 2022Q4, 2023H1)",
            "en": "bad period: {value} (e.g. 2021-10, 2022Q4, 2023H1)",
        },
        "roadmap_bad_field": {
            "ko": "이 항목은 여기서 고칠 수 없습니다: {name}",
            "en": "this field cannot be edited here: {name}",
        },
        "roadmap_goal_elsewhere": {
            "ko": "핵심목표가 다른 전략에 속해 있습니다: {value}",
            "en": "the core goal belongs to another strategy: {value}",
        },
        "roadmap_needs_participant": {
            "ko": "참여자로 로그인해야 분과에 지원할 수 있습니다",
            "en": "only a signed-in participant can volunteer for a sub-committee",
        },
        "roadmap_empty_comment": {"ko": "의견을 입력해 주세요", "en": "please write a comment"},
        "roadmap_check_no_lead": {
            "ko": "과제 {task}: 주관(담당 주체나 분과)이 정해지지 않았습니다",
            "en": "task {task}: no lead (no lead actor and no sub-committee)",
        },
        "roadmap_check_no_schedule": {
            "ko": "과제 {task}: 일정이 잡힌 세부활동이 없습니다",
            "en": "task {task}: no scheduled activity",
        },
        "roadmap_check_outside_horizon": {
            "ko": (
                "과제 {task}의 '{activity}' ({start}~{end})이(가) "
                "계획 기간 {plan_start}~{plan_end}년을 벗어납니다"
            ),
            "en": (
                "task {task}: '{activity}' ({start} to {end}) lies outside "
                "the plan years {plan_start}-{plan_end}"
            ),
        },
        "roadmap_check_budget_product": {
            "ko": (
                "과제 {task}의 예산 '{item}': {formula} = {computed:,.0f}원인데 "
                "금액은 {amount:,}원입니다"
            ),
            "en": (
                "task {task}, budget '{item}': {formula} = {computed:,.0f} KRW "
                "but the amount is {amount:,} KRW"
            ),
        },
        "roadmap_check_budget_total": {
            "ko": "과제 {task}의 기재 합계 '{scope}' {stated:,}원이 항목 합 {computed:,}원과 다릅니다",
            "en": (
                "task {task}: stated total '{scope}' {stated:,} KRW differs from "
                "the lines' sum {computed:,} KRW"
            ),
        },
        "roadmap_check_overload": {
            "ko": "{who}: {period}에 세부활동 {count}개가 겹칩니다 (기준 {threshold}개 이하)",
            "en": "{who}: {count} activities overlap in {period} (threshold {threshold})",
        },
        "roadmap_check_goal_without_task": {
            "ko": "핵심목표 '{goal}'에 연결된 과제가 없습니다",
            "en": "core goal '{goal}' has no task",
        },
    }
)

# --------------------------------------------------------------------------- the plan


@dataclass
class Plan:
    """One consistent read of the whole roadmap (every table read in one snapshot)."""

    workshop: Workshop
    vision: Vision | None
    strategies: list[Strategy]
    goals: list[CoreGoal]
    tasks: list[Task]
    labels: list[TaskLabel]
    targets: list[Target]
    steps: list[Step]
    issues: list[TaskIssue]
    cases: list[BenchmarkCase]
    budget: list[BudgetLine]
    totals: list[BudgetTotal]
    roles: list[RoleAssignment]
    committees: list[SubCommittee]
    members: list[CommitteeMember]
    assignments: list[CommitteeTask]
    activities: list[SubActivity]
    checkins: list[GoalCheckin]
    comments: list[TaskComment]
    volunteers: list[Volunteer]
    participants: dict[str, Participant] = field(default_factory=dict)

    def task(self, task_id: str) -> Task:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise SeparError("not_found", what="task", value=task_id)

    def strategy_of(self, task: Task) -> Strategy:
        return next(s for s in self.strategies if s.id == task.strategy_id)

    def tasks_of(self, strategy: Strategy) -> list[Task]:
        return [t for t in self.tasks if t.strategy_id == strategy.id]

    def goals_of(self, strategy: Strategy) -> list[CoreGoal]:
        return [g for g in self.goals if g.strategy_id == strategy.id]

    def activities_of(self, task: Task) -> list[SubActivity]:
        return sorted((a for a in self.activities if a.task_id == task.id), key=lambda a: a.order)

    def committees_of(self, task: Task) -> list[SubCommittee]:
        ids = {a.committee_id for a in self.assignments if a.task_id == task.id}
        return [c for c in self.committees if c.id in ids]

    def tasks_of_committee(self, committee: SubCommittee) -> list[Task]:
        ids = {a.task_id for a in self.assignments if a.committee_id == committee.id}
        return [t for t in self.tasks if t.id in ids]

    def members_of(self, committee: SubCommittee) -> list[CommitteeMember]:
        return sorted(
            (m for m in self.members if m.committee_id == committee.id),
            key=lambda m: (not m.leader, m.order),
        )

    def member_name(self, member: CommitteeMember) -> str:
        person = self.participants.get(member.participant_id or "")
        return person.name if person else (member.name or "?")

    def schemes(self) -> list[str]:
        """Numbering schemes in the order they first appear."""
        return list(dict.fromkeys(label.scheme for label in self.labels))

    def label(self, task: Task, scheme: str | None = None) -> str:
        """The task's number in ``scheme`` (a table of the report), else its own code."""
        if scheme:
            for label in self.labels:
                if label.task_id == task.id and label.scheme == scheme:
                    return label.label
        return task.code


def _by_order(records: Iterable[Any]) -> list[Any]:
    return sorted(records, key=lambda r: r.order)


def load_plan(store: Store) -> Plan:
    """The roadmap as one snapshot, strategies, goals and tasks in display order."""
    with store.reading() as tx:
        visions = tx.find(Vision)
        strategies = _by_order(tx.find(Strategy))
        rank = {s.id: i for i, s in enumerate(strategies)}
        goals = sorted(tx.find(CoreGoal), key=lambda g: (rank.get(g.strategy_id, 0), g.order))
        tasks = sorted(tx.find(Task), key=lambda t: (rank.get(t.strategy_id, 0), t.order))
        return Plan(
            workshop=tx.get(Workshop, "workshop"),
            vision=visions[0] if visions else None,
            strategies=strategies,
            goals=goals,
            tasks=tasks,
            labels=tx.find(TaskLabel),
            targets=_by_order(tx.find(Target)),
            steps=_by_order(tx.find(Step)),
            issues=tx.find(TaskIssue),
            cases=tx.find(BenchmarkCase),
            budget=tx.find(BudgetLine),
            totals=tx.find(BudgetTotal),
            roles=_by_order(tx.find(RoleAssignment)),
            committees=_by_order(tx.find(SubCommittee)),
            members=tx.find(CommitteeMember),
            assignments=tx.find(CommitteeTask),
            activities=tx.find(SubActivity),
            checkins=tx.find(GoalCheckin),
            comments=tx.find(TaskComment, order_by="created"),
            volunteers=tx.find(Volunteer, order_by="created"),
            participants={p.id: p for p in tx.find(Participant)},
        )


# --------------------------------------------------------------------------- budgets

RollupBy = Literal["year", "side", "strategy", "task"]
PER_YEAR = "per_year"
"""Roll-up key for lines the plan states per year without saying which year."""
NO_YEAR = "unspecified"
"""Roll-up key for lines without a year."""


def budget_rollup(plan: Plan, by: RollupBy) -> dict[str, int]:
    """Sum of budget line amounts per year, funding side, strategy or task, as stated.

    A per-year line (Seosan 2-2's "필요 예산(연간)") counts once, under ``per_year`` when
    rolling up by year: the report never says for how many years, so separ does not guess.
    """
    out: dict[str, int] = defaultdict(int)
    task_of = {t.id: t for t in plan.tasks}
    for line in plan.budget:
        if by == "year":
            key = PER_YEAR if line.per_year else (str(line.year) if line.year else NO_YEAR)
        elif by == "side":
            key = line.side.value
        elif by == "strategy":
            key = task_of[line.task_id].strategy_id
        else:
            key = line.task_id
        out[key] += line.amount
    return dict(out)


def budget_by_task_and_side(plan: Plan) -> dict[str, dict[str, int]]:
    """{task id: {side code: amount}}: the 민 | 관 | 합계 table of each plan."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line in plan.budget:
        out[line.task_id][line.side.value] += line.amount
    return {k: dict(v) for k, v in out.items()}


def _formula(line: BudgetLine) -> str:
    parts = []
    if line.units is not None:
        parts.append(f"{line.units:g}{line.units_label or ''}")
    if line.quantity is not None:
        parts.append(f"{line.quantity:g}{line.quantity_label or ''}")
    parts.append(f"{line.rate:,}원")
    return "×".join(parts)


# --------------------------------------------------------------------------- checks

OVERLOAD_THRESHOLD = 6
"""Default: more than this many activities running in one month for one lead or committee
is flagged. In the Nonsan sample the busiest unit (상호협력분과, July 2022) runs six at once,
which the seed's workshop accepted; seven would be new ground for a volunteer 분과."""

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem ``check_plan`` found; ``message(lang)`` says it to a facilitator."""

    kind: str
    record_id: str
    severity: Severity
    params: dict[str, Any]

    def message(self, lang: Lang = "ko") -> str:
        return text(f"roadmap_check_{self.kind}", lang, **self.params)


def check_plan(store: Store, *, overload_threshold: int = OVERLOAD_THRESHOLD) -> list[Finding]:
    """Everything a facilitator should fix or consciously accept before the final session."""
    return check(load_plan(store), overload_threshold=overload_threshold)


def check(plan: Plan, *, overload_threshold: int = OVERLOAD_THRESHOLD) -> list[Finding]:
    findings: list[Finding] = []
    findings += _check_leads_and_schedules(plan)
    findings += _check_horizon(plan)
    findings += _check_budget(plan)
    findings += _check_overload(plan, overload_threshold)
    used = {t.goal_id for t in plan.tasks}
    for goal in plan.goals:
        if goal.id not in used:
            findings.append(Finding("goal_without_task", goal.id, "warning", {"goal": goal.title}))
    return findings


def _check_leads_and_schedules(plan: Plan) -> list[Finding]:
    out = []
    for task in plan.tasks:
        name = f"{task.code} {task.title}"
        if not task.lead and not plan.committees_of(task):
            out.append(Finding("no_lead", task.id, "warning", {"task": name}))
        if not any(a.start for a in plan.activities_of(task)):
            out.append(Finding("no_schedule", task.id, "warning", {"task": name}))
    return out


def _check_horizon(plan: Plan) -> list[Finding]:
    start, end = plan.workshop.plan_start, plan.workshop.plan_end
    if start is None or end is None:
        return []
    first, last = start * 12, end * 12 + 11
    out = []
    for task in plan.tasks:
        for act in plan.activities_of(task):
            span = act.months()
            if span and (span[0] < first or span[1] > last):
                out.append(
                    Finding(
                        "outside_horizon",
                        act.id,
                        "error",
                        {
                            "task": task.code,
                            "activity": act.title,
                            "start": act.start,
                            "end": act.end or act.start,
                            "plan_start": start,
                            "plan_end": end,
                        },
                    )
                )
    return out


def _check_budget(plan: Plan) -> list[Finding]:
    out = []
    code = {t.id: t.code for t in plan.tasks}
    for line in plan.budget:
        computed = line.computed()
        if computed is not None and abs(computed - line.amount) > 0.5:
            out.append(
                Finding(
                    "budget_product",
                    line.id,
                    "error",
                    {
                        "task": code[line.task_id],
                        "item": line.detail or line.item,
                        "formula": _formula(line),
                        "computed": computed,
                        "amount": line.amount,
                    },
                )
            )
    for total in plan.totals:
        lines = [
            b
            for b in plan.budget
            if b.task_id == total.task_id
            and (total.item is None or b.item == total.item)
            and (total.detail is None or b.detail == total.detail)
            and (total.side is None or b.side == total.side)
        ]
        computed_sum = sum(b.amount for b in lines)
        if computed_sum != total.amount:
            scope = " / ".join(x for x in (total.item, total.detail) if x) or "총계"
            if total.side is not None:
                scope += f" ({total.side.label('ko')})"
            out.append(
                Finding(
                    "budget_total",
                    total.id,
                    "error",
                    {
                        "task": code[total.task_id],
                        "scope": scope,
                        "stated": total.amount,
                        "computed": computed_sum,
                    },
                )
            )
    return out


def _check_overload(plan: Plan, threshold: int) -> list[Finding]:
    load: dict[tuple[str, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for task in plan.tasks:
        owners = [("committee", c.id) for c in plan.committees_of(task)]
        if task.lead:
            owners.append(("lead", task.lead))
        for act in plan.activities_of(task):
            span = act.months()
            if span is None or act.milestone:
                continue
            for owner in owners:
                for month in range(span[0], span[1] + 1):
                    load[owner][month] += 1
    names = {c.id: c.name for c in plan.committees}
    out = []
    for (kind, who), months in load.items():
        peak = max(months, key=lambda m: (months[m], -m))
        if months[peak] > threshold:
            out.append(
                Finding(
                    "overload",
                    who,
                    "warning",
                    {
                        "who": names.get(who, who) if kind == "committee" else who,
                        "period": period_label(peak, "month", "en"),
                        "count": months[peak],
                        "threshold": threshold,
                    },
                )
            )
    return out


# --------------------------------------------------------------------------- writes

R = TypeVar("R", bound=Record)


def _build(rtype: type[R], data: dict[str, Any], where: Where | None = None) -> R:
    """Validate a record made from user input, with separ's messages for bad values."""
    from separ.validation import build

    record = build(rtype, data, where)
    assert isinstance(record, rtype)
    return record


def _next_order(tx: Transaction, rtype: type[Record], **equal: Any) -> int:
    return max((r.order for r in tx.find(rtype, **equal)), default=-1) + 1  # type: ignore[attr-defined]


def add_strategy(store: Store, actor: Actor, code: str, title: str) -> Strategy:
    require_facilitator(actor)
    with store.transaction() as tx:
        rec = _build(Strategy, {"code": code, "title": title, "order": _next_order(tx, Strategy)})
        return tx.add(rec)


def add_goal(store: Store, actor: Actor, strategy_id: str, title: str) -> CoreGoal:
    require_facilitator(actor)
    with store.transaction() as tx:
        tx.get(Strategy, strategy_id)
        rec = _build(
            CoreGoal,
            {
                "strategy_id": strategy_id,
                "title": title,
                "order": _next_order(tx, CoreGoal, strategy_id=strategy_id),
            },
        )
        return tx.add(rec)


def add_task(
    store: Store, actor: Actor, strategy_id: str, code: str, title: str, goal_id: str | None = None
) -> Task:
    require_facilitator(actor)
    with store.transaction() as tx:
        tx.get(Strategy, strategy_id)
        _goal_in(tx, goal_id, strategy_id)
        rec = _build(
            Task,
            {
                "strategy_id": strategy_id,
                "goal_id": goal_id,
                "code": code,
                "title": title,
                "order": _next_order(tx, Task, strategy_id=strategy_id),
            },
        )
        return tx.add(rec)


EDITABLE_TASK_FIELDS = frozenset(
    {
        "code",
        "title",
        "group",
        "importance",
        "lead",
        "partners",
        "purpose",
        "background",
        "current_state",
        "staff",
        "notes",
        "priority_poll_id",
        "priority_option_id",
    }
)


def update_task(store: Store, actor: Actor, task_id: str, **changes: Any) -> Task:
    """Edit a task's plan fields; the tree position changes only through :func:`move_task`."""
    require_facilitator(actor)
    for name in changes:
        if name not in EDITABLE_TASK_FIELDS:
            raise SeparError("roadmap_bad_field", name=name)
    from separ.validation import noun

    with store.transaction() as tx:
        task = tx.get(Task, task_id)
        data = {**task.row(), **changes}
        return tx.update(_build(Task, data, at(noun(Task), task.code, sep=" ")))


def _goal_in(tx: Transaction, goal_id: str | None, strategy_id: str) -> None:
    if goal_id is not None and tx.get(CoreGoal, goal_id).strategy_id != strategy_id:
        raise SeparError("roadmap_goal_elsewhere", value=goal_id)


def move_task(
    store: Store, actor: Actor, task_id: str, strategy_id: str, goal_id: str | None = None
) -> Task:
    """Move a task to another strategy (and goal), at the end of its new column."""
    require_facilitator(actor)
    with store.transaction() as tx:
        task = tx.get(Task, task_id)
        tx.get(Strategy, strategy_id)
        _goal_in(tx, goal_id, strategy_id)
        if strategy_id != task.strategy_id:
            task.order = _next_order(tx, Task, strategy_id=strategy_id)
        task.strategy_id = strategy_id
        task.goal_id = goal_id
        return tx.update(task)


def reorder_task(store: Store, actor: Actor, task_id: str, delta: int) -> Task:
    """Move a task ``delta`` places up (negative) or down within its strategy."""
    require_facilitator(actor)
    with store.transaction() as tx:
        task = tx.get(Task, task_id)
        siblings = sorted(tx.find(Task, strategy_id=task.strategy_id), key=lambda t: t.order)
        index = next(i for i, t in enumerate(siblings) if t.id == task_id)
        siblings.insert(max(0, min(len(siblings) - 1, index + delta)), siblings.pop(index))
        for order, sibling in enumerate(siblings):
            if sibling.order != order:
                sibling.order = order
                tx.update(sibling)
        return tx.get(Task, task_id)


def delete_task(store: Store, actor: Actor, task_id: str) -> None:
    """Delete a task with everything hanging off it (labels, budget, activities …)."""
    require_facilitator(actor)
    with store.transaction() as tx:
        tx.get(Task, task_id)
        for rtype in (
            TaskLabel,
            Target,
            Step,
            TaskIssue,
            BenchmarkCase,
            BudgetLine,
            BudgetTotal,
            RoleAssignment,
            CommitteeTask,
            SubActivity,
            TaskComment,
        ):
            for rec in tx.find(rtype, task_id=task_id):
                tx.delete(rtype, rec.id)
        tx.delete(Task, task_id)


def add_activity(
    store: Store,
    actor: Actor,
    task_id: str,
    title: str,
    start: str | None,
    end: str | None = None,
    *,
    milestone: bool = False,
    estimated: bool = False,
) -> SubActivity:
    require_facilitator(actor)
    with store.transaction() as tx:
        tx.get(Task, task_id)
        rec = _build(
            SubActivity,
            {
                "task_id": task_id,
                "title": title,
                "start": start,
                "end": end,
                "milestone": milestone,
                "estimated": estimated,
                "order": _next_order(tx, SubActivity, task_id=task_id),
            },
        )
        return tx.add(rec)


def set_label(store: Store, actor: Actor, task_id: str, scheme: str, label: str) -> TaskLabel:
    """Give a task its number in another document's numbering scheme."""
    require_facilitator(actor)
    with store.transaction() as tx:
        tx.get(Task, task_id)
        found = tx.find(TaskLabel, task_id=task_id, scheme=scheme)
        if found:
            found[0].label = label
            return tx.update(found[0])
        return tx.add(_build(TaskLabel, {"task_id": task_id, "scheme": scheme, "label": label}))


def record_checkin(
    store: Store,
    actor: Actor,
    session_id: str,
    goal_id: str,
    valid: bool | None,
    feasible: bool | None,
    note: str | None = None,
) -> GoalCheckin:
    """Record (or replace) the group's answer for a goal at a session."""
    require_facilitator(actor)
    with store.transaction() as tx:
        tx.get(Session, session_id)
        tx.get(CoreGoal, goal_id)
        rec = _build(
            GoalCheckin,
            {
                "session_id": session_id,
                "goal_id": goal_id,
                "valid": valid,
                "feasible": feasible,
                "note": note or None,
            },
        )
        found = tx.find(GoalCheckin, session_id=session_id, goal_id=goal_id)
        if found:
            rec.id = found[0].id
            return tx.update(rec)
        return tx.add(rec)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def comment_on_task(store: Store, actor: Actor, task_id: str, comment: str) -> TaskComment:
    """A participant's (or facilitator's) comment; the author is the Actor, never the page."""
    if not isinstance(comment, str) or not comment.strip():
        raise SeparError("roadmap_empty_comment")
    with store.transaction() as tx:
        tx.get(Task, task_id)
        if actor.participant_id is not None:
            tx.get(Participant, actor.participant_id)
        spend(tx, actor, "comment")
        rec = _build(
            TaskComment,
            {
                "task_id": task_id,
                "participant_id": actor.participant_id,
                "author": actor.display_name,
                "text": comment,
                "created": _now(),
            },
        )
        return tx.add(rec)


def volunteer(store: Store, actor: Actor, committee_id: str, note: str | None = None) -> Volunteer:
    """Sign the acting participant up for a sub-committee (once; a repeat updates the note)."""
    if actor.participant_id is None:
        raise SeparError("roadmap_needs_participant")
    with store.transaction() as tx:
        tx.get(SubCommittee, committee_id)
        tx.get(Participant, actor.participant_id)
        spend(tx, actor, "volunteer")
        rec = _build(
            Volunteer,
            {
                "committee_id": committee_id,
                "participant_id": actor.participant_id,
                "note": note or None,
                "created": _now(),
            },
        )
        found = tx.find(Volunteer, committee_id=committee_id, participant_id=actor.participant_id)
        if found:
            rec.id, rec.created = found[0].id, found[0].created
            return tx.update(rec)
        return tx.add(rec)
