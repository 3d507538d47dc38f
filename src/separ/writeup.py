"""The report's prose: 제출문, 요약, 서론, 결론 및 제언 and 참고문헌, drafted from the store and
edited by the facilitator.

A Korean research report opens with a letter of submission, a summary and an
introduction (background; method) and closes with conclusions, proposals and references.
separ drafts each part from what the workshop recorded -- rounds and attendance, the plan
and the votes behind it, budget totals, follow-up -- in the report style (~함/~음), so a
report is complete on the first export. The facilitator rewrites any part in the
05_report workbook; the edit is a :class:`ReportText` row, kept in the store and in the
workshop file, and every later export prints it instead of the draft. Saving an empty
text goes back to the draft.

Pages call :func:`text_of` (what the report prints), :func:`draft` (separ's proposal),
:func:`save_text` (facilitators only) and :data:`PARTS`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar, Literal

from pydantic import Field, field_validator

from separ.actors import Actor, require_facilitator
from separ.attendance import average_attendance, session_counts
from separ.budget import budget_spread, plan_years
from separ.context import Note
from separ.i18n import Lang, add_nouns
from separ.model import Attendance, Group, Participant, Session, SessionKind
from separ.network import store_graph
from separ.polls import Poll, PollBallot, results
from separ.progress import ProgressUpdate
from separ.records import Record
from separ.roadmap import Plan, load_plan
from separ.store import Store
from separ.surveys import SurveyTable
from separ.validation import build

Part = Literal["submission", "summary", "introduction", "conclusions", "references"]
PARTS: tuple[Part, ...] = ("submission", "summary", "introduction", "conclusions", "references")
"""The prose parts, in report order."""

EXAMPLE_MARK = "예시(example)"
"""Follow-up rows whose notes carry this are illustrations (a demo's invented review), no
record of the workshop: reports leave them out or say what they are."""

add_nouns({"report_text": {"ko": "보고서 문안", "en": "report text"}})


class ReportText(Record):
    """The facilitator's own wording of one prose part in one language."""

    table: ClassVar[str] = "report_texts"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "보고서 문안", "en": "Report texts"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "part": {"ko": "부분", "en": "part"},
        "lang": {"ko": "언어", "en": "language"},
        "text": {"ko": "문안", "en": "text"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("part", "lang"),)
    noun: ClassVar[str] = "report_text"

    part: str
    lang: str
    text: str = Field(min_length=1, max_length=20_000)

    @field_validator("part")
    @classmethod
    def _known_part(cls, value: str) -> str:
        if value not in PARTS:
            raise ValueError(f"unknown part {value!r} (parts: {', '.join(PARTS)})")
        return value

    @field_validator("lang")
    @classmethod
    def _known_lang(cls, value: str) -> str:
        if value not in ("ko", "en"):
            raise ValueError(f"unknown language {value!r}")
        return value


RECORDS = (ReportText,)


def _won(amount: int) -> str:
    return f"{amount:,}원"


def _day(when: dt.date) -> str:
    """ "2021. 6. 23." as Korean documents write a date."""
    return f"{when.year}. {when.month}. {when.day}."


def _mean(value: float) -> str:
    """One decimal, rounded half up, none when whole: 10.43 -> "10.4", 9.0 -> "9"."""
    rounded = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded:.1f}".removesuffix(".0")


def _people(store: Store) -> tuple[dict[Group, int], int]:
    """Participants by group (the research team apart) and their number."""
    participants = store.list(Participant)
    by: dict[Group, int] = {}
    for p in participants:
        group = Group(p.group) if p.group else Group.civil
        by[group] = by.get(group, 0) + 1
    return by, sum(n for g, n in by.items() if g != Group.research)


def _plan(store: Store) -> Plan | None:
    plan = load_plan(store)
    return plan if plan.tasks else None


def _top_choices(store: Store, lang: Lang) -> list[str]:
    """One sentence per poll with ballots: how many voted and the options placed first."""
    out = []
    facilitator = Actor.facilitator_actor()
    for poll in store.list(Poll):
        if not store.list(PollBallot, poll_id=poll.id):
            continue
        res = results(store, facilitator, poll.id)
        first = [res.label(p.option) for p in res.result.ranking if p.rank == 1][:3]
        if lang == "ko":
            out.append(f"'{poll.title}'의 1위는 {', '.join(first)}임(투표 {res.voted}건).")
        else:
            out.append(
                f"{res.voted} ballots were cast in '{poll.title}'; first place: {', '.join(first)}."
            )
    return out


