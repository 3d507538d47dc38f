"""The prose parts of the report (제출문, 요약, 서론, 결론 및 제언, 참고문헌) as sections.

The words come from :mod:`separ.writeup`: the facilitator's wording when there is one,
separ's draft otherwise. 서론 and 결론 및 제언 are numbered chapters like the seed's; the
letter, the summary and the references are unnumbered, as a Korean report prints them.
"""

from __future__ import annotations

import re

from separ.i18n import Lang, add_messages, text
from separ.report.blocks import Block, Heading, Paragraph, Section
from separ.store import Store
from separ.writeup import Part, text_of

add_messages(
    {
        "report_prose_submission": {"ko": "제출문", "en": "Letter of submission"},
        "report_prose_summary": {"ko": "요약", "en": "Summary"},
        "report_prose_introduction": {"ko": "서론", "en": "Introduction"},
        "report_prose_conclusions": {"ko": "결론 및 제언", "en": "Conclusions and proposals"},
        "report_prose_references": {"ko": "참고문헌", "en": "References"},
    }
)

SUBHEAD = re.compile(r"^\d+\. \S[^\n]{0,40}$")
"""A paragraph that is only "1. 배경": a sub-heading of the part."""


def _blocks(body: str) -> list[Block]:
    blocks: list[Block] = []
    for chunk in (c.strip() for c in body.split("\n\n")):
        if chunk:
            blocks.append(Heading(chunk) if SUBHEAD.match(chunk) else Paragraph(chunk))
    return blocks


def _section(store: Store, lang: Lang, part: Part, numbered: bool) -> Section | None:
    body = text_of(store, part, lang)
    if not body.strip():
        return None
    if part == "references":  # one document a line, each its own paragraph
        body = "\n\n".join(line for line in body.splitlines() if line.strip())
    return Section(text(f"report_prose_{part}", lang), _blocks(body), numbered=numbered)


def submission(store: Store, lang: Lang) -> Section | None:
    return _section(store, lang, "submission", numbered=False)


def summary(store: Store, lang: Lang) -> Section | None:
    return _section(store, lang, "summary", numbered=False)


def introduction(store: Store, lang: Lang) -> Section | None:
    return _section(store, lang, "introduction", numbered=True)


def conclusions(store: Store, lang: Lang) -> Section | None:
    return _section(store, lang, "conclusions", numbered=True)


def references(store: Store, lang: Lang) -> Section | None:
    return _section(store, lang, "references", numbered=False)
