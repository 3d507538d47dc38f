"""The facilitator's console (workbook ``00_live.ipynb`` in Voila): home of a session.

It shows the series of meetings by date, today's session with its plan from the session
guide (:mod:`separ.session_plan`), what the phones and the projector show now and who has
checked in, and it chooses which activity goes live, on which board, poll or Delphi study
(the activity's *target*), for which session, and how people may join. The bar above every
facilitator page (separ's Voila template) leads to the stage workbooks.

Rights come only from the facilitator token in the page's URL, checked against the store:
without it the dashboard is one line of refusal and builds no controls. Every button goes
through :func:`separ.tokens.set_live` / :func:`~separ.tokens.set_join_rules`, which check
the Actor again. The page follows the store (:meth:`LiveDashboard.follow`): a poll opened
in another tab or a phone checking in shows up without a reload. No link here carries the
facilitator token: the laptop may be mirrored to the projector.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging
import os
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as widgets

from separ.actors import Actor
from separ.checkin import arrivals
from separ.errors import SeparError
from separ.i18n import Lang, add_messages, text
from separ.live import activities
from separ.model import Session
from separ.session_plan import FRAME, WORKBOOKS, by_date, plan_for, session_label, todays_session
from separ.store import Store
from separ.tokens import AccessToken, TokenRole, actor_for, live_state, set_join_rules, set_live
from separ.ui.roster import add_roster_section

log = logging.getLogger(__name__)

REFUSAL = text("facilitator_only", "ko")
"""The refusal in Korean; the page adds the English (no language is known without a
facilitator token)."""

NONE = "__none__"
FOLLOW_SECONDS = 1.0
"""How often the open dashboard reads the store's revision (one one-row read)."""

add_messages(
    {
        "live_ui_activity": {"ko": "활동", "en": "Activity"},
        "live_ui_target": {"ko": "대상", "en": "On"},
        "live_ui_session": {"ko": "회차", "en": "Session"},
        "live_ui_none": {"ko": "(없음)", "en": "(none)"},
        "live_ui_newest": {"ko": "(최신)", "en": "(newest)"},
        "live_ui_not_ready": {"ko": " — 아직 띄울 수 없음", "en": " — cannot be shown yet"},
        "live_ui_go": {"ko": "참여자 화면에 띄우기", "en": "Show on phones"},
        "live_ui_stop": {"ko": "멈추기", "en": "Stop"},
        "live_ui_rules": {"ko": "참여 규칙 저장", "en": "Save joining rules"},
        "live_ui_anonymous": {"ko": "이름 없이 참여 허용", "en": "Allow joining without a name"},
        "live_ui_h_now": {"ko": "지금 진행", "en": "Live now"},
        "live_ui_h_join": {"ko": "참여 방법", "en": "Joining"},
        "live_ui_h_checkins": {"ko": "체크인", "en": "Check-in"},
        "live_ui_h_series": {"ko": "회차 일정", "en": "The series"},
        "live_ui_h_today": {"ko": "오늘", "en": "Today"},
        "live_ui_h_next": {"ko": "다음 회차", "en": "Next session"},
        "live_ui_h_last": {"ko": "마지막 회차", "en": "Last session"},
        "live_ui_showing": {"ko": "지금 화면", "en": "Showing"},
        "live_ui_nothing": {"ko": "없음", "en": "nothing"},
        "live_ui_phones": {"ko": "참여한 휴대폰 {n}대", "en": "{n} phones joined"},
        "live_ui_checked": {"ko": "{n}명 체크인", "en": "{n} checked in"},
        "live_ui_no_checkins": {
            "ko": "아직 체크인한 사람이 없습니다.",
            "en": "Nobody has checked in yet.",
        },
        "live_ui_no_session": {
            "ko": "회차를 고르면 체크인이 여기에 나옵니다.",
            "en": "Choose a session to see its check-ins here.",
        },
        "live_ui_purpose": {"ko": "목적", "en": "Purpose"},
        "live_ui_do": {"ko": "할 일", "en": "To do"},
        "live_ui_agenda": {"ko": "회차 안건", "en": "Agenda"},
        "live_ui_time": {"ko": "시간", "en": "Time"},
        "live_ui_what": {"ko": "내용", "en": "What"},
        "live_ui_minutes": {"ko": "{n}분", "en": "{n} min"},
        "live_ui_pages": {"ko": "쓸 페이지", "en": "Pages"},
        "live_ui_date": {"ko": "일자", "en": "Date"},
        "live_ui_place": {"ko": "장소", "en": "Place"},
        "live_ui_no_sessions": {"ko": "회차가 아직 없습니다.", "en": "No sessions yet."},
        "live_ui_join_at": {
            "ko": "참여 주소 (QR과 같음)",
            "en": "Join address (same as the QR code)",
        },
        "live_ui_projector": {
            "ko": "프로젝터 화면 열기 (새 창, 보기 전용)",
            "en": "Open the projector screen (new window, view only)",
        },
    }
)


