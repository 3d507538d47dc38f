"""The sections every workshop has data for: overview, people, sessions, and the annex.

They follow the seed report's tables: 〈워크숍 진행개요〉, 〈실행주체〉 (연번, 조직명,
직책, 이름; the research team last) and 〈회차별 진행현황〉 (회차, 일자 및 장소, 참석자
grouped by affiliation, 주요내용). Each is a section builder ``(store, lang) -> Section
| None`` like any stage's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from matplotlib.ticker import MaxNLocator

from separ import frames, schema
from separ.attendance import SessionCount, average_attendance, session_counts
from separ.figures.style import PALETTE, wrap
from separ.figures.style import figure as new_figure
from separ.i18n import Lang, add_messages, text
from separ.model import (
    Attendance,
    Group,
    Organisation,
    Participant,
    Session,
    SessionKind,
    Workshop,
)
from separ.records import Choice, Record
from separ.report.blocks import Figure, Paragraph, Section, Table
from separ.report.labels import day, day_ko
from separ.report.numbers import half_up, one_decimal
from separ.store import Store
from separ.writeup import EXAMPLE_MARK, ReportText

add_messages(
    {
        "report_overview": {"ko": "워크숍 진행개요", "en": "Workshop overview"},
        "report_participants": {"ko": "실행주체", "en": "Participants"},
        "report_sessions": {"ko": "회차별 진행현황", "en": "Sessions"},
        "report_annex": {"ko": "부록: 자료 표", "en": "Annex: data tables"},
        "report_col_item": {"ko": "구분", "en": "Item"},
        "report_col_content": {"ko": "내용", "en": "Details"},
        "report_row_topic": {"ko": "연구 주제", "en": "Topic"},
        "report_row_network": {"ko": "네트워크", "en": "Network"},
        "report_row_plan": {"ko": "계획 기간", "en": "Plan period"},
        "report_plan_years": {
            "ko": "{start}~{end}년 ({years}개년)",
            "en": "{start}–{end} ({years} years)",
        },
        "report_row_period": {"ko": "진행 기간", "en": "Workshop period"},
        "report_row_people": {"ko": "함께한 사람들", "en": "Participants"},
        "report_people": {
            "ko": "{first} 외 {others}명 ({groups})",
            "en": "{first} and {others} others ({groups})",
        },
        "report_people_alone": {"ko": "{first} ({groups})", "en": "{first} ({groups})"},
        "report_people_count": {"ko": "{group} {n}명", "en": "{group} {n}"},
        "report_row_research": {"ko": "연구·진행", "en": "Research and facilitation"},
        "report_row_attendance": {"ko": "평균 참석인원", "en": "Average attendance"},
        "report_attendance": {
            "ko": "{without}명 (연구진 제외, 워크숍 {rounds}회 평균; 연구진 포함 {with_}명)",
            "en": "{without} (research team excluded, mean of {rounds} workshop rounds; "
            "{with_} with it)",
        },
        "report_row_rounds": {"ko": "워크숍 진행 회차", "en": "Rounds"},
        "report_rounds": {"ko": "워크숍 {n}회", "en": "{n} workshop rounds"},
        "report_meetings": {"ko": "공유회의 {n}회", "en": "{n} sharing meetings"},
        "report_row_results": {"ko": "주요 결과", "en": "Main results"},
        "report_overview_caption": {
            "ko": "{region} 워크숍 진행개요",
            "en": "Workshop overview, {region}",
        },
        "report_participants_caption": {"ko": "{region} 실행주체", "en": "Participants, {region}"},
        "report_col_no": {"ko": "연번", "en": "No."},
        "report_col_org": {"ko": "조직명", "en": "Organisation"},
        "report_col_title": {"ko": "직책", "en": "Title"},
        "report_col_name": {"ko": "이름", "en": "Name"},
        "report_col_roles": {"ko": "역할", "en": "Roles"},
        "report_research_row": {"ko": "연구진", "en": "Research"},
        "report_sessions_caption": {
            "ko": "{region} 회차별 워크숍 진행현황",
            "en": "Sessions, {region}",
        },
        "report_col_round": {"ko": "회차", "en": "Round"},
        "report_col_when": {"ko": "일자 및 장소", "en": "Date and place"},
        "report_col_attendees": {"ko": "참석자", "en": "Attendees"},
        "report_col_agenda": {"ko": "주요내용", "en": "Agenda"},
        "report_round": {"ko": "{n}회차", "en": "Round {n}"},
        "report_online": {"ko": "온라인", "en": "online"},
        "report_headcount": {"ko": "{what}({n}명)", "en": "{what} ({n})"},
        "report_count_only": {"ko": "{n}명", "en": "{n} people"},
        "report_counts_caption": {"ko": "회차별 참석 인원", "en": "Attendance by round"},
        "report_counts_figure": {
            "ko": "회차별 참석 인원 (구분별)",
            "en": "Attendance by round and group",
        },
        "report_col_total": {"ko": "계", "en": "Total"},
        "report_col_without": {"ko": "계(연구진 제외)", "en": "Total excl. research"},
        "report_mean_row": {"ko": "워크숍 평균", "en": "Workshop mean"},
        "report_counts_note": {
            "ko": "평균은 워크숍 회차만 셈(공유회의 제외).",
            "en": "Means count workshop rounds only (sharing meetings excluded).",
        },
        "report_avg_line": {
            "ko": "평균(연구진 제외) {value}명",
            "en": "mean excl. research: {value}",
        },
        "report_people_axis": {"ko": "참석 인원(명)", "en": "attendees"},
        "report_annex_intro": {
            "ko": "워크숍에서 기록한 자료를 표마다 모두 실었다(기록이 있는 표만). 같은 표를 "
            "엑셀 부록에도 실었다.",
            "en": "Every table the workshop recorded (those with rows). The same tables are in "
            "the Excel annex.",
        },
        "report_rows": {"ko": "{n}행", "en": "{n} rows"},
        "report_yes": {"ko": "예", "en": "yes"},
        "report_no": {"ko": "아니요", "en": "no"},
    }
)

GROUP_ORDER = (Group.civil, Group.public, Group.intermediary, Group.research)


def _t(key: str, lang: Lang, **params: object) -> str:
    return text(f"report_{key}", lang, **params)


def _number(value: float) -> str:
    """10.428 -> "10.4", 7.25 -> "7.3" (half up), 9.0 -> "9"."""
    return one_decimal(value)


@dataclass(frozen=True)
class _People:
    workshop: Workshop
    organisations: dict[str, Organisation]
    participants: list[Participant]
    sessions: list[Session]
    attendance: list[Attendance]

    @classmethod
    def read(cls, store: Store) -> _People:
        with store.reading() as tx:
            return cls(
                workshop=tx.get(Workshop, "workshop"),
                organisations={o.id: o for o in tx.find(Organisation)},
                participants=tx.find(Participant),
                sessions=tx.find(Session),
                attendance=tx.find(Attendance),
            )

    def org_name(self, participant: Participant) -> str:
        org = self.organisations.get(participant.organisation_id or "")
        return org.name if org else ""

    def counts(self) -> list[SessionCount]:
        """Head counts in date order (a sharing meeting between rounds 4 and 5 prints there)."""
        return sorted(
            session_counts(self.sessions, self.attendance, self.participants),
            key=lambda c: _date_order(c.session),
        )


def overview(store: Store, lang: Lang) -> Section | None:
    """〈워크숍 진행개요〉: topic, people, attendance, rounds and results in one table."""
    data = _People.read(store)
    ws = data.workshop
    rows: list[tuple[str, str]] = []
    if ws.topic:
        rows.append((_t("row_topic", lang), ws.topic))
    if ws.network:
        rows.append((_t("row_network", lang), ws.network))
    if ws.plan_start and ws.plan_end:
        rows.append(
            (
                _t("row_plan", lang),
                _t(
                    "plan_years",
                    lang,
                    start=ws.plan_start,
                    end=ws.plan_end,
                    years=ws.plan_end - ws.plan_start + 1,
                ),
            )
        )
    dates = sorted(s.date for s in data.sessions if s.date)
    if dates:
        rows.append((_t("row_period", lang), f"{day(dates[0], lang)} ~ {day(dates[-1], lang)}"))
    people = [p for p in data.participants if p.group != Group.research]
    if people:
        groups = ", ".join(
            _t("people_count", lang, group=g.label(lang), n=n)
            for g in GROUP_ORDER
            if (n := sum(1 for p in people if p.group == g))
        )
        first = " ".join(x for x in (people[0].name, people[0].title) if x)
        key = "people" if len(people) > 1 else "people_alone"
        rows.append(
            (
                _t("row_people", lang),
                _t(key, lang, first=first, others=len(people) - 1, groups=groups),
            )
        )
    if ws.facilitators:
        rows.append((_t("row_research", lang), ", ".join(ws.facilitators)))
    counts = data.counts()
    rounds = [c for c in counts if c.session.kind == SessionKind.workshop]
    if any(c.total for c in rounds):
        rows.append(
            (
                _t("row_attendance", lang),
                _t(
                    "attendance",
                    lang,
                    rounds=len(rounds),
                    without=_number(average_attendance(counts)),
                    with_=_number(average_attendance(counts, include_research=True)),
                ),
            )
        )
    meetings = [s for s in data.sessions if s.kind == SessionKind.meeting]
    if data.sessions:
        parts = [_t("rounds", lang, n=len(rounds))]
        if meetings:
            parts.append(_t("meetings", lang, n=len(meetings)))
        rows.append((_t("row_rounds", lang), ", ".join(parts)))
    outcomes = list(dict.fromkeys(o for c in counts for o in c.session.outcomes))
    if outcomes:
        rows.append((_t("row_results", lang), "\n".join(f"• {o}" for o in outcomes)))
    frame = pd.DataFrame(rows, columns=[_t("col_item", lang), _t("col_content", lang)])
    blocks: list[Any] = []
    if ws.description:
        blocks.append(Paragraph(ws.description))
    blocks.append(
        Table(frame, _t("overview_caption", lang, region=ws.region), "overview", widths=(1, 4))
    )
    return Section(_t("overview", lang), blocks)


def participants(store: Store, lang: Lang) -> Section | None:
    """〈실행주체〉: everyone taking part, numbered, with the research team last."""
    data = _People.read(store)
    if not data.participants:
        return None
    ordered = [p for p in data.participants if p.group != Group.research] + [
        p for p in data.participants if p.group == Group.research
    ]
    with_roles = any(p.roles for p in ordered)
    rows = []
    for n, p in enumerate(ordered, start=1):
        row = [
            _t("research_row", lang) if p.group == Group.research else n,
            data.org_name(p),
            p.title or "",
            p.name,
        ]
        if with_roles:
            row.append("\n".join(p.roles))
        rows.append(row)
    columns = [_t(k, lang) for k in ("col_no", "col_org", "col_title", "col_name")]
    if with_roles:
        columns.append(_t("col_roles", lang))
    frame = pd.DataFrame(rows, columns=columns)
    frame[columns[0]] = frame[columns[0]].astype(str)
    widths = (0.7, 3, 1.3, 1.2, 3) if with_roles else (0.7, 4, 1.5, 1.5)
    caption = _t("participants_caption", lang, region=data.workshop.region)
    return Section(_t("participants", lang), [Table(frame, caption, "participants", widths=widths)])


def _round_name(session: Session, lang: Lang) -> str:
    if session.kind == SessionKind.workshop and session.round is not None:
        return _t("round", lang, n=session.round)
    return str(session.kind.label(lang))


def _collapse(labels: list[str]) -> dict[str, str]:
    """Map each affiliation to a shorter one it starts with ("서산시청 사회적경제팀" ->
    "서산시청"), so guests and members of one office are listed together as the seed does."""
    out = {}
    for name in labels:
        shorter = [o for o in labels if o != name and name.startswith(o + " ")]
        out[name] = min(shorter, key=len) if shorter else name
    return out


def attendees(data: _People, session: Session, lang: Lang) -> str:
    """The seed's 참석자 cell: members first, then "(소속) names" per affiliation, one per line."""
    entries = _entries(data, lang)
    short = _collapse(list(dict.fromkeys(e[2] for e in entries if e[2] is not None)))
    mine_all = [e[1:] for e in entries if e[0] == session.id]
    lines = []
    for group in GROUP_ORDER:
        mine = [e for e in mine_all if e[0] == group]
        wheres = list(dict.fromkeys(short[e[1]] for e in mine if e[1] is not None))
        for where in [None, *wheres]:
            names = [e[2] for e in mine if (short[e[1]] if e[1] else None) == where]
            if names:
                lines.append((f"({where}) " if where else "") + ", ".join(names))
    return "\n".join(lines)


