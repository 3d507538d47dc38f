"""The workshop itself: who takes part, from which organisations, in which sessions.

This is the foundation every stage builds on (the seed's 〈실행주체〉 and
〈회차별 진행현황〉 tables). Stage data (notes, assets, polls, plans) live in their
own modules and point here by id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import ClassVar

from pydantic import Field, model_validator

from separ.errors import Invalid
from separ.i18n import Lang
from separ.records import Choice, Line, Name, Record, RecordId, Text


class Language(Choice):
    ko = "ko"
    en = "en"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {"ko": {"ko": "한국어", "en": "Korean"}, "en": {"ko": "영어", "en": "English"}}


class OrgType(Choice):
    """Organisation types of the Korean social economy and its partners."""

    social_enterprise = "social_enterprise"
    pre_social_enterprise = "pre_social_enterprise"
    cooperative = "cooperative"
    social_cooperative = "social_cooperative"
    village_enterprise = "village_enterprise"
    self_sufficiency_enterprise = "self_sufficiency_enterprise"
    rural_community_company = "rural_community_company"
    intermediary = "intermediary"
    government = "government"
    other = "other"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "social_enterprise": {"ko": "사회적기업", "en": "social enterprise"},
            "pre_social_enterprise": {
                "ko": "예비사회적기업",
                "en": "pre-certified social enterprise",
            },
            "cooperative": {"ko": "협동조합", "en": "cooperative"},
            "social_cooperative": {"ko": "사회적협동조합", "en": "social cooperative"},
            "village_enterprise": {"ko": "마을기업", "en": "village enterprise"},
            "self_sufficiency_enterprise": {"ko": "자활기업", "en": "self-sufficiency enterprise"},
            "rural_community_company": {"ko": "농어촌공동체회사", "en": "rural community company"},
            "intermediary": {"ko": "중간지원조직", "en": "intermediary support organisation"},
            "government": {"ko": "행정", "en": "local government"},
            "other": {"ko": "기타", "en": "other"},
        }


class Group(Choice):
    """Which side of the table a participant sits on (민 / 관 / 중간지원 / 연구진)."""

    civil = "civil"
    public = "public"
    intermediary = "intermediary"
    research = "research"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "civil": {"ko": "민간", "en": "civil"},
            "public": {"ko": "행정", "en": "public"},
            "intermediary": {"ko": "중간지원", "en": "intermediary"},
            "research": {"ko": "연구진", "en": "research team"},
        }


class SessionKind(Choice):
    """What kind of meeting a session was. The seeds number workshops (1차 워크숍) apart
    from round-table talks (간담회) and sharing meetings (공유회의), so each kind is
    counted on its own (:func:`ordinals`)."""

    workshop = "workshop"
    meeting = "meeting"
    roundtable = "roundtable"
    briefing = "briefing"
    other = "other"

    @classmethod
    def labels(cls) -> dict[str, dict[Lang, str]]:
        return {
            "workshop": {"ko": "워크숍", "en": "workshop"},
            "meeting": {"ko": "공유회의", "en": "sharing meeting"},
            "roundtable": {"ko": "간담회", "en": "round-table talk"},
            "briefing": {"ko": "설명회", "en": "briefing"},
            "other": {"ko": "기타 회의", "en": "other meeting"},
        }


class Workshop(Record):
    """The workshop series: one per store."""

    table: ClassVar[str] = "workshop"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "워크숍", "en": "Workshop"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "title": {"ko": "제목", "en": "title"},
        "region": {"ko": "지역", "en": "region"},
        "language": {"ko": "언어", "en": "language"},
        "topic": {"ko": "연구 주제", "en": "topic"},
        "network": {"ko": "네트워크", "en": "network"},
        "plan_start": {"ko": "계획 시작 연도", "en": "plan start year"},
        "plan_end": {"ko": "계획 종료 연도", "en": "plan end year"},
        "facilitators": {"ko": "진행자", "en": "facilitators"},
        "organisers": {"ko": "주관·발주", "en": "organisers"},
        "description": {"ko": "설명", "en": "description"},
    }

    id: RecordId = "workshop"
    title: Name
    region: Name
    language: Language = Language.ko
    topic: Text | None = None
    network: Name | None = None
    plan_start: int | None = Field(default=None, ge=1900, le=2200)
    plan_end: int | None = Field(default=None, ge=1900, le=2200)
    facilitators: list[Line] = []
    organisers: list[Line] = []
    description: Text | None = None

    @model_validator(mode="after")
    def _horizon_in_order(self) -> Workshop:
        if self.plan_start and self.plan_end and self.plan_end < self.plan_start:
            raise Invalid("plan_order", start=self.plan_start, end=self.plan_end)
        return self

    @property
    def lang(self) -> Lang:
        return "en" if self.language == Language.en else "ko"


class Organisation(Record):
    table: ClassVar[str] = "organisations"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "조직", "en": "Organisations"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "name": {"ko": "조직명", "en": "name"},
        "type": {"ko": "유형", "en": "type"},
        "sector": {"ko": "업종·분야", "en": "sector"},
        "district": {"ko": "읍면동", "en": "district"},
        "notes": {"ko": "비고", "en": "notes"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("name",),)
    noun: ClassVar[str] = "organisation"

    name: Name
    type: OrgType = OrgType.other
    sector: Name | None = None
    district: Name | None = None
    notes: Text | None = None


class Participant(Record):
    """A person taking part (실행주체); one person may hold several roles."""

    table: ClassVar[str] = "participants"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "참여자", "en": "Participants"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "name": {"ko": "이름", "en": "name"},
        "organisation_id": {"ko": "조직 ID", "en": "organisation id"},
        "title": {"ko": "직책", "en": "job title"},
        "group": {"ko": "구분", "en": "group"},
        "roles": {"ko": "역할", "en": "roles"},
        "notes": {"ko": "비고", "en": "notes"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("name", "organisation_id"),)
    references: ClassVar[dict[str, str]] = {"organisation_id": "organisations"}
    noun: ClassVar[str] = "participant"

    name: Name
    organisation_id: RecordId | None = None
    title: Name | None = None
    group: Group = Group.civil
    roles: list[Line] = []
    notes: Text | None = None


class Session(Record):
    """One round of the series (회차), or a sharing meeting that is not counted as a round."""

    table: ClassVar[str] = "sessions"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "회차", "en": "Sessions"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "round": {"ko": "회차", "en": "round"},
        "kind": {"ko": "종류", "en": "kind"},
        "date": {"ko": "일자", "en": "date"},
        "place": {"ko": "장소", "en": "place"},
        "online": {"ko": "온라인", "en": "online"},
        "agenda": {"ko": "주요내용", "en": "agenda"},
        "outcomes": {"ko": "결과", "en": "outcomes"},
        "notes": {"ko": "비고", "en": "notes"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("round",),)
    noun: ClassVar[str] = "session"

    round: int | None = Field(default=None, ge=1, le=999)
    kind: SessionKind = SessionKind.workshop
    date: dt.date | None = None
    place: Name | None = None
    online: bool = False
    agenda: list[Line] = []
    outcomes: list[Line] = []
    notes: Text | None = None

    @model_validator(mode="after")
    def _workshops_have_rounds(self) -> Session:
        if self.kind == SessionKind.workshop and self.round is None:
            raise Invalid("session_needs_round")
        return self


class Attendance(Record):
    """Who came to a session: a known participant, a named guest, or a head count.

    The seed's logs name people missing from the participant table and write
    "충남미디어센터(1명)": all three kinds must fit.
    """

    table: ClassVar[str] = "attendance"
    sheet: ClassVar[dict[Lang, str]] = {"ko": "참석", "en": "Attendance"}
    labels: ClassVar[dict[str, dict[Lang, str]]] = {
        "id": {"ko": "ID", "en": "id"},
        "session_id": {"ko": "회차 ID", "en": "session id"},
        "participant_id": {"ko": "참여자 ID", "en": "participant id"},
        "name": {"ko": "이름", "en": "name"},
        "affiliation": {"ko": "소속", "en": "affiliation"},
        "group": {"ko": "구분", "en": "group"},
        "headcount": {"ko": "인원", "en": "headcount"},
    }
    unique: ClassVar[tuple[tuple[str, ...], ...]] = (("session_id", "participant_id"),)
    references: ClassVar[dict[str, str]] = {
        "session_id": "sessions",
        "participant_id": "participants",
    }

    session_id: RecordId
    participant_id: RecordId | None = None
    name: Name | None = None
    affiliation: Name | None = None
    group: Group | None = None
    headcount: int = Field(default=1, ge=1, le=10000)

    @model_validator(mode="after")
    def _someone(self) -> Attendance:
        if not (self.participant_id or self.name or self.affiliation):
            raise Invalid("attendance_needs_someone")
        return self


RECORDS: tuple[type[Record], ...] = (Workshop, Organisation, Participant, Session, Attendance)


def in_order(sessions: Iterable[Session]) -> list[Session]:
    """Sessions by date (undated last), then by round: the order every list and report uses."""
    return sorted(sessions, key=lambda s: (s.date is None, s.date or dt.date.min, s.round or 0))


def ordinals(sessions: Iterable[Session]) -> dict[str, int]:
    """Session id -> its number within its kind, counted by date: the seed's 1차 워크숍
    stays 1차 however many 간담회 came before it."""
    seen: dict[str, int] = {}
    out: dict[str, int] = {}
    for session in in_order(sessions):
        seen[session.kind.value] = seen.get(session.kind.value, 0) + 1
        out[session.id] = seen[session.kind.value]
    return out


def session_name(session: Session, ordinal: int, lang: Lang = "ko") -> str:
    """ "2차 간담회" / "round-table talk 2": the kind and its number within the kind."""
    kind = session.kind.label(lang)
    return f"{ordinal}차 {kind}" if lang == "ko" else f"{kind} {ordinal}"
