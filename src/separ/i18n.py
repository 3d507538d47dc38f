"""Korean and English texts: user-facing messages and the labels of codes.

Korean is separ's first language. Every message a user can see has both versions
here, so a missing translation is a test failure, not a blank on a phone.
"""

from __future__ import annotations

import os
from typing import Literal

Lang = Literal["ko", "en"]
LANGS: tuple[Lang, ...] = ("ko", "en")

MESSAGES: dict[str, dict[Lang, str]] = {
    "file_not_found": {"ko": "파일이 없습니다: {path}", "en": "no such file: {path}"},
    "not_a_workshop": {
        "ko": "separ 워크숍 폴더나 워크숍 JSON 파일이 아닙니다: {path}",
        "en": "not a separ workshop folder or workshop JSON file: {path}",
    },
    "workshop_exists": {
        "ko": "이미 워크숍이 있는 폴더입니다: {path}",
        "en": "a workshop already exists in {path}",
    },
    "bad_json": {"ko": "JSON 형식이 잘못되었습니다 ({detail})", "en": "malformed JSON ({detail})"},
    "bad_xlsx": {
        "ko": "엑셀 파일을 읽을 수 없습니다 ({detail})",
        "en": "cannot read the Excel file ({detail})",
    },
    "bad_schema": {
        "ko": 'separ 워크숍 문서가 아닙니다 ("schema": "separ-workshop" 이 필요합니다)',
        "en": 'not a separ workshop document ("schema": "separ-workshop" is required)',
    },
    "newer_version": {
        "ko": "이 문서(버전 {found})는 더 새로운 separ로 만들어졌습니다 (지원: {supported} 이하)",
        "en": "this document (version {found}) was written by a newer separ (supported: up to {supported})",
    },
    "unknown_format": {
        "ko": "알 수 없는 파일 형식입니다: {suffix} (.json 또는 .xlsx)",
        "en": "unknown file format: {suffix} (use .json or .xlsx)",
    },
    "unknown_table": {"ko": "알 수 없는 표입니다: {name}", "en": "unknown table: {name}"},
    "unknown_column": {"ko": "알 수 없는 열입니다: {name}", "en": "unknown column: {name}"},
    "missing_field": {"ko": "필수 항목이 없습니다", "en": "required field is missing"},
    "too_long": {
        "ko": "글자 수가 너무 많습니다 ({length}자, 최대 {limit}자)",
        "en": "text is too long ({length} characters, at most {limit})",
    },
    "one_line": {
        "ko": "목록의 항목은 한 줄로 써 주세요 (줄바꿈 없이)",
        "en": "list items must be one line each (no line breaks)",
    },
    "bad_value": {"ko": "값이 올바르지 않습니다: {detail}", "en": "invalid value: {detail}"},
    "unknown_choice": {
        "ko": "알 수 없는 값입니다: {value} (가능한 값: {choices})",
        "en": "unknown value: {value} (allowed: {choices})",
    },
    "duplicate": {
        "ko": "중복된 {what}입니다: {value}",
        "en": "duplicate {what}: {value}",
    },
    "unknown_reference": {
        "ko": "{what}을(를) 찾을 수 없습니다: {value}",
        "en": "no such {what}: {value}",
    },
    "single_workshop_row": {
        "ko": "워크숍 정보는 한 행이어야 합니다",
        "en": "the workshop table must have exactly one row",
    },
    "not_found": {"ko": "{what}을(를) 찾을 수 없습니다: {value}", "en": "no such {what}: {value}"},
    "store_unreachable": {
        "ko": "저장소에 연결할 수 없습니다 ({detail})",
        "en": "cannot open the store ({detail})",
    },
    "store_newer": {
        "ko": "이 저장소(스키마 {found})는 더 새로운 separ로 만들어졌습니다",
        "en": "this store (schema {found}) was written by a newer separ",
    },
    "facilitator_only": {"ko": "진행자 권한이 필요합니다", "en": "facilitator rights are needed"},
    # the records' own rules (pydantic validators raise separ.errors.Invalid with these)
    "plan_order": {
        "ko": "계획 종료 연도({end})가 시작 연도({start})보다 앞섭니다",
        "en": "the plan's last year ({end}) is before its first year ({start})",
    },
    "session_needs_round": {
        "ko": "워크숍 회차에는 회차 번호가 필요합니다",
        "en": "a workshop session needs a round number",
    },
    "attendance_needs_someone": {
        "ko": "참석 기록에는 참여자, 이름, 소속 중 하나가 필요합니다",
        "en": "attendance needs a participant, a name or an affiliation",
    },
    "member_needs_someone": {
        "ko": "분과 구성원에는 참여자나 이름이 필요합니다",
        "en": "a member needs a participant or a name",
    },
    "period_order": {
        "ko": "끝나는 시기({end})가 시작 시기({start})보다 앞섭니다",
        "en": "the end ({end}) is before the start ({start})",
    },
    "progress_done_is_full": {
        "ko": "완료는 진척률 100%입니다",
        "en": "done means 100%",
    },
    "progress_not_started_is_zero": {
        "ko": "미착수는 진척률 0%입니다",
        "en": "not started means 0%",
    },
    "poll_score_range": {
        "ko": "최고 점수({high})는 최저 점수({low})보다 커야 합니다",
        "en": "the highest score ({high}) must be above the lowest ({low})",
    },
    "asset_merge_target": {
        "ko": "통합된 자산에만, 그리고 반드시, 통합한 자산을 적습니다",
        "en": "a merged asset names the asset it was merged into, and only it",
    },
    "not_a_number": {"ko": "숫자가 아닙니다", "en": "not a number"},
    "integrity": {
        "ko": "저장소 규칙에 어긋나 저장하지 않았습니다 ({detail})",
        "en": "not saved: it breaks a rule of the store ({detail})",
    },
}

# Words used inside messages ({what}), so that "duplicate organisation" reads well in both.
NOUNS: dict[str, dict[Lang, str]] = {
    "organisation": {"ko": "조직", "en": "organisation"},
    "participant": {"ko": "참여자", "en": "participant"},
    "session": {"ko": "회차", "en": "session"},
    "id": {"ko": "ID", "en": "id"},
    "round": {"ko": "회차 번호", "en": "round number"},
    "row": {"ko": "행", "en": "row"},
}


def add_messages(messages: dict[str, dict[Lang, str]]) -> None:
    """Register a stage module's messages (both languages required) at import time."""
    for key, versions in messages.items():
        if set(versions) != set(LANGS):
            raise ValueError(f"message {key!r} needs both ko and en")
        if key in MESSAGES and MESSAGES[key] != versions:
            raise ValueError(f"message {key!r} is defined twice")
        MESSAGES[key] = versions


def add_nouns(nouns: dict[str, dict[Lang, str]]) -> None:
    """Register the nouns a stage's messages use for ``{what}``."""
    NOUNS.update(nouns)


def text(key: str, lang: Lang = "en", **params: object) -> str:
    """The message ``key`` in ``lang``, with ``params`` filled in.

    A parameter named ``what`` that is a known noun is translated as well.
    """
    what = params.get("what")
    if isinstance(what, str) and what in NOUNS:
        params = {**params, "what": NOUNS[what][lang]}
    return MESSAGES[key][lang].format(**params)


def default_lang() -> Lang:
    """The language for messages before a workshop is known: SEPAR_LANG, else the locale."""
    env = os.environ.get("SEPAR_LANG") or os.environ.get("LC_ALL") or os.environ.get("LANG", "")
    return "ko" if env.lower().startswith("ko") else "en"
