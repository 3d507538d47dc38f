"""The way into the room: the join form, roster cards and the phone's cookie, as plain HTTP.

A phone is one person. Joining (a typed name, anonymously, or a roster card's link) sets
a long-lived HttpOnly cookie scoped to this workshop's store; from then on ``/`` opens
that person's own page, and a second join from the same phone is refused. The join
form is a server-rendered HTML form, not a widget app: it needs no websocket (nothing a
visitor without a token sends reaches a kernel), Enter submits it, its label is a real
``<label>``, and it answers in the workshop's name. Joins are rate-limited per address,
in the store, so the limit holds over all of ``separ serve --workers N``'s processes.

:func:`handle` is called by :func:`separ.live.server.harden` for every HTTP request and
answers the few paths it owns (``/`` without an identity, ``POST /join``,
``/card/<code>``, ``/verify`` for anonymous ballots' receipts); everything else goes on
to Solara.
"""

from __future__ import annotations

import hashlib
import html
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

import anyio.to_thread

from separ.errors import SeparError
from separ.i18n import Lang, add_messages, text
from separ.limits import joins_per_minute
from separ.polls import verify_receipt
from separ.records import NAME_MAX
from separ.store import Store
from separ.tokens import actor_for, claim_card, join, live_state

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

COOKIE_MAX_AGE = 180 * 24 * 3600
"""A workshop series runs 5–8 rounds over months: the phone stays its person that long."""
FORM_MAX_BYTES = 4096
"""A join form is a name: a bigger body is refused before it is read further."""


def cookie_name(store: Store) -> str:
    """The room's cookie: one per store, so two workshops served from one host (different
    ports share cookies) never see each other's phones."""
    return "separ_" + hashlib.sha256(store.location.encode("utf-8")).hexdigest()[:12]