def _summary(store: Store, lang: Lang) -> str:
    ws = store.workshop()
    sessions = [s for s in store.list(Session) if s.date]
    rounds = [s for s in sessions if s.kind == SessionKind.workshop]
    meetings = len(sessions) - len(rounds)
    counts = session_counts(store.list(Session), store.list(Attendance), store.list(Participant))
    by, people = _people(store)
    ko = lang == "ko"
    paragraphs = []
    if sessions:
        dates = [s.date for s in sessions if s.date]
        first, last = min(dates), max(dates)
        avg = average_attendance(counts)
        groups = ", ".join(
            f"{g.label(lang)} {by[g]}명" if ko else f"{by[g]} {g.label(lang)}"
            for g in (Group.civil, Group.public, Group.intermediary)
            if by.get(g)
        )
        if ko:
            paragraphs.append(
                f"{ws.network or ws.region}의 당사자들이 {_day(first)}부터 {_day(last)}까지 "
                f"워크숍 {len(rounds)}회"
                + (f"와 공유회의 {meetings}회" if meetings else "")
                + f"를 진행함. {groups} 등 {people}명이 참여했으며 워크숍 평균 참석인원은 "
                f"{_mean(avg)}명(연구진 제외)임."
            )
        else:
            paragraphs.append(
                f"From {first} to {last}, {ws.network or ws.region} held {len(rounds)} workshop "
                f"rounds"
                + (f" and {meetings} sharing meetings" if meetings else "")
                + f". {people} people took part ({groups}); on average {_mean(avg)} came to a "
                "round (research team excluded)."
            )
    plan = _plan(store)
    if plan is not None:
        vision = plan.vision.text if plan.vision and plan.vision.text else None
        if ko:
            paragraphs.append(
                (f"비전 「{vision}」 아래 " if vision else "")
                + f"{len(plan.strategies)}대 전략과 과제 {len(plan.tasks)}개, "
                "과제별 실행계획(목적, 진행 과정, 주관·협력, 예산, 일정)을 정함."
            )
        else:
            paragraphs.append(
                (f"Under the vision '{vision}', the" if vision else "The")
                + f" workshop set {len(plan.strategies)} strategies and "
                f"{len(plan.tasks)} tasks, each with an execution plan."
            )
    paragraphs.extend(_top_choices(store, lang))
    if plan is not None and plan.budget:
        years = plan_years(plan)
        total = sum(budget_spread(plan, "task").values())
        span = (
            f"{years[0]}~{years[-1]}년 "
            if years and ko
            else (f"{years[0]}–{years[-1]} " if years else "")
        )
        paragraphs.append(
            f"과제별 실행계획에 적힌 예산은 {span}합계 {_won(total)}임."
            if ko
            else f"The task plans budget {total:,} KRW in total ({span.strip()})."
        )
    real = [u for u in store.list(ProgressUpdate) if EXAMPLE_MARK not in (u.note or "")]
    if real:
        paragraphs.append(
            f"워크숍 이후 추진 현황 점검 {len(real)}건이 기록됨."
            if ko
            else f"{len(real)} progress updates were recorded after the workshop."
        )
    return "\n\n".join(paragraphs)


def _introduction(store: Store, lang: Lang) -> str:
    ws = store.workshop()
    ko = lang == "ko"
    background = []
    if ws.topic:
        background.append(
            f"이 워크숍의 주제는 '{ws.topic}'임." if ko else f"The workshop's topic: {ws.topic}."
        )
    if ws.network:
        background.append(
            f"{ws.region}의 사회적경제 당사자 조직, 행정, 중간지원조직이 {ws.network}를 중심으로 "
            "지역의 과제를 함께 찾고 실행계획을 세우고자 함."
            if ko
            else f"Social-economy organisations, the city and support bodies of {ws.region} met "
            f"around {ws.network} to find the local agenda and plan its execution together."
        )
    method = [
        "참여적 실행연구 방식으로 진행함. 당사자들이 지역의 현황을 함께 진단하고(환경분석, "
        "SWOT), 지역의 자원과 관계를 찾고, 우선순위를 정해 전략과 과제, 역할, 예산, 일정을 세운 "
        "뒤, 실행을 점검하는 순환 과정임. 연구진은 진행과 정리를 맡고 결정은 참여자가 함."
        if ko
        else "The workshop followed participatory action research (PAR): the people concerned "
        "diagnose the local situation together (environment analysis, SWOT), map their "
        "assets and ties, set priorities, then plan strategies, tasks, roles, budgets and "
        "schedules, and review the execution. The research team facilitates and records; "
        "the participants decide."
    ]
    rounds = sorted(
        (s for s in store.list(Session) if s.date), key=lambda s: (s.date, s.round or 0)
    )
    lines = []
    for s in rounds:
        name = (
            (f"{s.round}회차" if ko else f"Round {s.round}")
            if s.round
            else ("공유회의" if ko else "Sharing meeting")
        )
        agenda = ", ".join(s.agenda[:2])
        when = f"({_day(s.date)})" if s.date else ""
        lines.append(f"• {name}{when}" + (f": {agenda}" if agenda else ""))
    if lines:
        method.append("\n".join(lines))
    head_bg, head_method = ("1. 배경", "2. 방법") if ko else ("1. Background", "2. Method")
    parts = [head_bg, *background] if background else []
    return "\n\n".join([*parts, head_method, *method])


