"""The report's prose: drafted from the store, edited by the facilitator, kept across exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from separ.actors import Actor
from separ.document import read_json, write_json
from separ.errors import SeparError
from separ.report import tables
from separ.report.assembly import assemble
from separ.report.blocks import Heading, Paragraph
from separ.workspace import open_workshop
from separ.writeup import ReportText, draft, references, save_text, text_of
from tests.conftest import SAMPLES

FACILITATOR = Actor.facilitator_actor()


def test_the_nonsan_summary_is_drafted_from_the_store() -> None:
    with open_workshop(SAMPLES["nonsan"]) as store:
        summary = draft(store, "summary", "ko").split("\n\n")
    # seed: 7 rounds from 24 June to 5 October 2021, 하주현 외 14명, 평균 9명 (연구진 제외)
    assert summary[0] == (
        "논산사회적경제기업협의회의 당사자들이 2021. 6. 24.부터 2021. 10. 5.까지 워크숍 7회를 "
        "진행함. 민간 12명, 행정 3명 등 15명이 참여했으며 워크숍 평균 참석인원은 9명(연구진 "
        "제외)임."
    )
    assert summary[1].startswith("3대 전략과 과제 10개")
    # 58,500,000원 as listed, the 공유회 (2,000,000원 every year) counted for 2021–2023
    assert summary[2] == "과제별 실행계획에 적힌 예산은 2021~2023년 합계 62,500,000원임."


def test_the_seosan_drafts_name_the_vote_and_the_method() -> None:
    with open_workshop(SAMPLES["seosan"]) as store:
        summary = draft(store, "summary", "ko")
        introduction = draft(store, "introduction", "ko")
        conclusions = draft(store, "conclusions", "ko")
        sources = references(store)
    assert "'세부 과제 중요 정도'의 1위는 ① 사회적경제 지원센터 운영" in summary
    assert "(투표 1건)" in summary
    assert "참여적 실행연구 방식으로 진행함." in introduction
    # the rounds in date order, the sharing meeting of 31 July between rounds 4 and 5
    lines = [line for line in introduction.splitlines() if line.startswith("• ")]
    assert [line.split("(")[0] for line in lines] == [
        "• 1회차",
        "• 2회차",
        "• 3회차",
        "• 4회차",
        "• 공유회의",
        "• 5회차",
        "• 6회차",
        "• 7회차",
    ]
    assert "• 조직 간 관계가 기록되지 않았으므로 관계망 조사를" in conclusions
    assert sources[0] == "2020 충남 사회적경제 실태분석 서산편"
    for text in (summary, introduction, conclusions):
        assert "습니다" not in text  # the report style (~함/~음)


def test_an_edit_is_printed_kept_in_the_file_and_undone_by_an_empty_text(tmp_path: Path) -> None:
    with open_workshop(SAMPLES["nonsan"]) as store:
        with pytest.raises(SeparError):
            save_text(
                store,
                Actor(participant_id=None, display_name="참여자"),
                "summary",
                "ko",
                "몰래 고친 요약",
            )
        save_text(store, FACILITATOR, "summary", "ko", "  진행자가 다듬은 요약.\n\n둘째 문단.  ")
        assert text_of(store, "summary", "ko") == "진행자가 다듬은 요약.\n\n둘째 문단."
        assert text_of(store, "summary", "en") == draft(store, "summary", "en")
        summary = assemble(store, sections=["summary"]).chapters[0]
        assert summary.heading == "요약"
        assert [b.text for b in summary.items if isinstance(b, Paragraph)] == [
            "진행자가 다듬은 요약.",
            "둘째 문단.",
        ]
        write_json(store, tmp_path / "ws.json")
        save_text(store, FACILITATOR, "summary", "ko", "")
        assert text_of(store, "summary", "ko") == draft(store, "summary", "ko")
    again = [r for r in read_json(tmp_path / "ws.json") if isinstance(r, ReportText)]
    assert [(r.part, r.lang, r.text) for r in again] == [
        ("summary", "ko", "진행자가 다듬은 요약.\n\n둘째 문단.")
    ]


def test_the_introduction_is_chapter_one_with_its_sub_headings() -> None:
    with open_workshop(SAMPLES["nonsan"]) as store:
        report = assemble(store, sections=["submission", "introduction", "overview"])
        assert "부표" not in " ".join(tables(store, sections=["summary", "introduction"]))
    assert [c.heading for c in report.chapters] == ["제출문", "1. 서론", "2. 워크숍 진행개요"]
    heads = [b.text for b in report.chapters[1].items if isinstance(b, Heading)]
    assert heads == ["1. 배경", "2. 방법"]
    letter = [b.text for b in report.chapters[0].items if isinstance(b, Paragraph)]
    assert letter[:2] == [
        "충청남도사회적경제지원센터 귀하",
        "본 보고서를 「논산시 사회적경제 네트워크 활성화를 위한 전략과 과제」의 "
        "결과보고서로 제출합니다.",
    ]
