"""Widgets of the roadmap: the facilitator edits the plan, participants comment and volunteer.

Thin views over :mod:`separ.roadmap`: every button calls one domain function with the
page's :class:`~separ.actors.Actor`, which re-checks rights and values, and shows a
:class:`~separ.errors.SeparError` as one line in the workshop's language. ``refresh()``
re-reads the store (the live layer calls it when the store's revision moves).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as widgets

from separ import roadmap
from separ.actors import Actor
from separ.errors import SeparError
from separ.i18n import Lang, add_messages, text
from separ.live.runtime import shared
from separ.model import Session
from separ.roadmap import Importance, Plan, load_plan
from separ.store import Store
from separ.ui.base import ActionView, figure_widget

if TYPE_CHECKING:
    from matplotlib.figure import Figure

add_messages(
    {
        "roadmap_ui_strategy": {"ko": "전략", "en": "Strategy"},
        "roadmap_ui_task": {"ko": "과제", "en": "Task"},
        "roadmap_ui_up": {"ko": "▲ 위로", "en": "▲ Up"},
        "roadmap_ui_down": {"ko": "▼ 아래로", "en": "▼ Down"},
        "roadmap_ui_title": {"ko": "과제명", "en": "Task title"},
        "roadmap_ui_lead": {"ko": "주관", "en": "Lead"},
        "roadmap_ui_importance": {"ko": "중요 정도", "en": "Importance"},
        "roadmap_ui_save": {"ko": "저장", "en": "Save"},
        "roadmap_ui_target": {"ko": "옮길 전략", "en": "Move to"},
        "roadmap_ui_move": {"ko": "다른 전략으로 옮기기", "en": "Move to that strategy"},
        "roadmap_ui_new_code": {"ko": "새 번호", "en": "New code"},
        "roadmap_ui_new_code_hint": {"ko": "예: 2-5", "en": "e.g. 2-5"},
        "roadmap_ui_new_title": {"ko": "새 과제명", "en": "New task"},
        "roadmap_ui_add": {"ko": "과제 추가", "en": "Add task"},
        "roadmap_ui_strategy_code": {"ko": "전략 번호", "en": "Strategy code"},
        "roadmap_ui_strategy_code_hint": {"ko": "예: 5", "en": "e.g. 5"},
        "roadmap_ui_strategy_title": {"ko": "전략명", "en": "Strategy title"},
        "roadmap_ui_add_strategy": {"ko": "전략 추가", "en": "Add strategy"},
        "roadmap_ui_reordered": {"ko": "순서를 바꿨습니다", "en": "Order changed"},
        "roadmap_ui_saved": {"ko": "저장했습니다", "en": "Saved"},
        "roadmap_ui_moved": {"ko": "옮겼습니다", "en": "Moved"},
        "roadmap_ui_added": {"ko": "과제를 추가했습니다", "en": "Task added"},
        "roadmap_ui_strategy_added": {"ko": "전략을 추가했습니다", "en": "Strategy added"},
        "roadmap_ui_session": {"ko": "회차", "en": "Session"},
        "roadmap_ui_goal": {"ko": "핵심목표", "en": "Core goal"},
        "roadmap_ui_valid": {"ko": "아직 유효함", "en": "Still valid"},
        "roadmap_ui_feasible": {"ko": "실현 가능함", "en": "Feasible"},
        "roadmap_ui_note": {"ko": "메모", "en": "Note"},
        "roadmap_ui_record": {"ko": "점검 기록", "en": "Record check"},
        "roadmap_ui_recorded": {"ko": "기록했습니다", "en": "Recorded"},
        "roadmap_ui_h_tasks": {"ko": "전략과 과제", "en": "Strategies and tasks"},
        "roadmap_ui_h_selected": {"ko": "선택한 과제", "en": "Selected task"},
        "roadmap_ui_h_add": {"ko": "과제 추가", "en": "Add a task"},
        "roadmap_ui_h_add_strategy": {"ko": "전략 추가", "en": "Add a strategy"},
        "roadmap_ui_h_checkin": {"ko": "목표 점검", "en": "Goal check-in"},
        "roadmap_ui_round": {"ko": "{n}회차", "en": "Round {n}"},
        # the participant's phone page
        "roadmap_ui_comment_hint": {"ko": "이 과제에 대한 의견", "en": "Your comment on this task"},
        "roadmap_ui_send": {"ko": "의견 보내기", "en": "Send comment"},
        "roadmap_ui_wish_hint": {
            "ko": "하고 싶은 일 (선택)",
            "en": "What you would like to do (optional)",
        },
        "roadmap_ui_join": {"ko": "이 분과에 참여하기", "en": "Join this sub-committee"},
        "roadmap_ui_h_comments": {"ko": "과제 의견", "en": "Comments on tasks"},
        "roadmap_ui_how_comment": {
            "ko": "과제를 고르고 의견을 적어 '의견 보내기'를 누르세요.",
            "en": "Choose a task, write your comment and tap 'Send comment'.",
        },
        "roadmap_ui_h_join": {"ko": "분과 참여", "en": "Join a sub-committee"},
        "roadmap_ui_how_join": {
            "ko": "함께 할 분과를 고르고 '이 분과에 참여하기'를 누르세요.",
            "en": "Choose the sub-committee you want to work in and tap 'Join this sub-committee'.",
        },
        "roadmap_ui_joined": {
            "ko": "참여 신청한 분과: {names}",
            "en": "You volunteered for: {names}",
        },
        "roadmap_ui_comment_sent": {"ko": "의견을 보냈습니다", "en": "Comment sent"},
        "roadmap_ui_join_received": {"ko": "참여 신청을 받았습니다", "en": "You are on the list"},
        # the projector
        "roadmap_ui_card_comments": {"ko": "{title} · 의견 {n}", "en": "{title} · {n} comments"},
        "roadmap_ui_card_people": {"ko": "{name} · {n}명", "en": "{name} · {n}"},
        "roadmap_ui_h_volunteers": {"ko": "분과 참여 신청", "en": "Sub-committee volunteers"},
        "roadmap_ui_no_comments": {"ko": "아직 의견이 없습니다.", "en": "No comments yet."},
    }
)


def _r(lang: Lang, key: str, **params: object) -> str:
    return text(f"roadmap_ui_{key}", lang, **params)


def _heading(lang: Lang, tag: str, key: str) -> widgets.HTML:
    return widgets.HTML(f"<{tag}>{html.escape(_r(lang, key))}</{tag}>")


def _session_name(session: Session, lang: Lang) -> str:
    when = f" ({session.date.isoformat()})" if session.date else ""
    if session.round:
        return _r(lang, "round", n=session.round) + when
    return f"{session.kind.label(lang)}{when}"


def _wide() -> widgets.Layout:
    """A new layout per widget: a Layout shared between pages breaks under Solara."""
    return widgets.Layout(width="440px")


def _task_option(plan: Plan, task: roadmap.Task) -> tuple[str, str]:
    group = f"〈{task.group}〉 " if task.group else ""
    return f"{group}{task.code} {task.title}", task.id


class RoadmapEditor(ActionView):
    """Facilitator's editor: strategies and tasks, their order, their column and plan fields."""

    def __init__(self, store: Store, actor: Actor, lang: Lang = "ko") -> None:
        def r(key: str) -> str:
            return _r(lang, key)

        self.store, self.actor, self.lang = store, actor, lang
        self.status = widgets.HTML()
        if not actor.facilitator:
            super().__init__(
                [
                    widgets.HTML(
                        f"<p>{html.escape(SeparError('facilitator_only').message(lang))}</p>"
                    )
                ]
            )
            return
        self.strategy = widgets.Dropdown(description=r("strategy"), layout=_wide())
        self.tasks = widgets.Select(description=r("task"), rows=8, layout=_wide())
        self.up = widgets.Button(description=r("up"))
        self.down = widgets.Button(description=r("down"))
        self.title = widgets.Text(description=r("title"), layout=_wide())
        self.lead = widgets.Text(description=r("lead"), layout=_wide())
        self.importance = widgets.Dropdown(
            description=r("importance"),
            options=[("", None)] + [(c.label(lang), c.value) for c in Importance],
        )
        self.save = widgets.Button(description=r("save"), button_style="primary")
        self.target = widgets.Dropdown(description=r("target"), layout=_wide())
        self.move = widgets.Button(description=r("move"))
        self.new_code = widgets.Text(description=r("new_code"), placeholder=r("new_code_hint"))
        self.new_title = widgets.Text(description=r("new_title"), layout=_wide())
        self.add = widgets.Button(description=r("add"))
        self.new_strategy_code = widgets.Text(
            description=r("strategy_code"), placeholder=r("strategy_code_hint")
        )
        self.new_strategy_title = widgets.Text(description=r("strategy_title"), layout=_wide())
        self.add_strategy = widgets.Button(description=r("add_strategy"))
        self.strategy.observe(lambda _: self._show_tasks(), names="value")
        self.tasks.observe(lambda _: self._show_task(), names="value")
        self.up.on_click(lambda _: self._reorder(-1))
        self.down.on_click(lambda _: self._reorder(1))
        self.save.on_click(lambda _: self._save())
        self.move.on_click(lambda _: self._move())
        self.add.on_click(lambda _: self._add())
        self.add_strategy.on_click(lambda _: self._add_strategy())
        self.plan: Plan | None = None
        head = self._head
        super().__init__(
            [
                head("h3", "h_tasks"),
                self.strategy,
                self.tasks,
                widgets.HBox([self.up, self.down]),
                head("h4", "h_selected"),
                self.title,
                self.lead,
                self.importance,
                self.save,
                widgets.HBox([self.target, self.move]),
                head("h4", "h_add"),
                self.new_code,
                self.new_title,
                self.add,
                head("h4", "h_add_strategy"),
                self.new_strategy_code,
                self.new_strategy_title,
                self.add_strategy,
                self.status,
            ]
        )
        self.refresh()

    def _head(self, tag: str, key: str) -> widgets.HTML:
        return _heading(self.lang, tag, key)

    def refresh(self) -> None:
        if not self.actor.facilitator:
            return
        self.plan = load_plan(self.store)
        options = [(f"{s.code}. {s.title}", s.id) for s in self.plan.strategies]
        keep = self.strategy.value
        self.strategy.options = options
        self.target.options = options
        if keep in {v for _, v in options}:
            self.strategy.value = keep
        self._show_tasks()

    def _show_tasks(self) -> None:
        if self.plan is None:
            return
        keep = self.tasks.value
        chosen = [t for t in self.plan.tasks if t.strategy_id == self.strategy.value]
        self.tasks.options = [_task_option(self.plan, t) for t in chosen]
        if keep in {t.id for t in chosen}:
            self.tasks.value = keep
        self._show_task()

    def _show_task(self) -> None:
        task = (
            next((t for t in self.plan.tasks if t.id == self.tasks.value), None)
            if self.plan
            else None
        )
        self.title.value = task.title if task else ""
        self.lead.value = (task.lead or "") if task else ""
        self.importance.value = task.importance.value if task and task.importance else None

    def _reorder(self, delta: int) -> None:
        task_id = self.tasks.value
        if task_id:
            self._run(
                lambda: roadmap.reorder_task(self.store, self.actor, task_id, delta),
                _r(self.lang, "reordered"),
            )

    def _save(self) -> None:
        task_id = self.tasks.value
        if task_id:
            self._run(
                lambda: roadmap.update_task(
                    self.store,
                    self.actor,
                    task_id,
                    title=self.title.value,
                    lead=self.lead.value.strip() or None,
                    importance=self.importance.value,
                ),
                _r(self.lang, "saved"),
            )

    def _move(self) -> None:
        task_id, target = self.tasks.value, self.target.value
        if (
            task_id
            and target
            and self._run(
                lambda: roadmap.move_task(self.store, self.actor, task_id, target),
                _r(self.lang, "moved"),
            )
        ):
            self.strategy.value = target
            self.tasks.value = task_id

    def _add(self) -> None:
        strategy_id = self.strategy.value
        if strategy_id and self._run(
            lambda: roadmap.add_task(
                self.store, self.actor, strategy_id, self.new_code.value, self.new_title.value
            ),
            _r(self.lang, "added"),
        ):
            self.new_code.value = self.new_title.value = ""

    def _add_strategy(self) -> None:
        if self._run(
            lambda: roadmap.add_strategy(
                self.store, self.actor, self.new_strategy_code.value, self.new_strategy_title.value
            ),
            _r(self.lang, "strategy_added"),
        ):
            self.new_strategy_code.value = self.new_strategy_title.value = ""