def _entries(data: _People, lang: Lang) -> list[tuple[str, Group, str | None, str]]:
    """(session id, group, affiliation shown or None for members, name shown) per attendance row."""
    by_id = {p.id: p for p in data.participants}
    entries: list[tuple[str, Group, str | None, str]] = []
    for row in data.attendance:
        person = by_id.get(row.participant_id or "")
        group = row.group or (person.group if person else Group.civil)
        name = row.name or (person.name if person else None)
        if group == Group.research:
            where: str | None = group.label(lang)
        elif group == Group.civil:
            where = None
        else:
            where = (
                row.affiliation or (data.org_name(person) if person else "") or group.label(lang)
            )
        if name is None:
            what = row.affiliation or group.label(lang)
            shown = (
                _t("headcount", lang, what=what, n=row.headcount)
                if where is None
                else _t("count_only", lang, n=row.headcount)
            )
        else:
            shown = name
        entries.append((row.session_id, group, where, shown))
    return entries


def _when(session: Session, lang: Lang) -> str:
    parts = []
    if session.date:
        parts.append(day(session.date, lang) if lang == "en" else day_ko(session.date))
    if session.online:
        parts.append(_t("online", lang))
    elif session.place:
        parts.append(session.place)
    return "\n".join(parts)


def _agenda(session: Session) -> str:
    lines = [f"• {a}" for a in session.agenda] + [f"→ {o}" for o in session.outcomes]
    if session.notes:
        lines.append(f"※ {session.notes}")
    return "\n".join(lines)