def _conclusions(store: Store, lang: Lang) -> str:
    ko = lang == "ko"
    plan = _plan(store)
    out: list[str] = []
    if plan is not None:
        high = [
            f"{t.code} {t.title}"
            for t in plan.tasks
            if t.importance is not None and t.importance.value == "high"
        ]
        out.append(
            f"워크숍은 {len(plan.strategies)}대 전략, 과제 {len(plan.tasks)}개의 실행계획으로 "
            "마무리됨." + (f" 중요 정도 '상'인 과제는 {', '.join(high)}임." if high else "")
            if ko
            else f"The workshop ends with {len(plan.strategies)} strategies and {len(plan.tasks)} "
            "tasks planned." + (f" Of high importance: {', '.join(high)}." if high else "")
        )
        if plan.committees:
            out.append(
                f"과제를 맡을 분과 {len(plan.committees)}개를 구성함."
                if ko
                else f"{len(plan.committees)} sub-committees carry the tasks."
            )
    proposals: list[str] = []
    if plan is not None:
        estimated = sum(1 for a in plan.activities if a.estimated)
        if estimated:
            proposals.append(
                f"세부활동 {estimated}개는 일정이 정해지지 않았으므로 첫해 상반기 안에 일정을 "
                "확정할 것."
                if ko
                else f"Set the dates of the {estimated} activities that have none in the first "
                "half of the first year."
            )
        no_year = [b for b in plan.budget if not b.year and not b.per_year]
        if no_year:
            proposals.append(
                f"예산 {len(no_year)}건은 집행 연도가 정해지지 않았으므로 연차별 예산 계획을 "
                "세울 것."
                if ko
                else f"Give the {len(no_year)} budget lines without a year their year."
            )
        open_side = [b for b in plan.budget if b.side.value == "unspecified"]
        if open_side:
            proposals.append(
                f"재원이 정해지지 않은 예산 {len(open_side)}건은 민·관 분담을 정할 것."
                if ko
                else f"Agree who pays the {len(open_side)} lines without a funding side."
            )
    graph = store_graph(store)
    if graph.number_of_nodes() and not graph.number_of_edges():
        proposals.append(
            "조직 간 관계가 기록되지 않았으므로 관계망 조사를 다음 단계에 포함할 것."
            if ko
            else "Record the ties between organisations in the next step."
        )
    proposals.append(
        "해마다 추진 현황과 성과지표를 점검하고 그 결과를 공유회의에서 나눌 것."
        if ko
        else "Review progress and indicators every year and share the results at a sharing meeting."
    )
    head_c, head_p = ("1. 결론", "2. 제언") if ko else ("1. Conclusions", "2. Proposals")
    return "\n\n".join(
        [*([head_c, *out] if out else []), head_p, "\n".join(f"• {p}" for p in proposals)]
    )


def _submission(store: Store, lang: Lang, date: str | None) -> str:
    ws = store.workshop()
    client = re.sub(r"\s*\(.*\)$", "", ws.organisers[0]) if ws.organisers else ws.region
    lines = (
        [f"{client} 귀하", f"본 보고서를 「{ws.title}」의 결과보고서로 제출합니다."]
        if lang == "ko"
        else [f"To {client}", f"We submit this report as the final report of '{ws.title}'."]
    )
    if date:
        lines.append(date)
    if ws.facilitators:
        lines.append(
            ("연구·진행: " if lang == "ko" else "Research and facilitation: ")
            + ", ".join(ws.facilitators)
        )
    return "\n\n".join(lines)


YEAR = re.compile(r"(19|20)\d{2}")


def references(store: Store) -> list[str]:
    """The documents the workshop drew on: survey sources and dated documents the notes
    cite, each once, in the order first cited."""
    found = [t.source for t in store.list(SurveyTable) if t.source]
    found += [n.source for n in store.list(Note) if n.source and YEAR.search(n.source)]
    return list(dict.fromkeys(found))


def draft(store: Store, part: Part, lang: Lang, date: str | None = None) -> str:
    """separ's draft of ``part`` from what the store holds ("" when there is nothing to say).

    ``date`` is the report date, printed under the letter of submission.
    """
    if part == "submission":
        return _submission(store, lang, date)
    if part == "summary":
        return _summary(store, lang)
    if part == "introduction":
        return _introduction(store, lang)
    if part == "conclusions":
        return _conclusions(store, lang)
    return "\n".join(references(store))


def edited(store: Store, part: Part, lang: Lang) -> ReportText | None:
    """The facilitator's wording of ``part``, if any."""
    found = store.list(ReportText, part=part, lang=lang)
    return found[0] if found else None


def text_of(store: Store, part: Part, lang: Lang, date: str | None = None) -> str:
    """What the report prints for ``part``: the facilitator's wording, else the draft."""
    own = edited(store, part, lang)
    return own.text if own is not None else draft(store, part, lang, date)


def save_text(store: Store, actor: Actor, part: Part, lang: Lang, text: str) -> ReportText | None:
    """Keep the facilitator's wording of ``part`` (an empty text goes back to the draft)."""
    require_facilitator(actor)
    text = text.strip()
    with store.transaction() as tx:
        for old in tx.find(ReportText, part=part, lang=lang):
            tx.delete(ReportText, old.id)
        if not text:
            return None
        # build() turns a too-long text into a SeparError naming the field, in the user's
        # language, instead of pydantic's English traceback
        return tx.add(build(ReportText, {"part": part, "lang": lang, "text": text}))
