"""Roster cards: one printed card per listed participant, with a personal QR code.

A card is how a listed person proves who they are on a phone without an account: its
QR opens the participant server's ``/card/<code>`` (see :func:`separ.tokens.claim_card`),
which joins the phone as that person. This module lays the cards out as one A4 HTML
page (eight per sheet, cut lines); ``separ cards`` prints it to PDF with the report's
Chromium printer.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass

import segno


@dataclass(frozen=True)
class Card:
    name: str
    organisation: str | None
    url: str


def qr_svg_uri(url: str) -> str:
    """The link as an inline SVG QR code (no file, no outside service)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


CSS = """
@page { size: A4; margin: 10mm; }
body { margin: 0; font-family: "Noto Sans CJK KR", "Noto Sans KR", sans-serif; color: #111; }
.sheet { display: grid; grid-template-columns: 1fr 1fr; gap: 0; }
.card { box-sizing: border-box; height: 68mm; padding: 5mm; border: 0.3mm dashed #888;
  display: flex; gap: 4mm; align-items: center; break-inside: avoid; }
.card img { width: 38mm; height: 38mm; flex: none; }
.card h2 { font-size: 15pt; margin: 0 0 1mm; overflow-wrap: anywhere; }
.card .org { font-size: 10.5pt; margin: 0 0 2mm; color: #333; }
.card .ws { font-size: 8.5pt; margin: 0 0 2mm; color: #333; }
.card .hint { font-size: 8pt; margin: 0; color: #333; }
"""


def cards_html(workshop: str, cards: list[Card]) -> str:
    """One page of cards (the PDF breaks it into A4 sheets of eight)."""
    items = []
    for card in cards:
        org = f"<p class='org'>{html.escape(card.organisation)}</p>" if card.organisation else ""
        items.append(
            f"<section class='card'><img alt='{html.escape(card.name)} 님의 참여 QR 코드' "
            f"src='{qr_svg_uri(card.url)}'><div><p class='ws'>{html.escape(workshop)}</p>"
            f"<h2>{html.escape(card.name)}</h2>{org}"
            "<p class='hint'>휴대폰 카메라로 QR 코드를 찍으면 이 이름으로 참여합니다. "
            "본인만 쓰세요. 잃어버리면 진행자에게 알려 주세요.</p></div></section>"
        )
    return (
        "<!doctype html><html lang='ko'><head><meta charset='utf-8'>"
        f"<title>{html.escape(workshop)} · 명단 카드</title><style>{CSS}</style></head>"
        f"<body><main class='sheet'>{''.join(items)}</main></body></html>"
    )
