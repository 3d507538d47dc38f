"""The UI kit: tables made for people, one status line, the "put it live" button."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from separ.actors import Actor
from separ.model import Workshop
from separ.store import Store
from separ.ui.base import LiveButton, cell_text, frame_html, rows_html, status_html


def test_cells_read_like_a_report() -> None:
    assert cell_text(True, "ko") == "예" and cell_text(False, "en") == "no"
    assert cell_text(1234567, "ko") == "1,234,567"
    assert cell_text(2.0, "ko") == "2" and cell_text(0.84937, "ko") == "0.85"
    assert cell_text(12345.5, "ko") == "12,345.5"
    assert cell_text(float("nan"), "ko") == "" and cell_text(None, "ko") == ""
    assert cell_text(dt.date(2024, 3, 1), "ko") == "2024-03-01"
    assert cell_text(["가", "나"], "ko") == "가, 나"


def test_a_frame_loses_its_index_and_ids_and_escapes_text() -> None:
    df = pd.DataFrame(
        {
            "ID": ["opt-02", "opt-03"],
            "선택지": ["<b>공공구매</b>", "교육"],
            "예산": [1500000, 20000],
            "의견 갈림": [True, False],
            "poll id": ["p1", "p1"],
        }
    )
    shown = frame_html(df, "ko")
    assert "opt-02" not in shown and "p1" not in shown and ">0<" not in shown
    assert "&lt;b&gt;공공구매&lt;/b&gt;" in shown
    assert ">1,500,000</td>" in shown and ">예</td>" in shown and ">아니요</td>" in shown
    assert "<th" in shown and "dataframe" not in shown
    named = pd.DataFrame({"값": [1]}, index=pd.Index(["서산"], name="지역"))
    assert ">지역</th>" in frame_html(named, "ko") and ">서산</td>" in frame_html(named, "ko")
    coded = frame_html(
        pd.DataFrame({"percent": [12.5]}),
        "en",
        heads={"percent": {"ko": "진척률(%)", "en": "progress (%)"}},
    )
    assert ">progress (%)</th>" in coded and ">12.5</td>" in coded


def test_empty_tables_and_status_lines() -> None:
    assert "(아직 없습니다)" in rows_html(["가"], [], "ko")
    assert "#b00020" in status_html("<안 됨>", ok=False)
    assert "&lt;안 됨&gt;" in status_html("<안 됨>", ok=False)
    assert "#1e6b34" in status_html("됨", ok=True)


def test_the_live_button_needs_a_facilitator_and_says_what_went_live() -> None:
    from separ import context as cx
    from separ.tokens import live_state

    store = Store.memory()
    store.add(Workshop(title="t", region="r"))
    board = cx.add_board(store, Actor.facilitator_actor(), "pest", "우리 PEST")
    phone = LiveButton(store, Actor("p1", "김"), "context", lambda: board.id)
    phone.button.click()
    assert "진행자 권한이 필요합니다" in phone.status.value and live_state(store).activity is None
    button = LiveButton(store, Actor.facilitator_actor(), "context", lambda: board.id, "en")
    assert button.button.description == "Show on participants' screens"
    button.button.click()
    assert live_state(store).target_id == board.id
    assert "Now on participants&#x27; screens: 우리 PEST" in button.status.value


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_kit_message_has_both_languages(lang: str) -> None:
    from separ.i18n import MESSAGES

    for key in [
        k
        for k in MESSAGES
        if k.startswith(
            (
                "ui_",
                "voting_ui_",
                "carry_",
                "roadmap_ui_",
                "followup_ui_",
                "context_page",
                "context_carry",
            )
        )
    ]:
        assert MESSAGES[key][lang]  # type: ignore[index]
