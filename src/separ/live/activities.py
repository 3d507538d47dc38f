"""The activities a facilitator can put live, by kind, and where their views live.

Each stage registers itself with one line, naming its view factories by dotted path
(``"separ.ui.voting:participant_view"``) so that listing or choosing an activity
imports nothing: a participant's page imports only the one view it shows, and the
projector's heavier imports stay off the participant path.

A participant factory is called as ``factory(store, actor)`` and a projector factory
as ``factory(store)``; both return an ipywidgets widget, which the live layer
refreshes (its ``refresh()`` method, when it has one) whenever the store changes.

Most activities work on one thing the facilitator picks -- a board, a poll, a Delphi
study: their ``targets`` names a lister ``(store) -> list[Target]`` (in
:mod:`separ.live.targets`), and their factories get the chosen id as a third
argument (``factory(store, actor, target_id)``, ``factory(store, target_id)``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from separ.i18n import Lang


@dataclass(frozen=True)
class Activity:
    kind: str
    label: dict[Lang, str]
    participant: str
    """``"module:function"`` building a participant's view."""
    projector: str
    """``"module:function"`` building the projector's view."""
    needs_session: bool = False
    """Whether the activity records against the live session (check-in does)."""
    targets: str | None = None
    """``"module:function"`` listing what the activity can run on; None: it takes no target."""

    def participant_factory(self) -> Callable[..., Any]:
        return _resolve(self.participant)

    def projector_factory(self) -> Callable[..., Any]:
        return _resolve(self.projector)

    def participant_view(self, store: Any, actor: Any, target_id: str | None) -> Any:
        """The phone's view; an activity with targets also gets the facilitator's choice."""
        factory = self.participant_factory()
        return factory(store, actor, target_id) if self.targets else factory(store, actor)

    def projector_view(self, store: Any, target_id: str | None) -> Any:
        factory = self.projector_factory()
        return factory(store, target_id) if self.targets else factory(store)

    def list_targets(self, store: Any) -> list[Target]:
        """What the facilitator may choose from, oldest first (empty: takes no target)."""
        if self.targets is None:
            return []
        found: list[Target] = _resolve(self.targets)(store)
        return found


@dataclass(frozen=True)
class Target:
    """One thing an activity can run on, as the facilitator's dropdown lists it."""

    id: str
    title: str
    refusal: str | None = None
    """Why it cannot be put live now (a message key: a poll still in draft), or None."""


_REGISTRY: dict[str, Activity] = {}


def register(activity: Activity) -> None:
    """Add (or replace, e.g. on a module reload) the activity of this kind."""
    _REGISTRY[activity.kind] = activity


def known() -> dict[str, Activity]:
    """The registered activities, in registration order."""
    return dict(_REGISTRY)


def get(kind: str) -> Activity | None:
    return _REGISTRY.get(kind)


def _resolve(path: str) -> Callable[..., Any]:
    module, _, name = path.partition(":")
    factory: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return factory


register(Activity("checkin", {"ko": "체크인", "en": "check-in"},
                  "separ.ui.checkin:participant_view", "separ.ui.checkin:projector_view",
                  needs_session=True))
register(Activity("context", {"ko": "환경분석 보드(PEST·SWOT)", "en": "PEST/SWOT board"},
                  "separ.ui.context:live_participant_view", "separ.ui.context:projector_view",
                  targets="separ.live.targets:boards"))
register(Activity("assets", {"ko": "자산·관계 조사", "en": "assets and ties"},
                  "separ.ui.assets:live_participant_view", "separ.ui.assets:projector_view"))
register(Activity("voting", {"ko": "투표", "en": "poll"},
                  "separ.ui.voting:participant_view", "separ.ui.voting:projector_view",
                  targets="separ.live.targets:polls"))
register(Activity("roadmap", {"ko": "실행계획 의견·분과 참여", "en": "roadmap comments"},
                  "separ.ui.roadmap:participant_view", "separ.ui.roadmap:projector_view"))
register(Activity("delphi", {"ko": "델파이 조사", "en": "Delphi round"},
                  "separ.ui.delphi:live_participant_view", "separ.ui.delphi:projector_view",
                  targets="separ.live.targets:delphi_studies"))
