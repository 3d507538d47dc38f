"""Run the participant server: Solara's starlette app, configured and hardened for a room.

``python -m separ.live.server --workshop DIR --port N`` is what ``separ serve`` starts.
Before Solara is imported this sets its settings (no telemetry, no banner, short
kernel cull, HttpOnly session cookie, production mode); then it closes the
cross-participant leak of ipywidgets' control channel and wraps the app so that
``/resourcez`` answers only on loopback and a kernel can be closed only by its own
session. See docs/live.md ("Security").
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SOLARA_SETTINGS = {
    "SOLARA_APP": "separ.live.app",
    "SOLARA_MODE": "production",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_THEME_SHOW_BANNER": "False",
    "SOLARA_THEME_TITLE": "separ",
    "SOLARA_SESSION_HTTP_ONLY": "True",
    "SOLARA_KERNEL_CULL_TIMEOUT": "120s",
    "SOLARA_ASSETS_FONTAWESOME_ENABLED": "False",
    # after a server restart a page reconnects to a kernel the new process never had: run the
    # app again at the page's URL (its token) instead of asking the person to reload. All of
    # separ's state is in the store, so the fresh page is the same page.
    "SOLARA_STATE_AUTO_REMOUNT": "True",
}
"""Defaults for the room; anything already in the environment wins (e.g. a test's cull)."""

LOOPBACK = ("127.0.0.1", "::1")


def configure_environment() -> None:
    for key, value in SOLARA_SETTINGS.items():
        os.environ.setdefault(key, value)


def isolate_control_comm() -> None:
    """Answer each page's "request_states" on that page's own control comm.

    ipywidgets keeps the ``jupyter.widget.control`` comm in one class attribute, so
    under Solara (many virtual kernels, one process) a page asking for its widget
    states could get the reply on the last page's websocket -- another person's
    entries. Here the handler keeps the comm it was opened on in a closure and sends
    only the widgets of the kernel the request came from (Solara makes
    ``ipywidgets.widgets.widget._instances`` per virtual kernel). Must run before the
    first kernel starts, as each kernel registers the handler when it is created.
    """
    from ipywidgets.widgets import widget as wmod

    def opened(cls: Any, comm: Any, msg: dict[str, Any]) -> None:
        version = msg.get("metadata", {}).get("version", "")
        if version.split(".")[0] != wmod.CONTROL_PROTOCOL_VERSION_MAJOR:
            raise ValueError(f"incompatible widget control protocol version {version!r}")

        def on_msg(message: dict[str, Any]) -> None:
            if message["content"]["data"].get("method") != "request_states":
                return
            states = {
                w.model_id: {"model_name": w._model_name, "model_module": w._model_module,
                             "model_module_version": w._model_module_version,
                             "state": w.get_state(drop_defaults=False)}
                for w in list(wmod._instances.values())
            }
            states, buffer_paths, buffers = wmod._remove_buffers(states)
            comm.send({"method": "update_states", "states": states,
                       "buffer_paths": buffer_paths}, buffers=buffers)

        comm.on_msg(on_msg)

    wmod.Widget.handle_control_comm_opened = classmethod(opened)


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar.load(value.decode("latin-1"))
    return {key: morsel.value for key, morsel in jar.items()}


async def _refuse(send: Send, status: int) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
    await send({"type": "http.response.body", "body": b"forbidden" if status == 403
                else b"not found"})


def harden(app: ASGIApp) -> ASGIApp:
    """Wrap Solara's app: loopback-only ``/resourcez``, owner-only kernel close, the entry
    paths (join form, cards) answered before Solara sees them, and limits on every
    websocket message."""

    async def hardened(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope.get("path", "")
            client = (scope.get("client") or ("", 0))[0]
            if path.rstrip("/") == "/resourcez" and client not in LOOPBACK:
                await _refuse(send, 404)
                return
            if path.startswith("/_solara/api/close/") and not _owns_kernel(scope, path):
                await _refuse(send, 403)
                return
            if await _entry(scope, receive, send):  # join form and cards
                return
            scope, send = _accessible_page(scope, send)
        elif scope["type"] == "websocket":
            receive, send = _limit_messages(receive, send)
        await app(scope, receive, send)

    return hardened


def _accessible_page(scope: Scope, send: Send) -> tuple[Scope, Send]:
    """``lang`` and a zoomable viewport on Solara's page document (:mod:`separ.live.document`)."""
    from separ.live import document

    return document.accessible(scope, send) if document.wants(scope) else (scope, send)


def _limit_messages(receive: Receive, send: Send) -> tuple[Receive, Send]:
    """Size, text-field, comm and rate limits on a page's websocket (:mod:`separ.live.guard`)."""
    from separ.live.guard import guarded

    return guarded(receive, send)


async def _entry(scope: Scope, receive: Receive, send: Send) -> bool:
    """The join form, roster cards and the phone's cookie (:mod:`separ.live.entry`)."""
    from separ.live import entry, runtime

    return entry.owns(scope) and await entry.handle(scope, receive, send, runtime.store())


def _owns_kernel(scope: Scope, path: str) -> bool:
    """Whether the request's session cookie is the one the kernel was opened with."""
    from solara.server import kernel_context, server

    kernel_id = path.rsplit("/", 1)[-1]
    context = kernel_context.contexts.get(kernel_id)
    session = server.get_session_id_cookie(_cookies(scope))
    return context is None or (session is not None and session == context.session_id)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="separ's participant server (Solara)")
    parser.add_argument("--workshop", required=True)
    parser.add_argument("--db", default=None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--join-url", default=None)
    args = parser.parse_args(argv)
    os.environ["SEPAR_WORKSHOP"] = args.workshop
    if args.db:
        os.environ["SEPAR_DB"] = args.db
    if args.join_url:
        os.environ["SEPAR_JOIN_URL"] = args.join_url
    configure_environment()
    isolate_control_comm()

    import uvicorn
    from solara.server.starlette import app as solara_app

    from separ.live import runtime

    runtime.store()  # fail now, not on the first phone, when the store cannot be opened
    from separ.live.guard import MAX_FRAME

    uvicorn.run(harden(solara_app), host=args.host, port=args.port, log_level="warning",
                timeout_graceful_shutdown=3, ws_ping_interval=20, ws_ping_timeout=20,
                ws_max_size=MAX_FRAME)


if __name__ == "__main__":
    main()
