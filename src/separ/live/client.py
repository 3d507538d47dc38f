"""A participant without a browser: speaks Solara's kernel websocket and the widget protocol.

The protocol-level security tests and ``benchmarks/live_load.py`` use it to do what a
phone's page does -- GET the page (session cookie), open the kernel websocket, ask
Solara to run the app at a path, receive every widget's state -- and what a hostile
client could do besides: click a disabled button, set any value, ask for widget
states on the control channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import struct
import time
import urllib.request
import uuid
from collections.abc import Callable
from http.cookiejar import CookieJar
from typing import Any
from urllib.parse import urlsplit

WIDGET_PROTOCOL = "2.1.0"


def decode(frame: str | bytes) -> dict[str, Any]:
    """A Jupyter websocket message, JSON text or the binary framing with buffers."""
    if isinstance(frame, str):
        msg: dict[str, Any] = json.loads(frame)
        return msg
    nbufs = struct.unpack("!i", frame[:4])[0]
    offsets = list(struct.unpack("!" + "I" * nbufs, frame[4 : 4 * (nbufs + 1)]))
    ends = [*offsets[1:], len(frame)]
    parts = [frame[a:b] for a, b in zip(offsets, ends, strict=True)]
    decoded: dict[str, Any] = json.loads(parts[0].decode("utf-8"))
    decoded["buffers"] = parts[1:]
    return decoded


def get_cookie(url: str) -> tuple[str, float]:
    """GET the page as a browser would; return its Cookie header and the seconds it took."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    start = time.perf_counter()
    with opener.open(url, timeout=60) as reply:
        reply.read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, time.perf_counter() - start


class PageClient:
    """One page: a kernel websocket running the app at ``path`` (e.g. ``/?t=TOKEN``)."""

    def __init__(
        self,
        base: str,
        path: str = "/",
        *,
        cookie: str | None = None,
        kernel_id: str | None = None,
        page_id: str | None = None,
    ) -> None:
        self.base = base.rstrip("/")
        self.path = path
        self.cookie = cookie
        self.kernel_id = kernel_id or str(uuid.uuid4())
        self.page_id = page_id or str(uuid.uuid4())
        self.session = uuid.uuid4().hex
        self.states: dict[str, dict[str, Any]] = {}
        """comm id -> the widget's state as last sent by the server."""
        self.received: list[dict[str, Any]] = []
        self.control_replies: list[dict[str, Any]] = []
        self.ws: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()

    # -- connection --------------------------------------------------------------
    async def connect(self) -> None:
        import websockets

        if self.cookie is None:
            self.cookie, _ = await asyncio.to_thread(get_cookie, self.base + self.path)
        parts = urlsplit(self.base)
        url = (
            f"ws://{parts.netloc}/jupyter/api/kernels/{self.kernel_id}/channels"
            f"?session_id={self.page_id}"
        )
        self.ws = await websockets.connect(
            url, additional_headers={"Cookie": self.cookie or ""}, max_size=None, open_timeout=120
        )
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()

    async def _read(self) -> None:
        try:
            async for frame in self.ws:
                self._handle(decode(frame))
        except Exception:  # the connection closed: waiting callers time out
            return

    def _handle(self, msg: dict[str, Any]) -> None:
        self.received.append(msg)
        kind = msg.get("header", {}).get("msg_type")
        content = msg.get("content", {})
        data = content.get("data", {})
        if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            self.states[content["comm_id"]] = dict(data.get("state", {}))
        elif kind == "comm_msg":
            if data.get("method") in ("update", "echo_update"):
                self.states.setdefault(content["comm_id"], {}).update(data.get("state", {}))
            elif data.get("method") == "update_states":
                self.control_replies.append(data)
        elif kind == "comm_close":
            self.states.pop(content.get("comm_id"), None)
        self._changed.set()

    async def until(self, predicate: Callable[[], bool], timeout: float = 30.0) -> bool:
        """Wait until ``predicate()`` holds for what the server has sent (False on timeout)."""
        end = time.monotonic() + timeout
        while not predicate():
            left = end - time.monotonic()
            if left <= 0:
                return False
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=min(left, 0.5))
        return True

    # -- sending -------------------------------------------------------------------
    async def send(
        self, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None
    ) -> None:
        msg = {
            "header": {
                "msg_id": uuid.uuid4().hex,
                "msg_type": msg_type,
                "session": self.session,
                "username": "",
                "version": "5.3",
                "date": dt.datetime.now(dt.timezone.utc).isoformat(),
            },
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
        await self.ws.send(json.dumps(msg))

    async def run_app(self, timeout: float = 60.0) -> bool:
        """Ask Solara to run the app at ``path``, as the page's script does; wait for it."""
        comm = uuid.uuid4().hex
        await self.send("comm_open", {"comm_id": comm, "target_name": "solara.control", "data": {}})
        await self.send(
            "comm_msg",
            {
                "comm_id": comm,
                "data": {"method": "run", "args": {"path": self.path, "appName": None}},
            },
        )
        return await self.until(
            lambda: any(
                m.get("content", {}).get("data", {}).get("method") == "finished"
                for m in self.received
            ),
            timeout,
        )

    async def request_states(self) -> str:
        """Open the widget control channel and ask for every widget state (as fetchAll does)."""
        comm = uuid.uuid4().hex
        await self.send(
            "comm_open",
            {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
            {"version": "1.0.0"},
        )
        await self.send("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}})
        return comm

    async def click(self, comm_id: str) -> None:
        await self.send(
            "comm_msg",
            {"comm_id": comm_id, "data": {"method": "custom", "content": {"event": "click"}}},
        )

    async def set_state(self, comm_id: str, **state: Any) -> None:
        await self.send(
            "comm_msg",
            {"comm_id": comm_id, "data": {"method": "update", "state": state, "buffer_paths": []}},
        )

    # -- finding widgets -------------------------------------------------------------
    def find(self, **wanted: Any) -> list[str]:
        """Comm ids of widgets whose state has all of ``wanted`` (e.g. description="왔어요")."""
        return [
            cid
            for cid, state in self.states.items()
            if all(state.get(k) == v for k, v in wanted.items())
        ]

    def text(self) -> str:
        """Every HTML/label value the page shows, joined (to assert on what a person sees)."""
        return "\n".join(
            str(s.get("value", ""))
            for s in self.states.values()
            if s.get("_model_name") in ("HTMLModel", "LabelModel")
        )