class GoalCheckinPanel(ActionView):
    """Facilitator records, per session, whether each core goal is still valid and feasible."""

    def __init__(self, store: Store, actor: Actor, lang: Lang = "ko") -> None:
        def r(key: str) -> str:
            return _r(lang, key)

        self.store, self.actor, self.lang = store, actor, lang
        self.status = widgets.HTML()
        self.session = widgets.Dropdown(description=r("session"), layout=_wide())
        self.goal = widgets.Dropdown(description=r("goal"), layout=_wide())
        self.valid = widgets.Checkbox(description=r("valid"))
        self.feasible = widgets.Checkbox(description=r("feasible"))
        self.note = widgets.Textarea(description=r("note"), layout=_wide())
        self.save = widgets.Button(description=r("record"), button_style="primary")
        self.save.on_click(lambda _: self._save())
        super().__init__(
            [
                _heading(self.lang, "h3", "h_checkin"),
                self.session,
                self.goal,
                self.valid,
                self.feasible,
                self.note,
                self.save,
                self.status,
            ]
        )
        self.refresh()

    def refresh(self) -> None:
        plan = load_plan(self.store)
        sessions = self.store.list(Session)
        self.session.options = [(_session_name(s, self.lang), s.id) for s in sessions]
        self.goal.options = [(g.title, g.id) for g in plan.goals]

    def _save(self) -> None:
        session_id, goal_id = self.session.value, self.goal.value
        if session_id and goal_id:
            self._run(
                lambda: roadmap.record_checkin(
                    self.store,
                    self.actor,
                    session_id,
                    goal_id,
                    self.valid.value,
                    self.feasible.value,
                    self.note.value,
                ),
                _r(self.lang, "recorded"),
            )


