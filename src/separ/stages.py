"""The stages of a workshop, one declaration each: the only registry separ has.

A :class:`Stage` says what a stage brings to every layer -- the domain modules whose
``RECORDS`` become tables, the activities a facilitator can put live, the report
sections it fills, the CLI module that adds its commands, and its messages. The store
schema (:mod:`separ.schema`), the live layer (:mod:`separ.live.activities`), the report
(:mod:`separ.report.registry`) and the CLI (:mod:`separ.cli`) all read this list, so
adding a stage is one declaration, not four edits.

Stages are separ's own :data:`BUILTIN` list plus whatever installed packages declare in
the ``separ.stages`` entry-point group (a :class:`Stage` or a sequence of them), e.g. in
a plugin's ``pyproject.toml``::

    [project.entry-points."separ.stages"]
    kit = "separ_kit.stage:STAGE"

Layer modules are named *relative to their layer* of the stage's ``package``: a stage of
package ``separ`` with ``cli=("voting",)`` has its commands in ``separ.cli.voting``, an
activity with ``views="voting"`` has its views in ``separ.ui.voting``, and a section
builder ``"stages:swot"`` is ``separ.report.stages:swot``. So this domain module names
no UI or live module, imports nothing of the layers, and a plugin lays out its own
package the way separ does (see docs/architecture.md).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from separ.i18n import Lang, add_messages

if TYPE_CHECKING:
    from separ.store import Store

GROUP = "separ.stages"
"""The entry-point group other packages declare their stages in."""


@dataclass(frozen=True)
class Target:
    """One thing an activity can run on, as the facilitator's dropdown lists it."""

    id: str
    title: str
    refusal: str | None = None
    """Why it cannot be put live now (a message key: a poll still in draft), or None."""


@dataclass(frozen=True)
class Activity:
    """Something a facilitator can put live on every phone and the projector.

    The views are ``participant`` and ``projector`` in the stage's ``ui.<views>`` module;
    the live layer calls them ``participant(store, actor[, target_id])`` and
    ``projector(store[, target_id])``.
    """

    kind: str
    label: Mapping[Lang, str]
    views: str
    """The module, inside the stage package's ``ui`` layer, holding the two views."""
    participant: str = "participant_view"
    projector: str = "projector_view"
    needs_session: bool = False
    """Whether the activity records against the live session (check-in does)."""
    targets: str | None = None
    """``"module:function"`` of the stage's domain listing what the activity can run on,
    ``(store) -> list[Target]``; None: it takes no target."""


@dataclass(frozen=True)
class Section:
    """A report section slot and its builder ``"module:function"`` in the ``report`` layer.

    A builder is called ``(store, lang)`` and returns a report ``Section`` or None (no
    data yet: the section is left out).
    """

    slot: str
    builder: str


@dataclass(frozen=True)
class Stage:
    """What one stage of a workshop brings to each layer; everything but ``name`` optional."""

    name: str
    records: tuple[str, ...] = ()
    """Domain modules (relative to ``package``) with a ``RECORDS`` tuple, parents first."""
    activities: tuple[Activity, ...] = ()
    sections: tuple[Section, ...] = ()
    """In report order; a slot separ does not know goes before the annex."""
    cli: tuple[str, ...] = ()
    """The modules of the ``cli`` layer that add this stage's commands when imported."""
    messages: Mapping[str, Mapping[Lang, str]] = field(default_factory=dict)
    """Messages of the stage not registered by its own modules (plugins' texts)."""
    package: str = "separ"

    def module(self, layer: str, name: str) -> str:
        """The dotted path of ``name`` in ``layer`` ("" for the domain) of this stage."""
        return ".".join(part for part in (self.package, layer, name) if part)


