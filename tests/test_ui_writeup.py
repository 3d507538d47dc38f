"""The write-up editor on the report page: an edit is saved, printed by the next export,
kept per language, and "초안으로 되돌리기" gives separ's draft back."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import ipywidgets as widgets
import pytest

from separ.actors import Actor
from separ.model import Workshop
from separ.store import Store
from separ.ui.report import ReportView, report_page
from separ.ui.writeup import WriteupEditor
from separ.workspace import create_workshop, import_file
from separ.writeup import PARTS, ReportText, draft
from tests.conftest import SAMPLES

FAC = Actor.facilitator_actor()
EDIT = "논산 네트워크가 석 달 동안 함께 만든 실행계획을 요약함.\n\n둘째 문단: 공유회의 결과."


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = import_file(tmp_path / "ws", SAMPLES["nonsan"])
    yield opened
    opened.close()


def _parts(page: widgets.Widget) -> tuple[WriteupEditor, ReportView]:
    fold, view = page.children
    (editor,) = fold.children
    return editor, view


def test_edit_save_export_and_revert(store: Store, tmp_path: Path) -> None:
    page = report_page(store, FAC, tmp_path / "ws")
    editor, view = _parts(page)
    assert editor.tabs.titles == ("제출문", "요약", "서론", "결론 및 제언", "참고문헌")
    drafted = draft(store, "summary", "ko")
    assert drafted.startswith("논산사회적경제기업협의회의 당사자들이 2021. 6. 24.부터")
    assert editor.texts["summary"].value == drafted
    assert "separ 초안" in editor.states["summary"].value
    assert editor.reverts["summary"].disabled

    editor.texts["summary"].value = "  " + EDIT + "\n"
    editor.saves["summary"].click()
    assert "저장했습니다: 요약" in editor.status.value
    assert "진행자가 고친 문안" in editor.states["summary"].value
    assert not editor.reverts["summary"].disabled
    assert [(r.part, r.lang, r.text) for r in store.list(ReportText)] == [("summary", "ko", EDIT)]
    # the preview below re-rendered with the edit, the draft's sentence gone
    assert html.escape("논산 네트워크가 석 달 동안") in view.page.value
    assert "2021. 6. 24.부터" not in view.page.value

    view.export("html")
    written = (tmp_path / "ws" / "reports" / "report.html").read_text(encoding="utf-8")
    assert "논산 네트워크가 석 달 동안 함께 만든 실행계획을 요약함." in written
    assert "둘째 문단: 공유회의 결과." in written
    assert "워크숍 평균 참석인원은 9명" not in written

    # a new page (the next session) shows the kept edit
    assert WriteupEditor(store, FAC, "ko").texts["summary"].value == EDIT

    editor.reverts["summary"].click()
    assert "초안으로 되돌렸습니다: 요약" in editor.status.value
    assert editor.texts["summary"].value == drafted
    assert store.list(ReportText) == []
    view.export("html")
    written = (tmp_path / "ws" / "reports" / "report.html").read_text(encoding="utf-8")
    assert "논산 네트워크가 석 달 동안" not in written
    assert "워크숍 평균 참석인원은 9명(연구진 제외)임." in written


def test_each_language_has_its_own_text(tmp_path: Path) -> None:
    # a new workshop: its report is a few pages of prose, quick to show in both languages
    store = create_workshop(tmp_path / "new", Workshop(title="새 워크숍", region="서산시"))
    editor, view = _parts(report_page(store, FAC, tmp_path / "new"))
    view.lang_choice.value = "en"
    assert editor.lang == "en"
    assert editor.tabs.titles[1] == "Summary"
    assert editor.saves["summary"].description == "Save"
    assert editor.texts["summary"].value == draft(store, "summary", "en")
    editor.texts["conclusions"].value = "Keep meeting every spring."
    editor.saves["conclusions"].click()
    assert "Saved: Conclusions and proposals" in editor.status.value
    assert "Keep meeting every spring." in view.page.value
    view.lang_choice.value = "ko"
    assert editor.texts["conclusions"].value == draft(store, "conclusions", "ko")
    assert [(r.part, r.lang) for r in store.list(ReportText)] == [("conclusions", "en")]
    store.close()


def test_saving_the_draft_unchanged_keeps_following_the_records(store: Store) -> None:
    editor = WriteupEditor(store, FAC, "ko")
    editor.saves["introduction"].click()
    assert "초안과 같으므로 초안을 그대로 씁니다: 서론" in editor.status.value
    assert store.list(ReportText) == []


def test_a_too_long_text_is_refused_in_korean_and_nothing_is_written(store: Store) -> None:
    editor = WriteupEditor(store, FAC, "ko")
    editor.texts["summary"].value = "가" * 20_001
    editor.saves["summary"].click()
    assert "color:#b00020" in editor.status.value
    assert "문안" in editor.status.value
    assert store.list(ReportText) == []


def test_a_participant_gets_no_editor(store: Store) -> None:
    editor = WriteupEditor(store, Actor(participant_id=None, display_name="참여자"), "ko")
    (refusal,) = editor.children
    assert "진행자" in refusal.value
    assert not hasattr(editor, "texts")
    assert len(PARTS) == 5


def test_a_save_shows_the_part_without_drawing_the_report_again(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save rebuilds only the saved part: no figure is drawn again, and the preview is
    the one a fresh page would show (the figures of the last build reused). The refresh
    button builds everything again."""
    import separ.report.html as report_html

    editor, view = _parts(report_page(store, FAC, tmp_path / "ws"))
    drawn: list[object] = []
    draw = report_html.png
    monkeypatch.setattr(report_html, "png", lambda fig: drawn.append(fig) or draw(fig))
    editor.texts["conclusions"].value = "둘째 해에는 공동 판로를 먼저 엽니다."
    editor.saves["conclusions"].click()
    assert drawn == []
    assert "둘째 해에는 공동 판로를 먼저 엽니다." in view.page.value
    _, fresh = _parts(report_page(store, FAC, tmp_path / "ws"))
    assert view.page.value == fresh.page.value
    figures = len(drawn)  # the fresh page drew every figure
    assert figures >= 5
    view.refresh_button.click()
    assert len(drawn) == 2 * figures
