"""Success lines of the ``separ`` commands in the user's language (SEPAR_LANG, else the locale).

Errors already speak Korean under ``SEPAR_LANG=ko``; what a command prints when it worked
must too. Each line is an :mod:`separ.i18n` message, so both languages are required.
"""

from __future__ import annotations

import typer

from separ.i18n import add_messages, default_lang, text

add_messages(
    {
        "said_created": {"ko": "워크숍 폴더를 만들었습니다: {path}", "en": "created {path}"},
        "said_imported": {
            "ko": "{file}에서 {n}건을 가져왔습니다",
            "en": "imported {n} records from {file}",
        },
        "said_wrote": {"ko": "파일을 썼습니다: {path}", "en": "wrote {path}"},
        "said_report_file": {
            "ko": "파일을 썼습니다: {path} ({kb} KB{extra}, {seconds} 초)",
            "en": "wrote {path} ({kb} KB{extra}, {seconds} s)",
        },
        "said_pdf_pages": {"ko": ", {n}쪽", "en": ", {n} pages"},
        "said_xlsx_sheets": {"ko": ", 시트 {n}개", "en": ", {n} sheets"},
        "said_ties": {
            "ko": "{file}에서 관계 {n}건을 가져왔습니다",
            "en": "imported {n} ties from {file}",
        },
        "said_assets": {
            "ko": "{file}에서 자산 {n}건을 가져왔습니다",
            "en": "imported {n} assets from {file}",
        },
    }
)


def say(key: str, **params: object) -> None:
    """Print the message ``said_<key>`` in the user's language."""
    typer.echo(text(f"said_{key}", default_lang(), **params))
