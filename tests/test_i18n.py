"""One text mechanism: the message tables of :mod:`separ.i18n`, complete in both languages.

Every module registers its texts with ``add_messages`` when imported, so the test
imports all of separ first. A record's own rules (pydantic validators) raise
:class:`separ.errors.Invalid` with a message key, so a Korean user never reads
pydantic's English. :func:`korean_literals` is the helper for the views: Korean text
belongs in the tables, and :data:`VIEWS` have none.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import string
from pathlib import Path
from typing import Any

import pytest

import separ
from separ.errors import SeparError
from separ.i18n import LANGS, MESSAGES, NOUNS, text
from separ.validation import build

SRC = Path(separ.__file__).parent
HANGUL = re.compile(r"[가-힣]")


@pytest.fixture(scope="module")
def messages() -> dict[str, dict[str, str]]:
    """The tables after every module of separ (all layers) has registered its texts."""
    for module in pkgutil.walk_packages(separ.__path__, "separ."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    return {key: dict(versions) for key, versions in MESSAGES.items()}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


NOT_WORDS = {"report_st_yes": "Korean tables mark yes with ○"}
"""Messages whose English has words and whose Korean rightly has none."""
OWN_PARAMS = {
    "report_month": "Korean writes the month as a number, English by its name",
    "loc_json_item": "English keeps the JSON key and index (organisations[0]), Korean says "
    "the sheet name and counts from one (조직 1번째 항목)",
}
"""Messages whose two versions rightly use different parameters."""


def test_every_message_has_korean_and_english(messages: dict[str, dict[str, str]]) -> None:
    assert len(messages) > 300
    for key, versions in messages.items():
        assert set(versions) == set(LANGS), key
        assert versions["ko"].strip() and versions["en"].strip(), key
        words = re.sub(r"\{[^}]*\}", "", versions["en"])
        if re.search(r"[A-Za-z]{2,}", words) and key not in NOT_WORDS:
            assert HANGUL.search(versions["ko"]), f"{key}: the Korean text has no Korean"
        if key not in OWN_PARAMS:
            assert placeholders(versions["ko"]) == placeholders(versions["en"]), key
    for noun, versions in NOUNS.items():
        assert set(versions) == set(LANGS) and versions["ko"].strip(), noun


def test_a_message_in_one_language_is_refused() -> None:
    from separ.i18n import add_messages

    with pytest.raises(ValueError):
        add_messages({"only_english": {"en": "x"}})  # type: ignore[dict-item]
    assert "only_english" not in MESSAGES


RULES: list[tuple[str, dict[str, Any], str]] = [
    (
        "Workshop",
        {"title": "T", "region": "서산시", "plan_start": 2024, "plan_end": 2022},
        "plan_order",
    ),
    ("Session", {"round": None}, "session_needs_round"),
    ("Attendance", {"session_id": "s1"}, "attendance_needs_someone"),
    ("CommitteeMember", {"committee_id": "c1"}, "member_needs_someone"),
    (
        "SubActivity",
        {"task_id": "t1", "title": "교육", "start": "2023H2", "end": "2023-01"},
        "period_order",
    ),
    (
        "ProgressUpdate",
        {"task_id": "t1", "date": "2024-01-01", "status": "dropped"},
        "progress_needs_reason",
    ),
    (
        "ProgressUpdate",
        {"task_id": "t1", "date": "2024-01-01", "status": "done", "percent": 50},
        "progress_done_is_full",
    ),
    (
        "ProgressUpdate",
        {"task_id": "t1", "date": "2024-01-01", "status": "not_started", "percent": 10},
        "progress_not_started_is_zero",
    ),
    (
        "Evidence",
        {"task_id": "t1", "url": "javascript:alert(1)", "title": "근거"},
        "progress_bad_url",
    ),
    (
        "Poll",
        {"title": "투표", "method": "score", "score_min": 5, "score_max": 5},
        "poll_score_range",
    ),
    (
        "Asset",
        {"name": "공간", "category": "skills", "holder": "마을", "holder_org_id": "o1"},
        "asset_holder_one",
    ),
    ("Asset", {"name": "공간", "category": "skills", "status": "merged"}, "asset_merge_target"),
    # NaN is refused for every field before a record's own rule runs (validation.plain)
    (
        "Measurement",
        {"indicator_id": "i1", "date": "2024-01-01", "value": float("nan")},
        "not_finite",
    ),
    ("DelphiResponse", {"item_id": "d1", "panellist_id": "p1", "round": 1}, "delphi_no_answer"),
    ("Membership", {}, "member_needs_org"),
    ("Tie", {"from_org_id": "o1", "to_org_id": "o1", "kind": "mou"}, "tie_self"),
]


@pytest.mark.parametrize(("name", "data", "key"), RULES, ids=[r[2] for r in RULES])
def test_record_rules_speak_korean(name: str, data: dict[str, Any], key: str) -> None:
    from separ import schema

    rtype = next(t for t in schema.record_types() if t.__name__ == name)
    with pytest.raises(SeparError) as caught:
        build(rtype, data, "2행")
    assert caught.value.key == key
    korean = caught.value.message("ko")
    assert korean.startswith("2행") and HANGUL.search(korean)
    template = re.sub(r"\{[^}]*\}", "", MESSAGES[key]["ko"])
    assert not re.search(r"[A-Za-z]{3,}", template.replace("http", "")), template
    assert korean.endswith(f": {text(key, 'ko', **caught.value.params)}")


def test_the_sixteen_rules_of_the_records_are_covered() -> None:
    assert len(RULES) == 16


def korean_literals(source: str) -> list[tuple[int, str]]:
    """The string literals with Korean in ``source`` that are not docstrings and not in
    an ``add_messages({...})`` call (the message tables a view registers at its top).

    For the views: a text a user reads comes from the message tables (``text(key,
    lang)``), so a view shows Korean or English alike.
    """
    tree = ast.parse(source)
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    # the message tables themselves: the texts registered with add_messages / add_nouns
    tables = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None))
        in ("add_messages", "add_nouns")
        for arg in node.args
        for inner in ast.walk(arg)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docs | tables
        and HANGUL.search(node.value)
    ]


VIEWS: list[str] = sorted(
    [f"ui/{p.name}" for p in (SRC / "ui").glob("*.py")]
    + ["live/app.py", "live/entry.py", "live/pages.py"]
)
"""Every module that shows text to people: each takes its words from the message tables."""


@pytest.mark.parametrize("view", VIEWS)
def test_views_take_their_korean_from_the_tables(view: str) -> None:
    assert korean_literals((SRC / view).read_text(encoding="utf-8")) == []


def test_the_helper_finds_literals_but_not_docstrings() -> None:
    source = 'def f():\n    """설명."""\n    return "왔어요", "ok", f"{x}명"\n'
    assert korean_literals(source) == [(3, "왔어요"), (3, "명")]
    table = 'add_messages({"k": {"ko": "왔어요", "en": "came"}})\nX = "남은 글"\n'
    assert korean_literals(table) == [(2, "남은 글")]