def _t(lang: Lang, key: str, **params: object) -> str:
    """A console text from the table above (``key`` without its ``live_ui_`` prefix)."""
    return text(f"live_ui_{key}", lang, **params)


STYLE = """<style>
.separ-console { font-size: 15px; }
.separ-console h3 { margin: 4px 0 6px 0; font-size: 18px; }
.separ-console table { border-collapse: collapse; }
.separ-console td, .separ-console th { padding: 3px 10px 3px 0; text-align: left;
  vertical-align: top; word-break: keep-all; }
.separ-console th { color: #444; font-weight: 600; }
.separ-console .separ-current td { font-weight: 700; background: #eef6fc; }
.separ-console a.separ-go { display: inline-block; padding: 4px 10px; margin: 2px 4px 2px 0;
  border: 1px solid #0f3d5e; border-radius: 6px; color: #0f3d5e; text-decoration: none; }
.separ-console .separ-muted { color: #555; }
.separ-console ul.separ-lines { margin: 4px 0; padding-left: 18px; max-height: 220px;
  overflow-y: auto; }
</style>"""


def token_from_query(query: str | None = None) -> str | None:
    """The facilitator token of the page URL (Voila hands the query string to the kernel).

    ``token`` is what ``separ serve`` prints (Voila checks it too); ``key`` is for a
    Jupyter server behind JupyterHub, which keeps ``token`` for its own login.
    """
    found = parse_qs(query if query is not None else os.environ.get("QUERY_STRING", ""))
    values = found.get("token") or found.get("key")
    return values[0] if values else None


def _dated(session: Session, lang: Lang) -> str:
    when = f" ({session.date.isoformat()})" if session.date else ""
    return f"{session_label(session, lang)}{when}"


def workbook_link(stem: str, lang: Lang) -> str:
    """A link to a stage workbook; the page's bar script adds the facilitator's token on
    click, so the link itself never shows it."""
    ko, en = WORKBOOKS[stem]
    return (
        f"<a class='separ-go' data-separ-workbook='{stem}' href='{stem}.ipynb'>"
        f"{html.escape(ko if lang == 'ko' else en)}</a>"
    )


