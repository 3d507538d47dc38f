"""The plan of a session, from the session guide (``facilitator_guides/*/sessions.md``).

The dashboard shows the facilitator what today's round is for, what to do and how long
each part takes, and which workbooks they will need. This module holds that plan as data
(the guide's round table and its 3-hour frame) and picks "today's" session of a series,
so the dashboard and its tests share one truth. Plain Python: no widgets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from separ.i18n import Lang
from separ.model import Session, SessionKind


@dataclass(frozen=True)
class Step:
    """One part of a session: when it starts and ends (minutes from the start), and what."""

    start: int
    end: int
    what: dict[Lang, str]

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def clock(self) -> str:
        """``0:15–1:05``, as the guide writes it."""
        return f"{self.start // 60}:{self.start % 60:02d}–{self.end // 60}:{self.end % 60:02d}"


@dataclass(frozen=True)
class RoundPlan:
    purpose: dict[Lang, str]
    activities: dict[Lang, str]
    workbooks: tuple[str, ...]
    """Workbook stems (``01_context``) the round works in, in the order of use."""


WORKBOOKS: dict[str, tuple[str, str]] = {
    "00_live": ("진행판", "Live"),
    "01_context": ("환경분석", "Context"),
    "02_assets": ("자산·관계망", "Assets"),
    "03_voting": ("투표", "Voting"),
    "04_roadmap": ("로드맵", "Roadmap"),
    "05_report": ("보고서", "Report"),
    "06_followup": ("워크숍 이후", "Follow-up"),
}
"""The facilitator's pages (workbook stem -> Korean, English name), as the navigation bar
of separ's Voila template lists them."""

FRAME: tuple[Step, ...] = (
    Step(
        0,
        15,
        {"ko": "체크인, 지난 회차 돌아보기, 목표 점검", "en": "check-in, look back, goal check"},
    ),
    Step(
        15,
        65,
        {
            "ko": "공동 목표 합의 (전체 시간의 약 30%)",
            "en": "agreeing shared goals (about 30% of the time)",
        },
    ),
    Step(65, 140, {"ko": "이번 회차 단계 활동", "en": "the stage's activity"}),
    Step(140, 150, {"ko": "쉬는 시간", "en": "break"}),
    Step(
        150,
        170,
        {
            "ko": "결과 함께 보기 (프로젝터), 결정 확인",
            "en": "results together on the projector, confirm decisions",
        },
    ),
    Step(170, 180, {"ko": "다음 회차까지 할 일, 마무리", "en": "tasks until next time, close"}),
)
"""The guide's 3-hour session."""

ROUNDS: dict[int, RoundPlan] = {
    1: RoundPlan(
        {"ko": "목적 확인", "en": "purpose"},
        {
            "ko": "연구 실행계획과 진행 과정 공유, 기초 문헌연구 결과 1차 공유(PEST), "
            "네트워크 활성화의 목적 확인",
            "en": "share the research plan and process, first sharing of the desk "
            "research (PEST), confirm the purpose of the network",
        },
        ("00_live", "01_context"),
    ),
    2: RoundPlan(
        {"ko": "현안과 사례", "en": "issues and cases"},
        {
            "ko": "지역 현안·쟁점·의제 논의, 다른 지역의 중장기 전략 사례 공유, 자산 모으기",
            "en": "local issues and agendas, cases of mid-term strategies from other "
            "regions, collect assets",
        },
        ("01_context", "02_assets"),
    ),
    3: RoundPlan(
        {"ko": "우선순위", "en": "priorities"},
        {
            "ko": "환경 및 역량 분석(SWOT → TOWS), 핵심 세부과제 선정 투표",
            "en": "environment and capacity analysis (SWOT → TOWS), vote on the core tasks",
        },
        ("01_context", "03_voting"),
    ),
    4: RoundPlan(
        {"ko": "과제별 실행계획", "en": "task plans"},
        {
            "ko": "네트워크 활성화 방안과 실행과제 선정, 과제별 실행계획 1차 작성",
            "en": "choose the network's measures and tasks, first draft of each task's "
            "execution plan",
        },
        ("04_roadmap",),
    ),
    5: RoundPlan(
        {"ko": "검토", "en": "review"},
        {
            "ko": "과제별 조사 내용 공유, 실행계획 검토와 수정, 계획 점검",
            "en": "share what was researched per task, review and revise the plans, run the checks",
        },
        ("04_roadmap", "02_assets"),
    ),
    6: RoundPlan(
        {"ko": "역할", "en": "roles"},
        {
            "ko": "중장기 전략의 우선순위 결정(중요 정도 상/중상/중), 주체별 역할분담, 분과 구성",
            "en": "prioritise the mid-term strategies (importance 상/중상/중), divide "
            "roles, form sub-committees",
        },
        ("03_voting", "04_roadmap"),
    ),
    7: RoundPlan(
        {"ko": "비전과 최종 검토", "en": "vision and final review"},
        {
            "ko": "실행계획서 검토, 비전 키워드 선정과 비전 선언 초안, 결과보고서 함께 보기",
            "en": "review the execution plans, choose vision keywords and draft the "
            "vision declaration, review the report together",
        },
        ("04_roadmap", "05_report"),
    ),
}

AFTER = RoundPlan(
    {"ko": "점검 회의", "en": "review meeting"},
    {
        "ko": "계획 대비 실적, 다음 해의 작은 성공 과제, 지표 현황, 필요하면 델파이 조사",
        "en": "plan vs reality, next year's quick wins, indicators, a Delphi panel if wanted",
    },
    ("06_followup",),
)
"""A meeting, or a round past the guide's seven: the yearly review of the guide's last part."""


def plan_for(session: Session) -> RoundPlan:
    """The guide's plan for a session: its round's, or the review meeting's."""
    if session.kind == SessionKind.workshop and session.round in ROUNDS:
        return ROUNDS[session.round]
    return AFTER


def by_date(sessions: list[Session]) -> list[Session]:
    """The series in the order it is held: by date, undated last (by round)."""
    return sorted(sessions, key=lambda s: (s.date is None, s.date or dt.date.min, s.round or 0))


def todays_session(sessions: list[Session], today: dt.date) -> Session | None:
    """The session held today; else the next one; else the last one held."""
    dated = [s for s in by_date(sessions) if s.date is not None]
    if not dated:
        return by_date(sessions)[0] if sessions else None
    upcoming = [s for s in dated if s.date is not None and s.date >= today]
    return upcoming[0] if upcoming else dated[-1]


def session_label(session: Session, lang: Lang) -> str:
    """``3회차`` / ``round 3``, or the meeting kind (``공유회의``), never an internal code."""
    if session.round is not None and session.kind == SessionKind.workshop:
        return f"{session.round}회차" if lang == "ko" else f"round {session.round}"
    return SessionKind(session.kind).label(lang)
