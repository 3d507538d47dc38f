"""The report's own words (titles, captions, cover lines), in Korean and English.

They are registered as messages so a missing translation fails the same check as any
other message, and read with :func:`label`.
"""

from __future__ import annotations

import datetime as dt

from separ.i18n import Lang, add_messages, text

add_messages(
    {
        "report_kind": {"ko": "워크숍 결과보고서", "en": "Workshop report"},
        "report_toc": {"ko": "목차", "en": "Contents"},
        "report_list_tables": {"ko": "표 목차", "en": "List of tables"},
        "report_list_figures": {"ko": "그림 목차", "en": "List of figures"},
        "report_table_label": {"ko": "〈표 {number}〉", "en": "Table {number}"},
        "report_annex_table_label": {"ko": "〈부표 {number}〉", "en": "Table A.{number}"},
        "report_figure_label": {"ko": "[그림 {number}]", "en": "Figure {number}"},
        "report_annex_figure_label": {"ko": "[부도 {number}]", "en": "Figure A.{number}"},
        "report_table_key": {"ko": "표 {number}", "en": "Table {number}"},
        "report_annex_table_key": {"ko": "부표 {number}", "en": "Table A.{number}"},
        "report_number_sep": {"ko": "-", "en": "."},
        "report_chapter": {"ko": "{number}. {title}", "en": "{number}. {title}"},
        "report_organisers": {"ko": "주관", "en": "Commissioned by"},
        "report_facilitators": {"ko": "연구·진행", "en": "Research and facilitation"},
        "report_network": {"ko": "네트워크", "en": "Network"},
        "report_month": {"ko": "{year}. {month}.", "en": "{month_name} {year}"},
        "report_contents_sheet": {"ko": "목차", "en": "Contents"},
        "report_sheet_header_number": {"ko": "번호", "en": "No."},
        "report_sheet_header_title": {"ko": "제목", "en": "Title"},
        "report_sheet_header_sheet": {"ko": "시트", "en": "Sheet"},
        "report_source": {"ko": "출처: {source}", "en": "Source: {source}"},
        "report_source_default": {
            "ko": "워크숍 결과(연구진 정리)",
            "en": "workshop records (compiled by the research team)",
        },
    }
)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def label(key: str, lang: Lang, **params: object) -> str:
    """A report word in ``lang`` (``key`` without its ``report_`` prefix)."""
    return text(f"report_{key}", lang, **params)


def month(day: dt.date, lang: Lang) -> str:
    """The cover date: "2021. 9." / "September 2021"."""
    return label("month", lang, year=day.year, month=day.month, month_name=MONTHS[day.month - 1])


WEEKDAYS_KO = "월화수목금토일"


def day_ko(day: dt.date) -> str:
    """A session date as the seed writes it, with the weekday: "2021. 6. 23.(수)"."""
    return f"{day.year}. {day.month}. {day.day}.({WEEKDAYS_KO[day.weekday()]})"


WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def day(when: dt.date, lang: Lang) -> str:
    """A session date with its weekday, independent of the machine's locale."""
    if lang == "ko":
        return day_ko(when)
    return f"{WEEKDAYS_EN[when.weekday()]} {when.day} {MONTHS[when.month - 1][:3]} {when.year}"
