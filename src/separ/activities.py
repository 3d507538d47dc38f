"""The activities a facilitator can put live, by kind, and where their views live.

Each stage registers itself with one line, naming its view factories by dotted path
(``"separ.ui.voting:participant_view"``) so that listing or choosing an activity
imports nothing: a participant's page imports only the one view it shows, and the
projector's heavier imports stay off the participant path.

A participant factory is called as ``factory(store, actor)`` and a projector factory
as ``factory(store)``; both return an ipywidgets widget, which the live layer
refreshes (its ``refresh()`` method, when it has one) whenever the store changes.
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

    def participant_factory(self) -> Callable[..., Any]:
        return _resolve(self.participant)

    def projector_factory(self) -> Callable[..., Any]:
        return _resolve(self.projector)


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
