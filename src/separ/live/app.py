"""The Solara app: ``/`` for participants, ``/projector`` for the projector.

Solara runs this module once per connection (each phone gets its own widgets); the
store and the poller are shared through :mod:`separ.live.runtime`. A participant's
token is the room's HttpOnly cookie, set by the join form or a roster card
(:mod:`separ.live.entry`), so a reload, a dropped connection or the join link opened
again comes back as the same person; a link with ``/?t=…`` also opens that person's page.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as widgets
import solara
import solara.lab

from separ.i18n import Lang, add_messages, default_lang, text
from separ.live import entry, runtime, taps
from separ.live.pages import ParticipantPage, ProjectorPage, close_tree, workshop_lang

log = logging.getLogger(__name__)

add_messages(
    {
        "live_app_failed": {
            "ko": "문제가 생겼습니다. 잠시 후 새로고침해 주세요.",
            "en": "Something went wrong. Please reload in a moment.",
        },
        "live_app_participant_title": {"ko": "separ 워크숍", "en": "separ workshop"},
        "live_app_projector_title": {"ko": "separ 프로젝터", "en": "separ projector"},
    }
)


def _lang() -> Lang:
    """The workshop's language; the environment's when the store cannot be read (a page
    that failed to build may have failed on the store itself)."""
    try:
        return workshop_lang(runtime.store())
    except Exception:  # the apology must not fail in turn
        log.exception("the workshop's language could not be read")
        return default_lang()


def _param(search: str | None, key: str) -> str | None:
    values = parse_qs(search or "").get(key)
    return values[0] if values else None


def _safely(build: Callable[[], Any]) -> Any:
    """The page, or a plain apology: a phone never shows a traceback (it is logged)."""
    try:
        return build()
    except Exception:
        log.exception("a live page failed to build")
        return widgets.HTML(
            "<p style='font-size:18px;padding:16px'>"
            f"{html.escape(text('live_app_failed', _lang()))}</p>"
        )


def _built(build: Callable[[], Any]) -> Any:
    """The page, noting the store revision the poller had seen before it was built."""
    revision = runtime.hub().revision
    page = _safely(build)
    page.built_at = revision
    return page


def _follow(page: Any) -> Callable[[], Callable[[], None]]:
    """Subscribe the page to the poller; when it is replaced (a new token) or unmounted,
    unsubscribe and close all its widgets."""

    def subscribe() -> Callable[[], None]:
        hub = runtime.hub()
        unsubscribe = hub.subscribe(page) if hasattr(page, "on_change") else None
        if unsubscribe is not None and getattr(page, "built_at", None) != hub.revision:
            page.on_change()  # the store moved between building the page and now

        stop_watching = taps.watch(page.taps_lost) if hasattr(page, "taps_lost") else None

        def cleanup() -> None:
            if unsubscribe is not None:
                unsubscribe()
            if stop_watching is not None:
                stop_watching()
            close_tree(page)

        return cleanup

    return subscribe


def _cookie_token() -> str | None:
    """The token in the room's cookie, as the page's websocket request carried it (HttpOnly:
    the page's scripts never see it)."""
    jar = solara.lab.cookies.value or {}
    return jar.get(entry.cookie_name(runtime.store()))


@solara.component  # type: ignore[untyped-decorator]
def Participant() -> None:
    router = solara.use_router()
    token = _param(router.search, "t") or _cookie_token()

    def make() -> Any:
        return _built(lambda: ParticipantPage(runtime.store(), token))

    page = solara.use_memo(make, dependencies=[token])
    solara.use_effect(_follow(page), [page])
    solara.Title(text("live_app_participant_title", _lang()))
    solara.Column(children=[page], style={"padding": "0", "width": "100%"})


@solara.component  # type: ignore[untyped-decorator]
def Projector() -> None:
    router = solara.use_router()
    token = _param(router.search, "key")
    join_url = os.environ.get("SEPAR_JOIN_URL", "/")

    def make() -> Any:
        return _built(lambda: ProjectorPage(runtime.store(), token, join_url))

    page = solara.use_memo(make, dependencies=[token])
    solara.use_effect(_follow(page), [page])
    solara.Title(text("live_app_projector_title", _lang()))
    solara.Column(children=[page], style={"padding": "0", "width": "100%"})


@solara.component  # type: ignore[untyped-decorator]
def Layout(children: list[Any] = []) -> None:  # noqa: B006 - Solara's layout signature
    """No app bar or route tabs: a participant sees one page, the projector another."""
    solara.Column(children=children, style={"padding": "0", "width": "100%"})


routes = [
    solara.Route(path="/", component=Participant, layout=Layout),
    solara.Route(path="projector", component=Projector, layout=Layout),
]