def _date_order(session: Session) -> tuple[bool, str, int]:
    """Date order; a session without a date goes last, then by round."""
    return (session.date is None, str(session.date or ""), session.round or 0)


def _ordered(sessions: Iterable[Session]) -> list[Session]:
    return sorted(sessions, key=_date_order)


def sessions(store: Store, lang: Lang) -> Section | None:
    """〈회차별 진행현황〉, then head counts per round as a table and a figure."""
    data = _People.read(store)
    if not data.sessions:
        return None
    log = pd.DataFrame(
        [
            [_round_name(s, lang), _when(s, lang), attendees(data, s, lang), _agenda(s)]
            for s in _ordered(data.sessions)
        ],
        columns=[_t(k, lang) for k in ("col_round", "col_when", "col_attendees", "col_agenda")],
    )
    region = data.workshop.region
    blocks: list[Any] = [
        Table(
            log,
            _t("sessions_caption", lang, region=region),
            "sessions",
            widths=(0.8, 1.5, 3.6, 3.4),
        )
    ]
    counts = [c for c in data.counts() if c.total]
    if counts:
        table = attendance_table(data, counts, lang)
        blocks.append(
            Table(
                table,
                _t("counts_caption", lang),
                "attendance_by_round",
                note=_t("counts_note", lang),
            )
        )
        blocks.append(
            Figure(
                attendance_figure(table, counts, lang),
                _t("counts_figure", lang),
                "attendance_by_round_figure",
                width=0.85,
            )
        )
    return Section(_t("sessions", lang), blocks)


