"""Run the participant server: Solara's starlette app, configured and hardened for a room.

``python -m separ.live.server --workshop DIR --port N`` is what ``separ serve`` starts.
Before Solara is imported this sets its settings (no telemetry, no banner, short
kernel cull, HttpOnly session cookie, production mode); then it closes the
cross-participant leak of ipywidgets' control channel and wraps the app so that
``/resourcez`` is closed (unless ``SEPAR_RESOURCEZ=1``, and then only on loopback) and a
kernel can be closed only by its own session. See docs/live.md ("Security").

``--reuse-port`` (what ``separ serve --workers N`` passes on Linux) lets N of these
processes listen on one port; the kernel spreads new connections over them.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
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
RESOURCEZ_ENV = "SEPAR_RESOURCEZ"
"""Set to 1 to open Solara's ``/resourcez`` (counts, host load) to loopback clients.
Closed by default: behind a reverse proxy on the same host every request is loopback."""


def resourcez_enabled() -> bool:
    return os.environ.get(RESOURCEZ_ENV, "").lower() in ("1", "true", "yes")


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
                w.model_id: {
                    "model_name": w._model_name,
                    "model_module": w._model_module,
                    "model_module_version": w._model_module_version,
                    "state": w.get_state(drop_defaults=False),
                }
                for w in list(wmod._instances.values())
            }
            states, buffer_paths, buffers = wmod._remove_buffers(states)
            comm.send(
                {"method": "update_states", "states": states, "buffer_paths": buffer_paths},
                buffers=buffers,
            )

        comm.on_msg(on_msg)

    wmod.Widget.handle_control_comm_opened = classmethod(opened)


def cache_asset_hashes() -> None:
    """Read and hash each page asset once, not on every page request.

    Solara's page (``read_root``) embeds or links its CSS and JS by content hash and
    re-reads and re-hashes every file for every GET: on a join burst that was a tenth
    of the participant server's busy time (py-spy, 150 at once). Cached by path, size
    and modification time, so a changed file is read again.
    """
    import functools

    import solara.util

    original = solara.util.get_file_hash
    if getattr(original, "separ_cached", False):
        return

    @functools.lru_cache(maxsize=512)
    def hashed(path: Any, _mtime_ns: int, _size: int, algorithm: str) -> tuple[bytes, str]:
        result: tuple[bytes, str] = original(path, algorithm)
        return result

    def get_file_hash(path: Any, algorithm: str = "md5") -> tuple[bytes, str]:
        stat = path.stat()
        return hashed(path, stat.st_mtime_ns, stat.st_size, algorithm)

    get_file_hash.separ_cached = True  # type: ignore[attr-defined]
    solara.util.get_file_hash = get_file_hash


WARM_MODULES = (
    "numpy",
    "separ.assets",
    "separ.context",
    "separ.network",
    "separ.polls",
    "separ.tally",
    "separ.ui.voting",
)
"""What the views import on first use besides their own modules (the projector's lazy
imports, and numpy, which reacton reads whenever it is loaded; see :func:`warm_up`)."""


def warm_up() -> None:
    """Import every activity's phone and projector view, and what they import on first
    use, before the server takes its first connection.

    Before, not in a background thread: reacton (Solara's renderer) compares states with
    ``if "pandas" in sys.modules: import pandas; pd.Series`` (numpy the same way). A module
    that another thread is still importing is already in ``sys.modules``, half built; a
    phone rendering meanwhile showed "AttributeError: partially initialized module" (seen
    after ``reveal_results``, when the results view first imported pandas in the projector
    lane). With every import done before the socket listens, no page thread ever sees a
    half-imported module, and the first switch to an activity does not wait for its import
    (5.0 s measured the first time, 1.9 s the second). The views import no pandas or
    matplotlib (tests/test_live_results_page.py checks the server process), so this costs
    little memory.
    """
    import importlib

    from separ.live.activities import known

    for activity in known().values():
        for factory in (activity.participant_factory, activity.projector_factory):
            try:
                factory()
            except Exception:  # a broken view shows its error on the page, not here
                continue
    for name in WARM_MODULES:
        importlib.import_module(name)


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar.load(value.decode("latin-1"))
    return {key: morsel.value for key, morsel in jar.items()}


async def _refuse(send: Send, status: int) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send(
        {"type": "http.response.body", "body": b"forbidden" if status == 403 else b"not found"}
    )


def harden(app: ASGIApp) -> ASGIApp:
    """Wrap Solara's app: ``/resourcez`` closed or loopback-only, owner-only kernel close,
    the entry paths (join form, cards) answered before Solara sees them, and limits on
    every websocket message."""

    async def hardened(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope.get("path", "")
            client = (scope.get("client") or ("", 0))[0]
            if path.rstrip("/") == "/resourcez" and (
                not resourcez_enabled() or client not in LOOPBACK
            ):
                await _refuse(send, 404)
                return
            if path.startswith("/_solara/api/close/"):
                owner = _owns_kernel(scope, path)
                if owner is not True:  # not here (another worker's kernel): 404
                    await _refuse(send, 404 if owner is None else 403)
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


def _owns_kernel(scope: Scope, path: str) -> bool | None:
    """Whether the request's session cookie is the one the kernel was opened with;
    None when this process has no such kernel (with several workers, the close request
    of a page may reach another worker than its websocket: nothing to close here)."""
    from solara.server import kernel_context, server

    kernel_id = path.rsplit("/", 1)[-1]
    context = kernel_context.contexts.get(kernel_id)
    if context is None:
        return None
    session = server.get_session_id_cookie(_cookies(scope))
    return session is not None and session == context.session_id


def listening_socket(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    """The server's socket, bound here so that N workers can share it (``SO_REUSEPORT``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    if sys.platform != "win32":  # on Windows SO_REUSEADDR would let another program steal it
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(False)
    return sock


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="separ's participant server (Solara)")
    parser.add_argument("--workshop", required=True)
    parser.add_argument("--db", default=None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--join-url", default=None)
    parser.add_argument(
        "--reuse-port", action="store_true", help="share the port with the other workers (Linux)"
    )
    args = parser.parse_args(argv)
    os.environ["SEPAR_WORKSHOP"] = args.workshop
    if args.db:
        os.environ["SEPAR_DB"] = args.db
    if args.join_url:
        os.environ["SEPAR_JOIN_URL"] = args.join_url
    configure_environment()
    isolate_control_comm()
    cache_asset_hashes()
    from separ.live import taps

    taps.install()

    import uvicorn
    from solara.server.starlette import app as solara_app

    from separ.live import runtime

    runtime.store()  # fail now, not on the first phone, when the store cannot be opened
    from separ.live.guard import MAX_FRAME

    warm_up()
    sock = listening_socket(args.host, args.port, reuse_port=args.reuse_port)
    config = uvicorn.Config(
        harden(solara_app),
        log_level="warning",
        timeout_graceful_shutdown=3,
        ws_ping_interval=20,
        ws_ping_timeout=20,
        ws_max_size=MAX_FRAME,
    )
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