class RateLimit:
    """At most ``limit`` events per address in any ``window`` seconds (one process).

    Only the first, free gate: a flood from one address is refused here without a store
    transaction. The limit that holds over every worker process is counted in the store,
    in the join's own transaction (:func:`separ.limits.spend_join`)."""

    def __init__(self, limit: int, window: float = 60.0, max_addresses: int = 10_000) -> None:
        self.limit, self.window, self.max_addresses = limit, window, max_addresses
        self.seen: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def allow(self, address: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self.lock:
            if len(self.seen) >= self.max_addresses:  # memory stays bounded under a flood
                self.seen = {a: q for a, q in self.seen.items() if q and q[-1] > now - self.window}
            times = self.seen.setdefault(address, deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.limit:
                return False
            times.append(now)
            return True


JOINS = RateLimit(joins_per_minute())

PAGE_CSS = """
html { font-size: 100%; }
body { margin: 0; font-family: "Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo",
  "Malgun Gothic", sans-serif; color: #1a1a1a; background: #fff; }
main { max-width: 640px; margin: 0 auto; padding: 12px; font-size: 1.125rem; line-height: 1.5;
  word-break: keep-all; overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; line-height: 1.3; margin: 8px 0 12px; overflow-wrap: anywhere; }
label { display: block; font-weight: bold; margin: 12px 0 4px; }
input[type=text] { width: 100%; box-sizing: border-box; font-size: 1.125rem; min-height: 48px;
  padding: 8px 10px; border: 2px solid #555; border-radius: 8px; }
button, .separ-button { display: block; width: 100%; box-sizing: border-box; min-height: 56px;
  margin: 12px 0 0; font-size: 1.1875rem; border-radius: 10px; border: 2px solid #0d47a1;
  background: #0d47a1; color: #fff; text-align: center; text-decoration: none; padding: 12px; }
button.secondary { background: #fff; color: #0d47a1; }
:focus-visible { outline: 3px solid #e65100; outline-offset: 3px; }
.separ-error { color: #b00020; font-weight: bold; }
.separ-hint { color: #444; font-size: 1rem; }
"""


add_messages(
    {
        "live_entry_join": {"ko": "참여", "en": "Join"},
        "live_entry_anonymous": {"ko": "이름 없이 참여", "en": "Join without a name"},
        "live_entry_join_how": {
            "ko": "이름을 적고 '참여하기'를 누르세요.",
            "en": "Type your name and press 'Join now'.",
        },
        "live_entry_name": {"ko": "이름", "en": "Name"},
        "live_entry_join_button": {"ko": "참여하기", "en": "Join now"},
        "live_entry_card_hint": {
            "ko": "명단 카드를 받았다면 카드의 QR 코드를 찍으면 이름이 확인된 채로 참여합니다.",
            "en": "If you were given a roster card, scan its QR code to join with your name "
            "already confirmed.",
        },
        "live_entry_verify": {"ko": "투표 확인", "en": "Check a ballot"},
        "live_entry_verify_how": {
            "ko": "무기명 투표의 확인번호로 내 투표지가 집계되었는지 확인합니다.",
            "en": "Check with an anonymous ballot's receipt code that your ballot was counted.",
        },
        "live_entry_code": {"ko": "확인번호", "en": "Receipt code"},
        "live_entry_code_example": {"ko": "예: {code}", "en": "e.g. {code}"},
        "live_entry_verify_button": {"ko": "확인하기", "en": "Check"},
        "live_entry_no_ballot": {
            "ko": "이 확인번호의 투표지가 없습니다 (투표가 아직 마감되지 않았거나 번호가 다릅니다).",
            "en": "No ballot has this receipt code (the vote is not closed yet, or the code "
            "differs).",
        },
        "live_entry_counted": {
            "ko": "{code}: 집계에 포함되었습니다",
            "en": "{code}: counted in the results",
        },
        "live_entry_already": {
            "ko": "이 휴대폰은 이미 {name} 님으로 참여했습니다. 한 휴대폰은 한 사람입니다.",
            "en": "This phone has already joined as {name}. One phone is one person.",
        },
        "live_entry_my_page": {"ko": "내 화면 열기", "en": "Open my page"},
        "live_entry_first_page": {"ko": "처음 화면", "en": "First page"},
    }
)


def _say(lang: Lang, key: str, **params: object) -> str:
    """A message of this module, escaped for the page."""
    return html.escape(text(f"live_entry_{key}", lang, **params))


def _page(title: str, body: str, lang: Lang) -> bytes:
    return (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{PAGE_CSS}</style></head>"
        f"<body><main>{body}</main></body></html>"
    ).encode()


def join_form(store: Store, *, name: str = "", error: SeparError | None = None) -> bytes:
    """The join page: names the workshop, a labelled name field, Enter submits."""
    workshop = store.workshop()
    lang, title = workshop.lang, workshop.title
    state = live_state(store)
    anonymous = (
        "<button type='submit' name='anonymous' value='1' formnovalidate "
        f"class='secondary'>{_say(lang, 'anonymous')}</button>"
        if state.allow_anonymous
        else ""
    )
    alert = (
        f"<p class='separ-error' role='alert'>{html.escape(error.message(lang))}</p>"
        if error
        else ""
    )
    body = (
        f"<h1>{html.escape(title)}</h1>"
        f"<p>{_say(lang, 'join_how')}</p>"
        "<form method='post' action='/join'>"
        f"<label for='separ-name'>{_say(lang, 'name')}</label>"
        f"<input id='separ-name' name='name' type='text' placeholder='{_say(lang, 'name')}' "
        f"autocomplete='name' maxlength='{NAME_MAX}' required value='{html.escape(name)}'>"
        f"{alert}<button type='submit'>{_say(lang, 'join_button')}</button>{anonymous}</form>"
        f"<p class='separ-hint'>{_say(lang, 'card_hint')}</p>"
    )
    return _page(f"{title} · {text('live_entry_join', lang)}", body, lang)


def verify_page(store: Store, code: str = "") -> bytes:
    """Anyone can check an anonymous ballot's receipt once its poll is closed: counted,
    with its marks. The page holds no name: the code is the only key."""
    workshop = store.workshop()
    lang, title = workshop.lang, workshop.title
    result = ""
    if code:
        found = verify_receipt(store, code)
        if found is None:
            result = f"<p class='separ-error' role='alert'>{_say(lang, 'no_ballot')}</p>"
        else:
            marks = "".join(
                f"<li>{html.escape(option)}{f' · {html.escape(crit)}' if crit else ''}: "
                f"{value:g}</li>"
                for option, crit, value in found.marks
            )
            result = (
                f"<section role='status'><h2>{_say(lang, 'counted', code=found.code)}"
                f"</h2><p>{html.escape(found.poll_title)}</p>"
                f"<ul>{marks}</ul></section>"
            )
    example = _say(lang, "code_example", code="K7QM-3XPA-ZC")
    body = (
        f"<h1>{html.escape(title)}</h1><p>{_say(lang, 'verify_how')}</p>"
        "<form method='get' action='/verify'>"
        f"<label for='separ-code'>{_say(lang, 'code')}</label>"
        f"<input id='separ-code' name='code' type='text' placeholder='{example}' "
        f"autocomplete='off' maxlength='32' required value='{html.escape(code)}'>"
        f"<button type='submit'>{_say(lang, 'verify_button')}</button></form>{result}"
    )
    return _page(f"{title} · {text('live_entry_verify', lang)}", body, lang)


def _already(store: Store, who: str) -> bytes:
    workshop = store.workshop()
    lang, title = workshop.lang, workshop.title
    # the table's text is separ's own; only the name is the visitor's, so only it is escaped
    already = text("live_entry_already", lang, name=f"<b>{html.escape(who)}</b>")
    body = (
        f"<h1>{html.escape(title)}</h1>"
        f"<p role='alert'>{already}</p>"
        f"<a class='separ-button' href='/'>{_say(lang, 'my_page')}</a>"
    )
    return _page(f"{title} · {text('live_entry_join', lang)}", body, lang)


def _card_refused(store: Store, error: SeparError) -> bytes:
    workshop = store.workshop()
    lang, title = workshop.lang, workshop.title
    body = (
        f"<h1>{html.escape(title)}</h1>"
        f"<p class='separ-error' role='alert'>{html.escape(error.message(lang))}</p>"
        f"<a class='separ-button' href='/'>{_say(lang, 'first_page')}</a>"
    )
    return _page(f"{title} · {text('live_entry_join', lang)}", body, lang)


def cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is no identity
                continue
    return {key: morsel.value for key, morsel in jar.items()}


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return str(value.decode("latin-1"))
    return None


def _set_cookie(scope: Scope, store: Store, token: str) -> tuple[bytes, bytes]:
    secure = scope.get("scheme") == "https" or _header(scope, b"x-forwarded-proto") == "https"
    value = (
        f"{cookie_name(store)}={token}; Max-Age={COOKIE_MAX_AGE}; Path=/; HttpOnly; "
        f"SameSite=Lax{'; Secure' if secure else ''}"
    )
    return (b"set-cookie", value.encode("latin-1"))


async def _respond(
    send: Send, status: int, body: bytes = b"", headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"cache-control", b"no-store"),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _redirect_home(send: Send, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    await _respond(send, 303, headers=[(b"location", b"/"), *(extra or [])])


async def _read_form(receive: Receive) -> dict[str, str] | None:
    """The urlencoded body, or None when it is larger than :data:`FORM_MAX_BYTES`."""
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = bool(message.get("more_body"))
        if len(body) > FORM_MAX_BYTES:
            return None
    fields = parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=8)
    return {key: values[0] for key, values in fields.items()}


def _address(scope: Scope) -> str:
    return str((scope.get("client") or ("?", 0))[0])


def _same_origin(scope: Scope) -> bool:
    """A form posted from another site (a page luring a phone into joining) is refused."""
    origin = _header(scope, b"origin")
    if origin is None or origin == "null":
        return origin is None
    host = _header(scope, b"host") or ""
    return origin.split("://", 1)[-1] == host


def owns(scope: Scope) -> bool:
    """Whether the request is for one of the entry paths (the others go to Solara)."""
    path: str = scope.get("path", "")
    method: str = scope.get("method", "GET")
    if path == "/" and method in ("GET", "HEAD"):
        return "t" not in parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return (path == "/join" and method == "POST") or (
        (path.startswith("/card/") or path == "/verify") and method in ("GET", "HEAD")
    )


async def handle(scope: Scope, receive: Receive, send: Send, store: Store) -> bool:
    """Answer an entry request (:func:`owns`); False lets Solara answer it (``/`` for a
    phone whose cookie names a participant)."""
    path: str = scope.get("path", "")
    if path == "/":
        actor = await _run(actor_for, store, cookies(scope).get(cookie_name(store)))
        if actor is not None:
            return False
        await _respond(send, 200, await _run(join_form, store))
        return True
    if path == "/join":
        await _join(scope, receive, send, store)
    elif path == "/verify":
        code = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("code", [""])[0]
        await _respond(send, 200, await _run(verify_page, store, code[:64]))
    else:
        await _card(scope, send, store, path.removeprefix("/card/"))
    return True


async def _run(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Store work off the event loop: the server's one loop serves every phone."""
    return await anyio.to_thread.run_sync(lambda: func(*args, **kwargs))


async def _join(scope: Scope, receive: Receive, send: Send, store: Store) -> None:
    if not _same_origin(scope):
        await _respond(send, 403, b"forbidden")
        return
    form = await _read_form(receive)
    if form is None:
        await _respond(send, 413, b"too large")
        return
    current = await _run(actor_for, store, cookies(scope).get(cookie_name(store)))
    if current is not None:  # one phone, one person: its page, not a second identity
        await _respond(send, 409, await _run(_already, store, current.display_name))
        return
    name = form.get("name", "")
    address = _address(scope)
    try:
        if not JOINS.allow(address):
            raise SeparError("join_busy")
        token = await _run(
            join, store, name, anonymous=form.get("anonymous") == "1", address=address
        )
    except SeparError as exc:
        page = await _run(join_form, store, name=name[:NAME_MAX], error=exc)
        status, headers = _refusal(exc, 400)
        await _respond(send, status, page, headers)
        return
    await _redirect_home(send, [_set_cookie(scope, store, token)])


def _refusal(exc: SeparError, status: int) -> tuple[int, list[tuple[bytes, bytes]]]:
    """The status and headers of a refused join: 429 with Retry-After for the rate
    limit (in this process or counted in the store), else ``status``."""
    if exc.key == "join_busy":
        return 429, [(b"retry-after", b"60")]
    return status, []


async def _card(scope: Scope, send: Send, store: Store, code: str) -> None:
    current = await _run(actor_for, store, cookies(scope).get(cookie_name(store)))
    if current is not None:
        await _respond(send, 409, await _run(_already, store, current.display_name))
        return
    address = _address(scope)
    try:
        if not JOINS.allow(address):
            raise SeparError("join_busy")
        token = await _run(claim_card, store, code, address=address)
    except SeparError as exc:
        page = await _run(_card_refused, store, exc)
        status, headers = _refusal(exc, 404)
        await _respond(send, status, page, headers)
        return
    await _redirect_home(send, [_set_cookie(scope, store, token)])