class ParticipantRoadmap(ActionView):
    """A phone page: comment on a task, volunteer for a sub-committee."""

    def __init__(self, store: Store, actor: Actor, lang: Lang = "ko") -> None:
        def r(key: str) -> str:
            return _r(lang, key)

        def lines(head: str, how: str) -> widgets.HTML:
            # our own texts, escaped all the same (quotes kept: they sit in element text)
            return widgets.HTML(
                f"<h3>{html.escape(r(head), quote=False)}</h3>"
                f"<p>{html.escape(r(how), quote=False)}</p>"
            )

        self.store, self.actor, self.lang = store, actor, lang
        # each confirmation right under the button tapped (one shared line sat ~400 px
        # below the comment button); ``status`` points at the one of the last action
        self.comment_status, self.join_status = widgets.HTML(), widgets.HTML()
        self.status = self.comment_status

        def full(height: str | None = None) -> widgets.Layout:
            # the widgets' own 2 px margins: plain 100% spills past a 360 px phone
            return widgets.Layout(width="calc(100% - 4px)", min_height=height)

        # a visible label is also the select's accessible name (axe-core: select-name)
        labelled = {"description_width": "initial"}
        self.task = widgets.Dropdown(description=r("task"), style=labelled, layout=full("44px"))
        self.comment = widgets.Textarea(placeholder=r("comment_hint"), layout=full("88px"))
        self.send = widgets.Button(
            description=r("send"), button_style="primary", layout=full("48px")
        )
        self.committee = widgets.Dropdown(
            description=r("col_committee"), style=labelled, layout=full("44px")
        )
        self.note = widgets.Text(placeholder=r("wish_hint"), layout=full("44px"))
        self.join = widgets.Button(description=r("join"), layout=full("48px"))
        self.mine = widgets.HTML()
        self.send.on_click(lambda _: self._send())
        self.join.on_click(lambda _: self._join())
        super().__init__(
            [
                lines("h_comments", "how_comment"),
                self.task,
                self.comment,
                self.send,
                self.comment_status,
                lines("h_join", "how_join"),
                self.committee,
                self.note,
                self.join,
                self.join_status,
                self.mine,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.refresh()

    def refresh(self) -> None:
        # one read of the plan per change for all phones of the live room
        plan: Plan = shared("roadmap-plan", lambda: load_plan(self.store))
        keep_task, keep_committee = self.task.value, self.committee.value
        self.task.options = [_task_option(plan, t) for t in plan.tasks]
        self.committee.options = [
            (f"{c.name} ({c.kind.label(self.lang)})", c.id) for c in plan.committees
        ]
        if keep_task in {t.id for t in plan.tasks}:
            self.task.value = keep_task
        elif plan.tasks:  # never a blank box on a phone: the first task is chosen
            self.task.value = plan.tasks[0].id
        if keep_committee in {c.id for c in plan.committees}:
            self.committee.value = keep_committee
        elif plan.committees:
            self.committee.value = plan.committees[0].id
        me = self.actor.participant_id
        joined = [
            c.name
            for c in plan.committees
            if me
            and any(v.committee_id == c.id and v.participant_id == me for v in plan.volunteers)
        ]
        self.mine.value = (
            f"<p>{html.escape(_r(self.lang, 'joined', names=', '.join(joined)))}</p>"
            if joined
            else ""
        )

    def _send(self) -> None:
        self.status, self.join_status.value = self.comment_status, ""
        task_id = self.task.value
        if task_id and self._run(
            lambda: roadmap.comment_on_task(self.store, self.actor, task_id, self.comment.value),
            _r(self.lang, "comment_sent"),
        ):
            self.comment.value = ""

    def _join(self) -> None:
        self.status, self.comment_status.value = self.join_status, ""
        committee_id = self.committee.value
        if committee_id:
            self._run(
                lambda: roadmap.volunteer(self.store, self.actor, committee_id, self.note.value),
                _r(self.lang, "join_received"),
            )


def facilitator_view(store: Store, actor: Actor, lang: Lang = "ko") -> widgets.Widget:
    """The editor and the goal check-in, for the facilitator's notebook."""
    if not actor.facilitator:
        return RoadmapEditor(store, actor, lang)  # shows the refusal, builds no controls
    return widgets.VBox([RoadmapEditor(store, actor, lang), GoalCheckinPanel(store, actor, lang)])


def participant_view(store: Store, actor: Actor, lang: Lang = "ko") -> ParticipantRoadmap:
    """What a participant's phone shows during the roadmap session."""
    return ParticipantRoadmap(store, actor, lang)


SHOWN_COMMENTS = 3
"""Comments per task on the projector: the latest few, so a busy task does not push the
others off the screen."""


def projector_html(plan: Plan, lang: Lang = "ko") -> str:
    """Tasks that received comments (count and the latest few, no author) and the
    sub-committees with the people who volunteered: what the room discusses next."""
    cards = []
    for task in plan.tasks:
        said = [c for c in plan.comments if c.task_id == task.id]
        if not said:
            continue
        latest = "".join(f"<span>“{html.escape(c.text)}”</span>" for c in said[-SHOWN_COMMENTS:])
        title = _r(lang, "card_comments", title=f"{task.code} {task.title}", n=len(said))
        cards.append(f"<div class='separ-card'><b>{html.escape(title)}</b>{latest}</div>")
    names = {p_id: p.name for p_id, p in plan.participants.items()}
    teams = []
    for committee in plan.committees:
        people = [
            names.get(v.participant_id, "?")
            for v in plan.volunteers
            if v.committee_id == committee.id
        ]
        if people:
            team = _r(lang, "card_people", name=committee.name, n=len(people))
            teams.append(
                f"<div class='separ-card'><b>{html.escape(team)}</b>"
                f"<span>{html.escape(', '.join(people))}</span></div>"
            )
    comments = "".join(cards) or f"<p class='separ-card'>{_r(lang, 'no_comments')}</p>"
    volunteers = (
        f"<h2 class='separ-count'>{_r(lang, 'h_volunteers')}</h2>"
        f"<div class='separ-cards'>"
        f"<div class='separ-flow'>{''.join(teams)}</div></div>"
        if teams
        else ""
    )
    return (
        f"<h2 class='separ-count'>{_r(lang, 'h_comments')}</h2><div class='separ-cards'>"
        f"<div class='separ-flow'>{comments}</div></div>" + volunteers
    )


class RoadmapProjector(widgets.VBox):  # type: ignore[misc]
    """The room's screen while participants comment and volunteer; ``refresh()`` re-reads."""

    def __init__(self, store: Store, lang: Lang | None = None) -> None:
        self.store = store
        self.lang: Lang = lang or store.workshop().lang
        self.board = widgets.HTML()
        super().__init__([self.board], layout=widgets.Layout(width="100%"))
        self.refresh()

    def refresh(self) -> None:
        plan: Plan = shared("roadmap-plan", lambda: load_plan(self.store))
        self.board.value = projector_html(plan, self.lang)


def projector_view(store: Store) -> widgets.Widget:
    """What the projector shows while the roadmap review is live."""
    return RoadmapProjector(store)


def figure_image(fig: Figure) -> widgets.Image:
    """A figure as a PNG image widget (figures are built without pyplot, so no inline backend)."""
    return figure_widget(fig, dpi=110)


def findings_view(store: Store, lang: Lang = "ko") -> widgets.HTML:
    """The plan checks as a list a facilitator reads before the final session."""
    findings = roadmap.check_plan(store)
    if not findings:
        return widgets.HTML(f"<p>{html.escape(_r(lang, 'no_findings'))}</p>")
    items = "".join(
        f"<li><b>{html.escape(_r(lang, 'error' if f.severity == 'error' else 'check'))}</b> "
        f"{html.escape(f.message(lang))}</li>"
        for f in findings
    )
    return widgets.HTML(f"<ul>{items}</ul>")


# -- the stage page ----------------------------------------------------------------------------

add_messages(
    {
        "roadmap_ui_page_checks": {"ko": "계획 점검", "en": "Checks"},
        "roadmap_ui_page_diagram": {"ko": "전략체계도", "en": "Strategy diagram"},
        "roadmap_ui_page_schedule": {"ko": "추진 일정", "en": "Schedule"},
        "roadmap_ui_page_roles": {"ko": "역할분담·분과", "en": "Roles and sub-committees"},
        "roadmap_ui_page_budget": {"ko": "예산", "en": "Budget"},
        "roadmap_ui_page_edit": {"ko": "계획 고치기", "en": "Edit the plan"},
        "roadmap_ui_page_phones": {"ko": "참여자 의견·분과 신청", "en": "Comments and volunteers"},
        "roadmap_ui_page_from_vote": {"ko": "투표 결과 가져오기", "en": "From a vote"},
        "roadmap_ui_page_hatched": {
            "ko": "빗금 막대는 계획 본문을 보고 추정한 위치입니다.",
            "en": "Hatched bars are placements estimated from the plan text.",
        },
        "roadmap_ui_page_krw": {"ko": "단위: 원", "en": "In KRW"},
        "roadmap_ui_no_findings": {"ko": "문제가 없습니다.", "en": "No problems."},
        "roadmap_ui_error": {"ko": "오류", "en": "Error"},
        "roadmap_ui_check": {"ko": "확인", "en": "Check"},
        "roadmap_ui_page_comments": {"ko": "과제 의견 {n}건", "en": "{n} comments on tasks"},
        "roadmap_ui_page_volunteers": {
            "ko": "분과 참여 신청 {n}건",
            "en": "{n} sub-committee volunteers",
        },
        "roadmap_ui_col_task": {"ko": "과제", "en": "Task"},
        "roadmap_ui_col_author": {"ko": "작성자", "en": "Author"},
        "roadmap_ui_col_comment": {"ko": "의견", "en": "Comment"},
        "roadmap_ui_col_when": {"ko": "시각", "en": "When"},
        "roadmap_ui_col_committee": {"ko": "분과", "en": "Sub-committee"},
        "roadmap_ui_col_person": {"ko": "참여자", "en": "Participant"},
        "roadmap_ui_col_note": {"ko": "하고 싶은 일", "en": "Would like to do"},
        "roadmap_ui_col_member": {"ko": "분과원 등록", "en": "Listed as member"},
    }
)


class PhoneInputPanel(widgets.VBox):  # type: ignore[misc]
    """What phones sent during the roadmap session, newest first: comments on tasks and
    sub-committee volunteers (with whether they are listed as members yet)."""

    def __init__(self, store: Store, lang: Lang = "ko") -> None:
        self.store, self.lang = store, lang
        self.comments = widgets.HTML()
        self.volunteers = widgets.HTML()
        super().__init__([self.comments, self.volunteers])
        self.refresh()

    def refresh(self) -> None:
        from separ.ui.base import rows_html

        plan = load_plan(self.store)
        lang = self.lang
        tasks = {t.id: f"{t.code} {t.title}" for t in plan.tasks}
        comments = sorted(plan.comments, key=lambda c: c.created, reverse=True)
        self.comments.value = rows_html(
            [_r(lang, k) for k in ("col_task", "col_author", "col_comment", "col_when")],
            [(tasks.get(c.task_id, ""), c.author, c.text, c.created) for c in comments],
            lang,
            caption=_r(lang, "page_comments", n=len(comments)),
        )
        names = {p_id: p.name for p_id, p in plan.participants.items()}
        committees = {c.id: c.name for c in plan.committees}
        members = {(m.committee_id, m.participant_id) for m in plan.members}
        volunteers = sorted(plan.volunteers, key=lambda v: v.created, reverse=True)
        self.volunteers.value = rows_html(
            [
                _r(lang, k)
                for k in ("col_committee", "col_person", "col_note", "col_member", "col_when")
            ],
            [
                (
                    committees.get(v.committee_id, ""),
                    names.get(v.participant_id, ""),
                    v.note,
                    (v.committee_id, v.participant_id) in members,
                    v.created,
                )
                for v in volunteers
            ],
            lang,
            caption=_r(lang, "page_volunteers", n=len(volunteers)),
        )


class RoadmapPage(widgets.VBox):  # type: ignore[misc]
    """Workbook 04 as an app: checks, diagram, schedule, roles, budget (figures and
    people's tables, built when their tab opens), the editor with "put live", what
    phones sent, and the top of a vote carried in."""

    def __init__(self, store: Store, actor: Actor, lang: Lang) -> None:
        from separ.ui.base import LiveButton, sections
        from separ.ui.voting import VoteCarryPanel

        self.store, self.actor, self.lang = store, actor, lang
        self.editor = RoadmapEditor(store, actor, lang)
        self.checkin = GoalCheckinPanel(store, actor, lang)
        self.phones = PhoneInputPanel(store, lang)
        self.carry = VoteCarryPanel(store, actor, lang)
        self.live = LiveButton(store, actor, "roadmap", lang=lang)
        self.views: list[widgets.Widget] = [self.editor, self.checkin, self.phones, self.carry]
        r: Callable[[str], str] = lambda key: _r(lang, key)  # noqa: E731
        super().__init__(
            [
                sections(
                    [
                        (r("page_phones"), widgets.VBox([self.live, self.phones])),
                        (r("page_edit"), widgets.VBox([self.editor, self.checkin])),
                        (r("page_from_vote"), self.carry),
                        (r("page_checks"), lambda: findings_view(store, lang)),
                        (r("page_diagram"), self._diagram),
                        (r("page_schedule"), self._schedule),
                        (r("page_roles"), self._roles),
                        (r("page_budget"), self._budget),
                    ]
                )
            ],
            layout=widgets.Layout(width="100%"),
        )

    def refresh(self) -> None:
        for view in self.views:
            view.refresh()

    def _diagram(self) -> widgets.Widget:
        from separ.figures import roadmap as rf
        from separ.ui.base import table

        plan = load_plan(self.store)
        return widgets.VBox(
            [
                figure_image(rf.strategy_diagram(plan, self.lang)),
                table(rf.tree_frame(plan, self.lang), self.lang),
            ]
        )

    def _schedule(self) -> widgets.Widget:
        from separ.figures import roadmap as rf
        from separ.ui.base import heading

        plan = load_plan(self.store)
        return widgets.VBox(
            [
                heading(_r(self.lang, "page_schedule"), _r(self.lang, "page_hatched")),
                figure_image(rf.gantt(plan, "half", self.lang)),
                figure_image(rf.gantt(plan, "quarter", self.lang)),
            ]
        )

    def _roles(self) -> widgets.Widget:
        from separ.figures import roadmap as rf

        plan = load_plan(self.store)
        return widgets.VBox(
            [
                figure_image(rf.roles_figure(plan, self.lang)),
                figure_image(rf.committees_figure(plan, self.lang)),
            ]
        )

    def _budget(self) -> widgets.Widget:
        from separ.figures import roadmap as rf
        from separ.ui.base import heading, table

        plan = load_plan(self.store)
        return widgets.VBox(
            [
                heading(_r(self.lang, "page_budget"), _r(self.lang, "page_krw")),
                figure_image(rf.budget_figure(plan, self.lang)),
                table(rf.rollup_frame(plan, "strategy", self.lang), self.lang),
                table(rf.rollup_frame(plan, "side", self.lang), self.lang),
            ]
        )


def roadmap_page(store: Store, actor: Actor, lang: Lang | None = None) -> widgets.Widget:
    """The stage page of workbook 04, following the store (comments arrive from phones)."""
    from separ.ui.base import follow, status_html

    chosen: Lang = lang or store.workshop().lang
    if not actor.facilitator:
        return widgets.HTML(status_html(SeparError("facilitator_only").message(chosen), ok=False))
    return follow(store, RoadmapPage(store, actor, chosen))
