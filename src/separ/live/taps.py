"""Taps that reached a page's kernel after the widgets they were meant for were gone.

When a phone's page reconnects to a kernel that does not hold its widgets (the server
restarted, the connection landed on another worker), the browser first sends what it
queued while offline and what the person tapped before the page was rebuilt: widget
messages addressed to widgets this process never had. ipywidgets drops those without a
word, so a vote tapped in those seconds vanished. Here every such tap is counted per
virtual kernel, and the page rebuilt in that kernel says so on the phone ("tap again"),
so no tap is lost silently. A connection that resumes its own kernel (a short Wi-Fi
blip on the same worker) finds its widgets and the queued taps are applied normally.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

TAP_METHODS = ("update", "custom")
"""Widget messages a person's action sends: a value changed, a button clicked."""

_lock = threading.Lock()
_lost: dict[str, int] = {}
_watchers: dict[str, Callable[[int], None]] = {}


def _context() -> Any:
    from solara.server import kernel_context

    return kernel_context.get_current_context() if kernel_context.has_current_context() else None


def _forget(kernel_id: str) -> None:
    with _lock:
        _lost.pop(kernel_id, None)
        _watchers.pop(kernel_id, None)


def lost(kernel_id: str, context: Any = None) -> None:
    """Count one orphaned tap for ``kernel_id`` and tell its page, if one is watching.

    ``context`` (the virtual kernel) forgets the count when it closes."""
    with _lock:
        first = kernel_id not in _lost
        _lost[kernel_id] = _lost.get(kernel_id, 0) + 1
        watcher = _watchers.get(kernel_id)
        count = _lost[kernel_id]
    if first and context is not None:
        context.on_close(lambda: _forget(kernel_id))
    if watcher is not None:
        watcher(count)


def watch(callback: Callable[[int], None]) -> Callable[[], None]:
    """Call ``callback(n)`` for the caller's kernel: now if taps were already lost, and
    on every later one. Returns the function that stops watching."""
    context = _context()
    if context is None:
        return lambda: None
    kernel_id = str(context.id)
    with _lock:
        _watchers[kernel_id] = callback
        count = _lost.get(kernel_id, 0)
    if count:
        callback(count)

    def stop() -> None:
        with _lock:
            if _watchers.get(kernel_id) is callback:
                del _watchers[kernel_id]

    return stop


def install() -> None:
    """Count widget messages for unknown widgets, per kernel (before any kernel starts)."""
    from ipykernel.comm import CommManager

    original = CommManager.comm_msg
    if getattr(original, "separ_taps", False):
        return

    def comm_msg(self: Any, stream: Any, ident: Any, msg: dict[str, Any]) -> None:
        content = msg.get("content", {})
        data = content.get("data") or {}
        if (
            content.get("comm_id") not in self.comms
            and isinstance(data, dict)
            and data.get("method") in TAP_METHODS
        ):
            context = _context()
            if context is not None:
                lost(str(context.id), context)
        original(self, stream, ident, msg)

    comm_msg.separ_taps = True  # type: ignore[attr-defined]
    CommManager.comm_msg = comm_msg  # type: ignore[method-assign]