def plan_html(session: Session | None, today: dt.date, lang: Lang) -> str:
    """Today's (else the next, else the last) session and its plan from the session guide."""
    if session is None:
        return f"<h3>{_t(lang, 'h_today')}</h3><p class='separ-muted'>{_t(lang, 'no_sessions')}</p>"
    head = _t(
        lang,
        "h_today"
        if session.date in (None, today)
        else "h_next"
        if session.date and session.date > today
        else "h_last",
    )
    plan = plan_for(session)
    where = f" · {html.escape(session.place)}" if session.place else ""
    agenda = "".join(f"<li>{html.escape(line)}</li>" for line in session.agenda)
    frame = "".join(
        f"<tr><td>{step.clock()}</td><td>{html.escape(step.what[lang])}</td>"
        f"<td>{_t(lang, 'minutes', n=step.minutes)}</td></tr>"
        for step in FRAME
    )
    pages = "".join(workbook_link(stem, lang) for stem in plan.workbooks)
    return (
        f"<h3>{head}: {html.escape(_dated(session, lang))}{where}</h3>"
        f"<p><b>{_t(lang, 'purpose')}</b>: {html.escape(plan.purpose[lang])}<br>"
        f"<b>{_t(lang, 'do')}</b>: {html.escape(plan.activities[lang])}</p>"
        + (f"<p><b>{_t(lang, 'agenda')}</b></p><ul>{agenda}</ul>" if agenda else "")
        + f"<p><b>{_t(lang, 'pages')}</b>: {pages}</p>"
        f"<table><tr><th>{_t(lang, 'time')}</th><th>{_t(lang, 'what')}</th><th></th></tr>"
        f"{frame}</table>"
    )


def series_html(sessions: list[Session], current: Session | None, lang: Lang) -> str:
    """Every round and meeting by date; the current one marked."""
    if not sessions:
        return f"<p class='separ-muted'>{_t(lang, 'no_sessions')}</p>"
    rows = "".join(
        "<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
            " class='separ-current'" if current is not None and s.id == current.id else "",
            html.escape(session_label(s, lang)),
            s.date.isoformat() if s.date else "",
            html.escape(s.place or ""),
            html.escape(" · ".join(s.agenda)),
        )
        for s in by_date(sessions)
    )
    return (
        f"<table><tr><th>{_t(lang, 'session')}</th><th>{_t(lang, 'date')}</th>"
        f"<th>{_t(lang, 'place')}</th><th>{_t(lang, 'agenda')}</th></tr>{rows}</table>"
    )