def attendance_table(data: _People, counts: list[SessionCount], lang: Lang) -> pd.DataFrame:
    """Head counts per round and group, with the workshop-round mean as the last row."""
    group_of = {p.id: p.group for p in data.participants}
    rows = []
    for c in counts:
        per = dict.fromkeys(GROUP_ORDER, 0)
        for a in data.attendance:
            if a.session_id == c.session.id:
                per[a.group or group_of.get(a.participant_id or "", Group.civil)] += a.headcount
        rows.append([_round_name(c.session, lang), *per.values(), c.total, c.without_research])
    columns = [
        _t("col_round", lang),
        *(g.label(lang) for g in GROUP_ORDER),
        _t("col_total", lang),
        _t("col_without", lang),
    ]
    frame = pd.DataFrame(rows, columns=columns)
    rounds = [i for i, c in enumerate(counts) if c.session.kind == SessionKind.workshop]
    if rounds:
        # one decimal, half up, as the seed prints a mean (10.4명); the counts above then
        # print with that decimal too (one number of decimals per column)
        means = [float(half_up(v, 1)) for v in frame.iloc[rounds, 1:].mean()]
        frame = frame.astype({c: float for c in columns[1:]})
        mean_row: list[object] = [_t("mean_row", lang), *means]
        frame.loc[len(frame)] = mean_row  # type: ignore[assignment]
    return frame


