"""The way in, over plain HTTP against the real participant server: one phone is one
person (an HttpOnly room cookie, a second join refused), roster cards, a join rate limit."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from urllib.parse import urlencode, urlsplit

import pytest

from separ.limits import JOINS_PER_MINUTE
from separ.live.entry import cookie_name
from separ.model import Participant
from separ.tokens import actor_for, issue_cards
from tests.live_server import FACILITATOR, Running, participant_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with participant_server(tmp_path_factory.mktemp("entry") / "seosan") as running:
        yield running


def _request(
    server: Running,
    method: str,
    path: str,
    *,
    body: dict[str, str] | None = None,
    cookie: str | None = None,
    origin: str | None = None,
    address: str | None = None,
) -> http.client.HTTPResponse:
    """One request; ``address`` poses as a client behind a proxy on this host (uvicorn
    takes X-Forwarded-For from loopback only)."""
    host = urlsplit(server.base).netloc
    conn = http.client.HTTPConnection(host, timeout=30)
    headers = {"host": host}
    if cookie:
        headers["cookie"] = cookie
    if origin:
        headers["origin"] = origin
    if address:
        headers["x-forwarded-for"] = address
    data = None
    if body is not None:
        data = urlencode(body).encode()
        headers["content-type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    response.read()
    return response


def _page(server: Running, path: str = "/", cookie: str | None = None) -> str:
    host = urlsplit(server.base).netloc
    conn = http.client.HTTPConnection(host, timeout=30)
    conn.request("GET", path, headers={"cookie": cookie} if cookie else {})
    return conn.getresponse().read().decode("utf-8")


def _room_cookie(server: Running, response: http.client.HTTPResponse) -> tuple[str, str]:
    with server.store() as store:
        name = cookie_name(store)
    (header,) = [v for k, v in response.getheaders() if k.lower() == "set-cookie"]
    first, *attributes = [part.strip() for part in header.split(";")]
    key, value = first.split("=", 1)
    assert key == name
    assert "HttpOnly" in attributes and "Path=/" in attributes and "SameSite=Lax" in attributes
    assert int(next(a for a in attributes if a.startswith("Max-Age="))[8:]) >= 90 * 24 * 3600
    return key, value


def test_join_sets_the_room_cookie_and_a_second_join_is_refused(server: Running) -> None:
    form = _page(server)
    assert "<html lang='ko'>" in form and "서산" in form  # the join page names the workshop
    assert "<label for='separ-name'>이름</label>" in form
    assert "user-scalable" not in form and "maximum-scale" not in form  # zoom allowed

    joined = _request(server, "POST", "/join", body={"name": "홍길동"})
    assert joined.status == 303 and joined.getheader("location") == "/"
    key, token = _room_cookie(server, joined)
    cookie = f"{key}={token}"
    with server.store() as store:
        actor = actor_for(store, token)
        assert actor is not None and actor.display_name == "홍길동"
        before = len(store.list(Participant))
    # the join link opened again on that phone: its own page (Solara's), not the form
    assert "<form method='post' action='/join'>" not in _page(server, "/", cookie)
    # a second join from it, by form or by card, makes nobody new
    for _ in range(5):
        again = _request(server, "POST", "/join", body={"name": "홍길동"}, cookie=cookie)
        assert again.status == 409 and again.getheader("set-cookie") is None
    assert _request(server, "GET", "/card/anything", cookie=cookie).status == 409
    with server.store() as store:
        assert len(store.list(Participant)) == before


def test_a_cross_site_or_oversized_join_is_refused(server: Running) -> None:
    with server.store() as store:
        before = len(store.list(Participant))
    assert (
        _request(
            server, "POST", "/join", body={"name": "남의 사이트"}, origin="http://evil.example"
        ).status
        == 403
    )
    assert _request(server, "POST", "/join", body={"name": "가" * 5000}).status == 413
    too_long = _request(server, "POST", "/join", body={"name": "가" * 201})
    assert too_long.status == 400
    with server.store() as store:
        assert len(store.list(Participant)) == before


def test_a_roster_card_joins_as_that_person(server: Running) -> None:
    with server.store() as store:
        cards = issue_cards(store, FACILITATOR)
    person, code = cards[0]
    claimed = _request(server, "GET", f"/card/{code}")
    assert claimed.status == 303
    _key, token = _room_cookie(server, claimed)
    with server.store() as store:
        actor = actor_for(store, token)
    assert actor is not None and actor.participant_id == person.id
    assert _request(server, "GET", f"/card/{code[:-2]}xx").status == 404


def test_joins_are_rate_limited_per_address(server: Running) -> None:
    statuses = [
        _request(server, "POST", "/join", body={"name": f"봇{i}"}).status
        for i in range(JOINS_PER_MINUTE + 5)
    ]
    # earlier tests of this module joined from the same address (127.0.0.1) too
    assert statuses.count(303) <= JOINS_PER_MINUTE and statuses[-5:] == [429] * 5
    with server.store() as store:
        bots = [p for p in store.list(Participant) if p.name.startswith("봇")]
    assert len(bots) == statuses.count(303)


def test_the_join_limit_holds_across_server_processes(server: Running) -> None:
    """Two participant processes on one store, as ``separ serve --workers 2`` runs them:
    joins from one address alternate between them; each process alone saw only half,
    yet the eleventh join is refused by both, because the count is in the store."""
    with participant_server(server.folder) as other:
        statuses = [
            _request(
                (server, other)[i % 2], "POST", "/join", body={"name": f"둘{i}"}, address="10.1.2.3"
            ).status
            for i in range(JOINS_PER_MINUTE + 4)
        ]
        assert statuses == [303] * JOINS_PER_MINUTE + [429] * 4, statuses
        refused = _request(other, "POST", "/join", body={"name": "둘"}, address="10.1.2.3")
        assert refused.status == 429 and refused.getheader("retry-after") == "60"
        # another address still joins, on either process
        assert (
            _request(other, "POST", "/join", body={"name": "셋"}, address="10.1.2.4").status == 303
        )
    with server.store() as store:
        joined = [p for p in store.list(Participant) if p.name.startswith("둘")]
    assert len(joined) == JOINS_PER_MINUTE
