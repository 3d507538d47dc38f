"""The activities a facilitator can put live, as the live layer runs them.

They are declared with their stage (:mod:`separ.stages`); this module finds each one's
views by the stage's convention -- ``<package>.ui.<views>:<participant>`` and
``...:<projector>`` -- and imports a view only when a page shows it: a participant's
page imports only the one view it shows, and the projector's heavier imports stay off
the participant path.

A participant factory is called as ``factory(store, actor)`` and a projector factory
as ``factory(store)``; both return an ipywidgets widget, which the live layer
refreshes (its ``refresh()`` method, when it has one) whenever the store changes.
An activity that runs on a target the facilitator picks (a board, a poll, a Delphi
study) passes the chosen id as a third argument (``factory(store, actor, target_id)``,
``factory(store, target_id)``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from separ import stages
from separ.i18n import Lang
from separ.stages import Target


@dataclass(frozen=True)
class Activity:
    kind: str
    label: Mapping[Lang, str]
    participant: str
    """``"module:function"`` building a participant's view."""
    projector: str
    """``"module:function"`` building the projector's view."""
    needs_session: bool = False
    targets: str | None = None
    """``"module:function"`` listing what the activity can run on; None: it takes no target."""

    def participant_factory(self) -> Callable[..., Any]:
        factory: Callable[..., Any] = stages.resolve(self.participant)
        return factory

    def projector_factory(self) -> Callable[..., Any]:
        factory: Callable[..., Any] = stages.resolve(self.projector)
        return factory

    def participant_view(self, store: Any, actor: Any, target_id: str | None) -> Any:
        """The phone's view; an activity with targets also gets the facilitator's choice."""
        factory = self.participant_factory()
        return factory(store, actor, target_id) if self.targets else factory(store, actor)

    def projector_view(self, store: Any, target_id: str | None) -> Any:
        factory = self.projector_factory()
        return factory(store, target_id) if self.targets else factory(store)

    def list_targets(self, store: Any) -> list[Target]:
        """What the facilitator may choose from, oldest first (empty: takes no target)."""
        return stages.list_targets(self.kind, store)


def _live(stage: stages.Stage, declared: stages.Activity) -> Activity:
    views = stage.module("ui", declared.views)
    return Activity(
        declared.kind,
        declared.label,
        f"{views}:{declared.participant}",
        f"{views}:{declared.projector}",
        declared.needs_session,
        None if declared.targets is None else stages.layer_path(stage, "", declared.targets),
    )


def known() -> dict[str, Activity]:
    """Every stage's activities, in stage order."""
    return {kind: _live(stage, act) for kind, (stage, act) in stages.activities().items()}


def get(kind: str) -> Activity | None:
    pair = stages.activities().get(kind)
    return _live(*pair) if pair else None