class LiveDashboard(widgets.VBox):  # type: ignore[misc]
    """The console; built only for a facilitator Actor."""

    def __init__(
        self, store: Store, actor: Actor, lang: Lang | None = None, today: dt.date | None = None
    ) -> None:
        self.store = store
        self.actor = actor
        self.lang: Lang = lang or store.workshop().lang
        self.today = today or dt.date.today()
        self._revision: int | None = None
        self._task: asyncio.Task[None] | None = None
        lang = self.lang
        wide = widgets.Layout(width="100%", max_width="440px")
        self.activity = widgets.Dropdown(description=_t(lang, "activity"), layout=wide)
        self.target = widgets.Dropdown(
            description=_t(lang, "target"), layout=widgets.Layout(width="100%", max_width="440px")
        )
        self.session = widgets.Dropdown(
            description=_t(lang, "session"), layout=widgets.Layout(width="100%", max_width="440px")
        )
        self.anonymous = widgets.Checkbox(description=_t(lang, "anonymous"))
        self.go = widgets.Button(
            description=_t(lang, "go"),
            button_style="primary",
            layout=widgets.Layout(width="220px", height="44px"),
        )
        self.stop = widgets.Button(
            description=_t(lang, "stop"), layout=widgets.Layout(width="120px", height="44px")
        )
        self.rules = widgets.Button(
            description=_t(lang, "rules"), layout=widgets.Layout(width="180px", height="44px")
        )
        self.status = widgets.HTML()
        self.summary = widgets.HTML()
        self.checkins = widgets.HTML()
        self.plan = widgets.HTML()
        self.series = widgets.HTML()
        self.join_links = widgets.HTML()
        self.go.on_click(self._go)
        self.stop.on_click(self._stop)
        self.rules.on_click(self._rules)
        self.activity.observe(lambda _change: self._targets(self.target.value), "value")
        self.session.observe(lambda _change: self._show_checkins(), "value")
        title = html.escape(store.workshop().title)
        left = widgets.VBox(
            [
                widgets.HTML(f"<h3>{_t(lang, 'h_now')}</h3>"),
                self.summary,
                self.activity,
                self.target,
                self.session,
                widgets.HBox([self.go, self.stop]),
                self.status,
                widgets.HTML(f"<h3>{_t(lang, 'h_checkins')}</h3>"),
                self.checkins,
            ],
            layout=widgets.Layout(flex="1 1 420px", min_width="0", padding="0 16px 0 0"),
        )
        right = widgets.VBox([self.plan], layout=widgets.Layout(flex="1 1 420px", min_width="0"))
        more = widgets.Accordion(
            [
                self.series,
                widgets.VBox([self.join_links, self.anonymous, self.rules]),
            ]
        )
        more.set_title(0, _t(lang, "h_series"))
        more.set_title(1, _t(lang, "h_join"))
        add_roster_section(more, store, actor, self.lang)
        super().__init__(
            [
                widgets.HTML(f"{STYLE}<h2 style='margin:4px 0'>{title}</h2>"),
                widgets.HBox(
                    [left, right], layout=widgets.Layout(flex_flow="row wrap", width="100%")
                ),
                more,
            ]
        )
        self.add_class("separ-console")
        self.refresh()

    def _t(self, key: str, **params: object) -> str:
        return _t(self.lang, key, **params)

    # ---- actions -------------------------------------------------------------------------

    def _run(self, action: Any) -> None:
        try:
            action()
        except SeparError as exc:
            self.status.value = (
                f"<p style='color:#b00020'>{html.escape(exc.message(self.lang))}</p>"
            )
            return
        self.refresh()

    def _go(self, _button: Any = None) -> None:
        kind = self.activity.value
        session = self.session.value
        target = self.target.value
        self._run(
            lambda: set_live(
                self.store,
                self.actor,
                None if kind == NONE else kind,
                None if session == NONE else session,
                None if target in (NONE, None) else target,
            )
        )

    def _stop(self, _button: Any = None) -> None:
        self._run(lambda: set_live(self.store, self.actor, None, live_state(self.store).session_id))

    def _rules(self, _button: Any = None) -> None:
        self._run(
            lambda: set_join_rules(
                self.store,
                self.actor,
                allow_anonymous=self.anonymous.value is True,
            )
        )

    # ---- what the page shows -------------------------------------------------------------

    def _targets(self, chosen: str | None = None) -> None:
        """The chosen activity's boards, polls or studies by title, as the store has them
        now; hidden when it takes none.

        "(최신)" lets :func:`~separ.tokens.set_live` take the newest one that is ready; one
        not ready (a draft or closed poll) is listed with why, and set_live refuses it.
        """
        found = activities.get(self.activity.value) if self.activity.value != NONE else None
        if found is None or found.targets is None:
            self.target.options = [("-", NONE)]
            self.target.layout.display = "none"
            return
        listed = found.list_targets(self.store)
        options = [(self._t("newest"), NONE)] + [
            (t.title + ("" if t.refusal is None else self._t("not_ready")), t.id)
            for t in reversed(listed)
        ]
        if list(self.target.options) != options:
            self.target.options = options
        self.target.value = chosen if chosen in {t.id for t in listed} else NONE
        self.target.layout.display = None

    def _show_now(self) -> None:
        state = live_state(self.store)
        known = activities.known()
        live = (
            known[state.activity].label[self.lang]
            if state.activity in known
            else self._t("nothing")
        )
        if state.activity in known and state.target_id:
            titles = {t.id: t.title for t in known[state.activity].list_targets(self.store)}
            live += f" · {titles.get(state.target_id, state.target_id)}"
        if state.session_id:
            found = self.store.list(Session, id=state.session_id)
            if found:
                live += f" · {session_label(found[0], self.lang)}"
        joined = len(self.store.list(AccessToken, role=TokenRole.participant))
        self.summary.value = (
            f"<p>{self._t('showing')}: <b>{html.escape(live)}</b> · "
            f"{self._t('phones', n=joined)}</p>"
        )

    def _checkin_session(self) -> str | None:
        chosen = self.session.value
        return None if chosen in (NONE, None) else str(chosen)

    def _show_checkins(self) -> None:
        """The lines people typed when they checked in to the chosen session."""
        session = self._checkin_session()
        if session is None:
            self.checkins.value = f"<p class='separ-muted'>{self._t('no_session')}</p>"
            return
        people = arrivals(self.store, session)
        if not people:
            self.checkins.value = f"<p class='separ-muted'>{self._t('no_checkins')}</p>"
            return
        lines = "".join(
            f"<li><b>{html.escape(a.name)}</b>"
            + (f" — {html.escape(a.line)}" if a.line else "")
            + "</li>"
            for a in people
        )
        self.checkins.value = (
            f"<p><b>{self._t('checked', n=len(people))}</b></p><ul class='separ-lines'>{lines}</ul>"
        )

    def _show_series(self) -> None:
        sessions = self.store.list(Session)
        current = todays_session(sessions, self.today)
        self.plan.value = plan_html(current, self.today, self.lang)
        self.series.value = series_html(sessions, current, self.lang)

    def _show_links(self) -> None:
        """The join address (public) and the projector's view-only link (never the
        facilitator's token)."""
        join_url = os.environ.get("SEPAR_PARTICIPANT_URL")
        projector_url = os.environ.get("SEPAR_PROJECTOR_URL")
        parts = []
        if join_url:
            parts.append(f"<p>{self._t('join_at')}: <code>{html.escape(join_url)}</code></p>")
        if projector_url:
            parts.append(
                f"<p><a class='separ-go' target='_blank' rel='noopener' "
                f"href='{html.escape(projector_url)}'>{self._t('projector')}</a></p>"
            )
        self.join_links.value = "".join(parts)

    def refresh(self) -> None:
        """Everything from the store, the controls set to what is live now."""
        state = live_state(self.store)
        known = activities.known()
        self.activity.options = [(self._t("none"), NONE)] + [
            (a.label[self.lang], k) for k, a in known.items()
        ]
        sessions = by_date(self.store.list(Session))
        self.session.options = [(self._t("none"), NONE)] + [
            (_dated(s, self.lang), s.id) for s in sessions
        ]
        self.activity.value = state.activity if state.activity in known else NONE
        self._targets(state.target_id)
        today = todays_session(sessions, self.today)
        self.session.value = state.session_id or (today.id if today else NONE)
        self.anonymous.value = state.allow_anonymous
        self.status.value = ""
        self._show_now()
        self._show_checkins()
        self._show_series()
        self._show_links()
        self._revision = self.store.revision()

    def on_store_change(self) -> bool:
        """Follow what others wrote (phones, another tab) without touching the controls the
        facilitator may be setting: the target list, what is live, check-ins, the series.
        Returns whether the store had moved."""
        revision = self.store.revision()
        if revision == self._revision:
            return False
        self._revision = revision
        self._targets(self.target.value)
        self._show_now()
        self._show_checkins()
        self._show_series()
        return True

    async def _follow(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                self.on_store_change()
            except Exception:  # a failed read must not end the following
                log.exception("the dashboard could not follow the store")

    def follow(self, interval: float = FOLLOW_SECONDS) -> LiveDashboard:
        """Keep the page in step with the store on the kernel's event loop (Voila's kernel
        runs one); outside a running loop (a plain script) nothing follows."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return self
        if self._task is None:
            self._task = loop.create_task(self._follow(interval))
        return self


def facilitator_dashboard(store: Store, query: str | None = None) -> widgets.Widget:
    """The console for a facilitator token in the URL; otherwise only the refusal."""
    actor = actor_for(store, token_from_query(query))
    if actor is None or not actor.facilitator:
        return widgets.HTML(
            f"<p style='font-size:20px;color:#b00020'>{REFUSAL} · "
            f"{text('facilitator_only', 'en')}</p>"
        )
    return LiveDashboard(store, actor).follow()
