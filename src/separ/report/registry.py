"""Which sections a report has, in which order, and who builds each one.

The order follows the seed report (「네트워크 강화를 위한 시군 의제발굴 및 전략 수립
최종보고서」, 2021): overview, the people, the sessions, then the analysis and the plan
as the workshop produced them, and an annex with every data table.

A stage declares its sections in its :class:`separ.stages.Stage` (a ``"module:function"``
path in the report layer, imported only when a report is built, so stage modules never
import the report), or at run time with :func:`register_section`. A slot without a
builder, or whose builder returns ``None`` (no data yet), is left out of the report --
never shown empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from separ import stages
from separ.errors import SeparError
from separ.i18n import Lang, add_messages

if TYPE_CHECKING:
    from separ.report.blocks import Section
    from separ.store import Store

SectionBuilder = Callable[["Store", Lang], "Section | None"]
"""``(store, lang) -> Section | None``: None means "no data", and the section is left out."""

ORDER: tuple[str, ...] = (
    "submission",  # 제출문 (unnumbered)
    "summary",  # 요약 (unnumbered)
    "introduction",  # 서론: 배경, 방법
    "overview",  # 워크숍 진행개요
    "participants",  # 실행주체
    "sessions",  # 회차별 진행현황
    "environment",  # 환경분석 (PEST)
    "swot",  # SWOT 분석과 TOWS 전략
    "assets",  # 지역 자산
    "network",  # 조직 간 관계망
    "surveys",  # 실태조사 요약
    "voting",  # 투표·우선순위 결과
    "vision",  # 비전과 전략체계도
    "tasks",  # 과제와 과제별 실행계획
    "roles",  # 주체별 역할분담
    "committees",  # 분과 구성
    "schedule",  # 추진 일정 (Gantt)
    "budget",  # 예산 요약
    "progress",  # 추진 현황 (after the workshop)
    "indicators",  # 성과지표
    "delphi",  # 델파이 조사
    "conclusions",  # 결론 및 제언
    "references",  # 참고문헌 (unnumbered)
    "annex",  # 부록: 모든 자료 표
)
"""separ's section slots, in report order; the stages fill them (see :func:`builders`)."""

_ADDED: dict[str, str | SectionBuilder] = {}
"""Builders given at run time with :func:`register_section` (they win over the stages')."""


def slots() -> tuple[str, ...]:
    """Every slot in report order: :data:`ORDER`, with the slots of stages separ does not
    know (plugins) before the annex, in stage order."""
    extra = tuple(name for name in builders() if name not in ORDER)
    return ORDER[:-1] + extra + ORDER[-1:]


def builders() -> dict[str, str | SectionBuilder]:
    """Slot -> builder: the stages' declared sections (:mod:`separ.stages`), then any
    registered at run time."""
    return {**stages.sections(), **_ADDED}


add_messages(
    {
        "report_unknown_section": {
            "ko": "알 수 없는 보고서 절입니다: {name} (가능한 절: {names})",
            "en": "unknown report section: {name} (known sections: {names})",
        },
        "report_section_unavailable": {
            "ko": "이 절은 아직 보고서에 연결되지 않았습니다: {name} (가능한 절: {names})",
            "en": "this section is not part of the report yet: {name} (available: {names})",
        },
    }
)


def register_section(name: str, builder: str | SectionBuilder) -> None:
    """Fill the slot ``name`` with ``builder`` (a callable or a ``"module:function"`` path)."""
    if name not in slots():
        raise SeparError("report_unknown_section", name=name, names=", ".join(slots()))
    _ADDED[name] = builder


def available() -> tuple[str, ...]:
    """The slots that have a builder, in report order."""
    found = builders()
    return tuple(name for name in slots() if name in found)


def builder(name: str) -> SectionBuilder:
    """The builder of slot ``name``, importing it if it is given as a path."""
    target = builders()[name]
    if isinstance(target, str):
        found: SectionBuilder = stages.resolve(target)
        return found
    return target


def chosen(names: list[str] | None) -> tuple[str, ...]:
    """The slots to build: ``names`` checked and put in report order, or every available one."""
    if not names:
        return available()
    order, found = slots(), builders()
    for name in names:
        if name not in order:
            raise SeparError("report_unknown_section", name=name, names=", ".join(available()))
        if name not in found:
            raise SeparError("report_section_unavailable", name=name, names=", ".join(available()))
    return tuple(name for name in order if name in names)
