"""Limits on what a page's websocket may send, checked before any widget sees it.

Measured before these limits: a visitor with no token sent 20 widget states of 5 MB and
a 15 MiB name, and the one server process grew from 301 to 455 MB in 9 s. A phone's
honest messages are small (a click, a text field of at most :data:`TEXT_MAX`
characters, a few comm opens when the page starts), so a connection that sends
more than that is closed (code 1009 for size, 1008 for the rest); the page's other
connections and the store are untouched, and a reload starts clean.

* the transport refuses a frame over :data:`MAX_FRAME` before it is buffered (uvicorn's
  ``ws_max_size``, set by :func:`separ.live.server.main`); the same bound is checked
  here too, for a server started another way;
* every string in a widget state update is at most :data:`MAX_FIELD` characters;
* at most :data:`MAX_COMM_OPENS` comms per connection (each one makes a widget or
  channel on the server), and a sustained rate of :data:`RATE` messages a second with
  bursts of :data:`BURST`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from separ.records import TEXT_MAX

log = logging.getLogger(__name__)

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

MAX_FRAME = 64 * 1024
"""Bytes per websocket message. The largest honest one is a text field of TEXT_MAX
Korean characters JSON-escaped (6 bytes each: ~24 KB) in its envelope."""
MAX_FIELD = TEXT_MAX + 100
"""Characters per string in a widget state: the longest field separ stores, and a margin."""
MAX_COMM_OPENS = 16
"""A page opens two or three (Solara's control, the widget control channel)."""
RATE = 20.0
BURST = 200


class Refused(Exception):
    def __init__(self, code: int, why: str) -> None:
        super().__init__(why)
        self.code = code


class MessageGuard:
    """The checks for one websocket connection."""

    def __init__(self) -> None:
        self.opens = 0
        self.tokens = float(BURST)
        self.last = time.monotonic()

    def check(self, message: Message) -> None:
        text, data = message.get("text"), message.get("bytes")
        size = len(text.encode("utf-8")) if isinstance(text, str) else len(data or b"")
        if size > MAX_FRAME:
            raise Refused(1009, f"message of {size} bytes")
        now = time.monotonic()
        self.tokens = min(float(BURST), self.tokens + (now - self.last) * RATE)
        self.last = now
        if self.tokens < 1:
            raise Refused(1008, "too many messages")
        self.tokens -= 1
        if isinstance(text, str):
            self._check_json(text)

    def _check_json(self, text: str) -> None:
        try:
            msg = json.loads(text)
        except ValueError:
            raise Refused(1008, "not JSON") from None
        if not isinstance(msg, dict):
            return
        kind = (
            (msg.get("header") or {}).get("msg_type")
            if isinstance(msg.get("header"), dict)
            else None
        )
        if kind == "comm_open":
            self.opens += 1
            if self.opens > MAX_COMM_OPENS:
                raise Refused(1008, "too many comms")
        content = msg.get("content")
        data = content.get("data") if isinstance(content, dict) else None
        state = data.get("state") if isinstance(data, dict) else None
        if isinstance(state, dict):
            for value in _strings(state):
                if len(value) > MAX_FIELD:
                    raise Refused(1009, f"a text field of {len(value)} characters")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def guarded(receive: Receive, send: Send) -> tuple[Receive, Send]:
    """``receive`` and ``send`` of one websocket, with :class:`MessageGuard`'s checks: an
    offending message never reaches the app, which sees the client disconnect."""
    guard = MessageGuard()
    closed = False

    async def checked_receive() -> Message:
        nonlocal closed
        message = await receive()
        if message.get("type") != "websocket.receive" or closed:
            return message
        try:
            guard.check(message)
        except Refused as exc:
            closed = True
            log.warning("closed a page's websocket: %s", exc)
            await send({"type": "websocket.close", "code": exc.code})
            return {"type": "websocket.disconnect", "code": exc.code}
        return message

    async def checked_send(message: Message) -> None:
        if not closed:  # the app may still answer before it sees the disconnect
            await send(message)

    return checked_receive, checked_send
