"""The facilitator's live dashboard (workbook ``00_live.ipynb`` in Voila).

It chooses which activity the phones show, on which board, poll or Delphi study (the
activity's *target*, listed by title), for which session, and whether people may join
anonymously or as a listed name. Rights come only from the facilitator token in
the page's URL, checked against the store: without it the dashboard is one line of
refusal and builds no controls. Every button goes through
:func:`separ.tokens.set_live` / :func:`~separ.tokens.set_join_rules`, which check the
Actor again.
"""

from __future__ import annotations

import html
import os
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as widgets

from separ.actors import Actor
from separ.errors import SeparError
from separ.live import activities
from separ.model import Session
from separ.store import Store
from separ.tokens import AccessToken, TokenRole, actor_for, live_state, set_join_rules, set_live

REFUSAL = "진행자 권한이 필요합니다"
NONE = "__none__"


def token_from_query(query: str | None = None) -> str | None:
    """The facilitator token of the page URL (Voila hands the query string to the kernel).

    ``token`` is what ``separ serve`` prints (Voila checks it too); ``key`` is for a
    Jupyter server behind JupyterHub, which keeps ``token`` for its own login.
    """
    found = parse_qs(query if query is not None else os.environ.get("QUERY_STRING", ""))
    values = found.get("token") or found.get("key")
    return values[0] if values else None


def session_label(session: Session) -> str:
    when = f" ({session.date.isoformat()})" if session.date else ""
    head = f"{session.round}회차" if session.round else session.kind.label("ko")
    return f"{head}{when}"


class LiveDashboard(widgets.VBox):  # type: ignore[misc]
    """Controls of the room; built only for a facilitator Actor."""

    def __init__(self, store: Store, actor: Actor) -> None:
        self.store = store
        self.actor = actor
        self.activity = widgets.Dropdown(description="활동",
                                         layout=widgets.Layout(width="100%", max_width="420px"))
        self.target = widgets.Dropdown(description="대상",
                                       layout=widgets.Layout(width="100%", max_width="420px"))
        self.session = widgets.Dropdown(description="회차",
                                        layout=widgets.Layout(width="100%", max_width="420px"))
        self.anonymous = widgets.Checkbox(description="이름 없이 참여 허용")
        self.name_match = widgets.Checkbox(description="명단의 이름으로 참여 허용")
        self.go = widgets.Button(description="참여자 화면에 띄우기", button_style="primary",
                                 layout=widgets.Layout(width="220px", height="44px"))
        self.stop = widgets.Button(description="멈추기",
                                   layout=widgets.Layout(width="120px", height="44px"))
        self.rules = widgets.Button(description="참여 규칙 저장",
                                    layout=widgets.Layout(width="160px", height="44px"))
        self.status = widgets.HTML()
        self.summary = widgets.HTML()
        self.go.on_click(self._go)
        self.stop.on_click(self._stop)
        self.rules.on_click(self._rules)
        self.activity.observe(lambda _change: self._targets(), "value")
        super().__init__([
            widgets.HTML("<h3>지금 진행할 활동</h3>"), self.activity, self.target, self.session,
            widgets.HBox([self.go, self.stop]),
            widgets.HTML("<h3>참여 방법</h3>"), self.anonymous, self.name_match, self.rules,
            self.status, self.summary])
        self.refresh()

    def _run(self, action: Any) -> None:
        try:
            action()
        except SeparError as exc:
            self.status.value = f"<p style='color:#b00020'>{html.escape(exc.message('ko'))}</p>"
            return
        self.refresh()

    def _go(self, _button: Any = None) -> None:
        kind = self.activity.value
        session = self.session.value
        target = self.target.value
        self._run(lambda: set_live(self.store, self.actor, None if kind == NONE else kind,
                                   None if session == NONE else session,
                                   None if target in (NONE, None) else target))

    def _stop(self, _button: Any = None) -> None:
        self._run(lambda: set_live(self.store, self.actor, None,
                                   live_state(self.store).session_id))

    def _rules(self, _button: Any = None) -> None:
        self._run(lambda: set_join_rules(self.store, self.actor,
                                         allow_anonymous=self.anonymous.value is True,
                                         allow_name_match=self.name_match.value is True))

    def _targets(self, chosen: str | None = None) -> None:
        """The chosen activity's boards, polls or studies by title; hidden when it takes none.

        "(최신)" lets :func:`~separ.tokens.set_live` take the newest one that is ready; one
        not ready (a draft poll) is listed with why, and set_live refuses it.
        """
        found = activities.get(self.activity.value) if self.activity.value != NONE else None
        if found is None or found.targets is None:
            self.target.options = [("-", NONE)]
            self.target.layout.display = "none"
            return
        listed = found.list_targets(self.store)
        self.target.options = [("(최신)", NONE)] + [
            (t.title + ("" if t.refusal is None else " — 아직 띄울 수 없음"), t.id)
            for t in reversed(listed)]
        self.target.value = chosen if chosen in {t.id for t in listed} else NONE
        self.target.layout.display = None

    def refresh(self) -> None:
        state = live_state(self.store)
        known = activities.known()
        self.activity.options = [("(없음)", NONE)] + [(a.label["ko"], k) for k, a in known.items()]
        sessions = sorted(self.store.list(Session),
                          key=lambda s: (s.round is None, s.round or 0, str(s.date)))
        self.session.options = [("(없음)", NONE)] + [(session_label(s), s.id) for s in sessions]
        self.activity.value = state.activity if state.activity in known else NONE
        self._targets(state.target_id)
        self.session.value = state.session_id or NONE
        self.anonymous.value = state.allow_anonymous
        self.name_match.value = state.allow_name_match
        joined = len(self.store.list(AccessToken, role=TokenRole.participant))
        live = known[state.activity].label["ko"] if state.activity in known else "없음"
        if state.activity in known and state.target_id:
            titles = {t.id: t.title for t in known[state.activity].list_targets(self.store)}
            live += f" · {titles.get(state.target_id, state.target_id)}"
        links = "".join(
            f"<li>{label}: <code>{html.escape(os.environ[var])}</code></li>"
            for label, var in (("참여자", "SEPAR_PARTICIPANT_URL"),
                               ("프로젝터", "SEPAR_PROJECTOR_URL"))
            if os.environ.get(var))
        self.status.value = ""
        self.summary.value = (f"<p>지금 화면: <b>{html.escape(live)}</b> · 참여한 휴대폰 "
                              f"<b>{joined}</b>대</p><ul>{links}</ul>")


def facilitator_dashboard(store: Store, query: str | None = None) -> widgets.Widget:
    """The dashboard for a facilitator token in the URL; otherwise only the refusal."""
    actor = actor_for(store, token_from_query(query))
    if actor is None or not actor.facilitator:
        return widgets.HTML(f"<p style='font-size:20px;color:#b00020'>{REFUSAL}</p>")
    return LiveDashboard(store, actor)