def attendance_figure(table: pd.DataFrame, counts: list[SessionCount], lang: Lang) -> Any:
    """Stacked bars of attendance per round by group, with the mean (research excluded)."""
    fig = new_figure(7, 3.4)
    ax = fig.add_subplot()
    body = table.iloc[: len(counts)]
    x = list(range(len(body)))
    bottom = [0.0] * len(body)
    for i, group in enumerate(GROUP_ORDER):
        values = body[group.label(lang)].astype(float).tolist()
        if not any(values):
            continue
        ax.bar(x, values, bottom=bottom, color=PALETTE[i], label=group.label(lang), width=0.62)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for xi, total in zip(x, bottom, strict=True):
        ax.text(xi, total + 0.2, f"{total:.0f}", ha="center", va="bottom", fontsize=10)
    mean = average_attendance(counts)
    if mean:
        ax.axhline(
            mean,
            color="#333333",
            linestyle="--",
            linewidth=1,
            label=_t("avg_line", lang, value=_number(mean)),
        )
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xticks(x, [wrap(str(name), 7) for name in body.iloc[:, 0]], fontsize=10)
    ax.set_ylabel(_t("people_axis", lang), fontsize=10)
    ax.set_ylim(0, max(bottom) * 1.18 + 1)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=10)
    return fig


def _display(record: Record, lang: Lang) -> str:
    """How the annex names a row another table points at (instead of its id)."""
    if isinstance(record, Session):
        return _round_name(record, lang)
    for name in ("name", "title", "label", "text"):
        value = getattr(record, name, None)
        if isinstance(value, str) and value:
            return value
    return record.id


def _cell(value: Any, lang: Lang) -> Any:
    if isinstance(value, Choice):
        return value.label(lang)
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, bool):
        return _t("yes" if value else "no", lang)
    if value is None:
        return ""
    return value


def annex_table(store: Store, rtype: type[Record], lang: Lang) -> pd.DataFrame | None:
    """One store table as the annex prints it: labelled, references shown by name, no ids."""
    records = store.list(rtype)
    if not records:
        return None
    if rtype is Workshop:
        ws = records[0]
        return pd.DataFrame(
            [
                (rtype.labels[f][lang], _cell(getattr(ws, f), lang))
                for f in rtype.model_fields
                if f != "id" and getattr(ws, f) not in (None, [], "")
            ],
            columns=[_t("col_item", lang), _t("col_content", lang)],
        )
    frame = frames.frame(store, rtype, lang).reset_index(drop=True)
    # example rows (a demo's invented follow-up) are no record of the workshop
    example = [
        any(isinstance(v, str) and EXAMPLE_MARK in v for v in row)
        for row in frame.itertuples(index=False)
    ]
    frame = frame[[not e for e in example]].reset_index(drop=True)
    if frame.empty:
        return None
    renames = {}
    for field_name, table in rtype.references.items():
        column = rtype.labels[field_name][lang]
        names = {r.id: _display(r, lang) for r in store.list(schema.record_type(table))}
        frame[column] = [names.get(v, v) if isinstance(v, str) else v for v in frame[column]]
        renames[column] = _without_id(column)
    # other id columns (a merged asset, a priority poll) name a row too, or are left out:
    # an id means nothing to a reader
    loose = [c for c in frame.columns if c not in renames and _without_id(c) != c]
    everything = _all_names(store, lang) if loose else {}
    for column in loose:
        if all(v in everything for v in frame[column] if isinstance(v, str) and v):
            frame[column] = [
                everything.get(v, v) if isinstance(v, str) else v for v in frame[column]
            ]
            renames[column] = _without_id(column)
        else:
            frame = frame.drop(columns=column)
    frame = frame.map(lambda v: _cell(v, lang)).rename(columns=renames)
    return frame.loc[:, [c for c in frame.columns if any(v != "" for v in frame[c])]]


def _without_id(column: str) -> str:
    return column.removesuffix(" ID").removesuffix(" id")


def _all_names(store: Store, lang: Lang) -> dict[str, str]:
    """Every row's display name by id, whichever table holds it."""
    return {r.id: _display(r, lang) for rtype in schema.exported_types() for r in store.list(rtype)}


def annex(store: Store, lang: Lang) -> Section | None:
    """Every table of the store that has rows, one numbered annex table each."""
    blocks: list[Any] = [Paragraph(_t("annex_intro", lang))]
    for rtype in schema.exported_types():
        if rtype is ReportText:  # the report's own prose, printed as its chapters
            continue
        frame = annex_table(store, rtype, lang)
        if frame is None:
            continue
        blocks.append(
            Table(
                frame,
                rtype.sheet[lang],
                f"annex.{rtype.table}",
                note=_t("rows", lang, n=len(frame)),
                compact=True,
            )
        )
    if len(blocks) == 1:
        return None
    return Section(_t("annex", lang), blocks, appendix=True)