BUILTIN: tuple[Stage, ...] = (
    Stage(
        "workshop",
        records=("model",),
        activities=(
            Activity(
                "checkin", {"ko": "체크인", "en": "check-in"}, views="checkin", needs_session=True
            ),
        ),
        cli=("session",),
        sections=(
            Section("overview", "foundation:overview"),
            Section("participants", "foundation:participants"),
            Section("sessions", "foundation:sessions"),
            Section("annex", "foundation:annex"),
        ),
    ),
    Stage(
        "context",
        records=("context",),
        activities=(
            Activity(
                "context",
                {"ko": "환경분석 보드(PEST·SWOT)", "en": "PEST/SWOT board"},
                views="context",
                participant="live_participant_view",
                targets="targets:boards",
            ),
        ),
        sections=(Section("environment", "stages:environment"), Section("swot", "stages:swot")),
    ),
    Stage(
        "assets",
        records=("network", "assets", "surveys"),
        activities=(
            Activity(
                "assets",
                {"ko": "자산·관계 조사", "en": "assets and ties"},
                views="assets",
                participant="live_participant_view",
            ),
        ),
        sections=(
            Section("assets", "stages:assets"),
            Section("network", "stages:network"),
            Section("surveys", "stages:surveys"),
        ),
        cli=("assets",),
    ),
    Stage(
        "voting",
        records=("polls",),
        activities=(
            Activity(
                "voting", {"ko": "투표", "en": "poll"}, views="voting", targets="targets:polls"
            ),
        ),
        sections=(Section("voting", "stages:voting"),),
        cli=("voting", "poll"),
    ),
    Stage(
        "roadmap",
        records=("roadmap",),
        activities=(
            Activity(
                "roadmap",
                {"ko": "실행계획 의견·분과 참여", "en": "roadmap comments"},
                views="roadmap",
            ),
        ),
        sections=tuple(
            Section(slot, f"stages:{slot}")
            for slot in ("vision", "tasks", "roles", "committees", "schedule", "budget")
        ),
        cli=("roadmap",),
    ),
    Stage(
        "followup",
        records=("indicators", "progress", "delphi", "compare"),
        activities=(
            Activity(
                "delphi",
                {"ko": "델파이 조사", "en": "Delphi round"},
                views="delphi",
                participant="live_participant_view",
                targets="targets:delphi_studies",
            ),
        ),
        sections=(
            Section("progress", "followup:progress_section"),
            Section("indicators", "followup:indicators_section"),
            Section("delphi", "followup:delphi_section"),
        ),
        cli=("followup",),
    ),
    Stage("live", records=("tokens", "checkin", "limits"), cli=("live", "cards")),
    Stage(
        "report",
        records=("writeup",),
        sections=tuple(
            Section(slot, f"prose:{slot}")
            for slot in ("submission", "summary", "introduction", "conclusions", "references")
        ),
        cli=("report",),
    ),
    Stage("guide", cli=("guide",)),
    Stage("doctor", cli=("doctor",)),
)
"""separ's own stages. Their order is the order tables are filled in (parents first),
activities are offered and CLI modules are loaded."""


@cache
def found() -> tuple[Stage, ...]:
    """Every stage: separ's own, then the entry points' (a name already taken is skipped).

    A stage's ``messages`` are registered here, so its texts exist once it is found.
    """
    stages = list(BUILTIN)
    names = {s.name for s in stages}
    for point in sorted(entry_points(group=GROUP), key=lambda p: p.name):
        loaded = point.load()
        for stage in (loaded,) if isinstance(loaded, Stage) else tuple(loaded):
            if not isinstance(stage, Stage):
                raise TypeError(f"entry point {point.name!r} of {GROUP} is not a Stage")
            if stage.name not in names:
                names.add(stage.name)
                stages.append(stage)
    for stage in stages:
        add_messages({key: dict(versions) for key, versions in stage.messages.items()})
    return tuple(stages)


_generation = 0


def generation() -> int:
    """Grows at every :func:`rescan`, so caches built from the stages can key on it."""
    return _generation


def rescan() -> None:
    """Look for stages again (after installing a plugin in a running process, in tests)."""
    global _generation
    found.cache_clear()
    _generation += 1


def record_modules() -> tuple[str, ...]:
    """Dotted paths of the modules whose ``RECORDS`` are the store's tables, in order."""
    return tuple(s.module("", m) for s in found() for m in s.records)


def activities() -> dict[str, tuple[Stage, Activity]]:
    """Every live activity by kind, with its stage, in stage order."""
    return {a.kind: (s, a) for s in found() for a in s.activities}


def activity(kind: str) -> Activity | None:
    pair = activities().get(kind)
    return pair[1] if pair else None


def list_targets(kind: str, store: Store) -> list[Target]:
    """What the facilitator may put activity ``kind`` live on, oldest first (empty: it
    takes no target)."""
    pair = activities().get(kind)
    if pair is None:
        return []
    stage, act = pair
    if act.targets is None:
        return []
    lister: Callable[[Store], list[Target]] = resolve(layer_path(stage, "", act.targets))
    return lister(store)


def sections() -> dict[str, str]:
    """Report slot -> ``"module:function"`` of its builder, in stage order."""
    return {sec.slot: layer_path(s, "report", sec.builder) for s in found() for sec in s.sections}


def cli_modules() -> tuple[str, ...]:
    """The modules that add the stages' commands to the ``separ`` command."""
    return tuple(s.module("cli", m) for s in found() for m in s.cli)


def layer_path(stage: Stage, layer: str, path: str) -> str:
    """``"module:attribute"`` of ``stage``'s ``layer`` as an absolute ``"module:attribute"``."""
    module, _, name = path.partition(":")
    return f"{stage.module(layer, module)}:{name}"


def resolve(path: str) -> Any:
    """The object at an absolute ``"module:attribute"`` (importing the module only now)."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)
