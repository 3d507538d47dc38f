"""The HTML document Solara serves for the phone and projector pages, made accessible.

Solara's page template has no ``lang`` on ``<html>`` (screen readers then read Korean
with an English voice; axe-core: ``html-has-lang``) and a viewport that forbids
pinch-zoom (``maximum-scale=1, user-scalable=no``; axe-core: ``meta-viewport``, WCAG
1.4.4). Rather than copy Solara's whole template (and drift from its version), the two
are corrected on the way out: the page request is asked uncompressed, and the
document is patched before it is sent. The same patch adds separ's ARIA script
(``separ_aria.js``, shared with the facilitator's Voila template): ipywidgets shows a
chosen ToggleButton only by a CSS class, so without it a screen reader cannot tell
which choice is taken.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from functools import cache
from pathlib import Path
from typing import Any

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
Scope = MutableMapping[str, Any]

PAGES = ("/", "/projector")
MAX_DOCUMENT = 8 * 2**20
"""A page document bigger than this is passed on untouched (never buffered further)."""

VIEWPORT = re.compile(rb'<meta name="viewport"[^>]*>')
ZOOMABLE = b'<meta name="viewport" content="width=device-width, initial-scale=1">'


ARIA_SCRIPT = Path(__file__).parent / "jupyter" / "voila" / "templates" / "separ" / "separ_aria.js"
"""Kept in the Voila template folder so that the facilitator's pages include the very same
file (``{% include "separ_aria.js" %}`` in ``index.html.j2``)."""


@cache
def aria_script() -> bytes:
    return b"<script>" + ARIA_SCRIPT.read_bytes() + b"</script>"


def wants(scope: Scope) -> bool:
    return scope.get("method") == "GET" and scope.get("path") in PAGES


def patch(document: bytes, lang: str = "ko") -> bytes:
    """``lang`` on the root element, a viewport that allows zooming, and the ARIA script
    (which watches the whole document, so it may run before the body exists)."""
    document = document.replace(b"<html>", f'<html lang="{lang}">'.encode(), 1)
    document = document.replace(b"</head>", aria_script() + b"</head>", 1)
    return VIEWPORT.sub(ZOOMABLE, document, count=1)


def accessible(scope: Scope, send: Send) -> tuple[Scope, Send]:
    """The request without ``accept-encoding`` and a ``send`` that patches the document."""
    headers = [(k, v) for k, v in scope.get("headers", []) if k != b"accept-encoding"]
    start: Message | None = None
    chunks: list[bytes] = []

    async def patched(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            kind = dict(message.get("headers", [])).get(b"content-type", b"")
            if not kind.startswith(b"text/html"):
                await send(message)
                return
            start = message
            return
        if start is None or message["type"] != "http.response.body":
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body") and sum(map(len, chunks)) < MAX_DOCUMENT:
            return
        body = b"".join(chunks)
        more = bool(message.get("more_body"))
        if not more:
            body = patch(body)
        out = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
        if not more:
            out.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": out})
        await send({"type": "http.response.body", "body": body, "more_body": more})
        start = None

    return {**scope, "headers": headers}, patched
