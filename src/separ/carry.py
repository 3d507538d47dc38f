"""Carrying a stage's results into the next stage in one step, with a preview first.

Four steps a facilitator takes between rounds, each a *preview* (what would be made,
from what, what is skipped because it was carried before) and a *carry* that writes
everything in one transaction or nothing:

- chosen board notes → options of a poll (brainstorm → vote);
- TOWS strategy candidates → options of a poll;
- a poll's top N (ties included) → roadmap strategies or tasks, each task recording the
  vote and option that chose it (``Task.priority_poll_id`` / ``priority_option_id``);
- Delphi items the panel kept → indicators, each item pointing at its indicator.

Every option records where it came from (``PollOption.source_kind``/``source_id``), so
a report can follow a task back to the vote and the vote back to the notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from separ import context as cx
from separ import delphi as dp
from separ import indicators as ind
from separ import polls, roadmap
from separ.actors import Actor, require_facilitator
from separ.errors import SeparError, nth
from separ.i18n import Lang, add_messages, text
from separ.records import NAME_MAX, Record
from separ.store import Store, Transaction

add_messages(
    {
        "carry_nothing": {
            "ko": "옮길 항목을 하나 이상 고르세요",
            "en": "pick at least one item to carry forward",
        },
        "carry_all_done": {
            "ko": "고른 항목은 모두 이미 옮겨졌습니다",
            "en": "every picked item was carried forward before",
        },
        "carry_needs_strategy": {
            "ko": "과제를 넣을 전략을 고르세요",
            "en": "pick the strategy the tasks go under",
        },
        "carry_needs_purpose": {
            "ko": "지표를 넣을 목적(대분류)을 고르세요",
            "en": "pick the purpose the indicators go under",
        },
        "carry_bad_top": {
            "ko": "상위 몇 개를 옮길지 1 이상으로 정하세요",
            "en": "the number of top places must be 1 or more",
        },
        "carry_rank": {"ko": "{rank}위", "en": "#{rank}"},
        "carry_tied": {"ko": "공동 {rank}위", "en": "tied #{rank}"},
        "carry_score": {"ko": "점수 {score}", "en": "score {score}"},
        "carry_origin": {
            "ko": "투표 「{title}」 {place}로 선정",
            "en": "chosen by the poll “{title}” ({place})",
        },
        "carry_delphi": {
            "ko": "적합 {share} · 중요도 중앙값 {median}",
            "en": "suitable {share} · median importance {median}",
        },
    }
)


@dataclass(frozen=True)
class Carried:
    """One line of a preview: what would be made, from what, and whether it is new."""

    label: str
    source_id: str
    detail: str = ""
    """Why it is carried: "공동 2위 · 점수 7", "SO", "적합 90% · 중앙값 6" …"""
    rank: int | None = None
    tied: bool = False
    already: bool = False
    """Carried before: the carry skips it (a second click makes no duplicates)."""


def one_line(value: str, limit: int = NAME_MAX * 2) -> str:
    """A note or strategy as an option label: one line, spaces collapsed, cut with "…"."""
    line = re.sub(r"\s+", " ", value).strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _fresh(items: Sequence[Carried]) -> list[Carried]:
    if not items:
        raise SeparError("carry_nothing")
    fresh = [i for i in items if not i.already]
    if not fresh:
        raise SeparError("carry_all_done")
    return fresh


# -- into a poll -------------------------------------------------------------------------------


def _poll_labels(store: Store, poll_id: str | None) -> set[str]:
    if poll_id is None:
        return set()
    return {o.label for o in store.list(polls.PollOption, poll_id=poll_id)}


def notes_preview(
    store: Store, note_ids: Iterable[str], poll_id: str | None = None, lang: Lang = "ko"
) -> list[Carried]:
    """The chosen notes as options, board order kept; a note whose text the poll already
    has as an option (or that repeats an earlier pick) is marked ``already``."""
    wanted = list(dict.fromkeys(note_ids))
    with store.reading() as tx:
        notes = [tx.get(cx.Note, i) for i in wanted]
    seen = _poll_labels(store, poll_id)
    out = []
    for note in notes:
        label = one_line(note.text)
        out.append(
            Carried(label, note.id, cx.Category(note.category).label(lang), already=label in seen)
        )
        seen.add(label)
    return out


def strategies_preview(
    store: Store, strategy_ids: Iterable[str] | None = None, poll_id: str | None = None
) -> list[Carried]:
    """TOWS strategies as options ("SO · text"); all of them when none are picked."""
    found = cx.tows_candidates(store)
    if strategy_ids is not None:
        picked = set(strategy_ids)
        found = [c for c in found if c[0] in picked]
    seen = _poll_labels(store, poll_id)
    out = []
    for strategy_id, label, kind in found:
        line = one_line(label)
        out.append(Carried(line, strategy_id, kind, already=line in seen))
        seen.add(line)
    return out


def _into_poll(
    store: Store,
    actor: Actor,
    items: Sequence[Carried],
    source_kind: str,
    poll_id: str | None,
    title: str | None,
    method: str,
    **settings: Any,
) -> polls.Poll:
    """Add ``items`` to the draft poll ``poll_id``, or to a new poll, in one transaction."""
    require_facilitator(actor)
    from separ.validation import build

    fresh = _fresh(items)
    with store.transaction() as tx:
        if poll_id is not None:
            poll = tx.get(polls.Poll, poll_id)
            if poll.status != polls.PollStatus.draft:
                raise SeparError("poll_not_draft")
        else:
            built = build(polls.Poll, {"title": title, "method": method, **settings})
            assert isinstance(built, polls.Poll)
            poll = tx.add(built)
        start = len(tx.find(polls.PollOption, poll_id=poll.id))
        for i, item in enumerate(fresh):
            tx.add(
                build(
                    polls.PollOption,
                    {
                        "poll_id": poll.id,
                        "label": item.label,
                        "position": start + i,
                        "source_kind": source_kind,
                        "source_id": item.source_id,
                        "description": item.detail or None,
                    },
                    nth("option", i + 1),
                )
            )
    assert isinstance(poll, polls.Poll)
    return poll


def notes_to_poll(
    store: Store,
    actor: Actor,
    note_ids: Iterable[str],
    *,
    poll_id: str | None = None,
    title: str | None = None,
    method: str = "dots",
    lang: Lang = "ko",
    **settings: Any,
) -> polls.Poll:
    """The chosen notes become options of the draft poll ``poll_id``, or of a new poll
    titled ``title`` (brainstorm → vote)."""
    items = notes_preview(store, note_ids, poll_id, lang)
    return _into_poll(store, actor, items, "note", poll_id, title, method, **settings)


def strategies_to_poll(
    store: Store,
    actor: Actor,
    strategy_ids: Iterable[str] | None = None,
    *,
    poll_id: str | None = None,
    title: str | None = None,
    method: str = "dots",
    **settings: Any,
) -> polls.Poll:
    """TOWS strategy candidates become poll options (source ``tows``)."""
    items = strategies_preview(store, strategy_ids, poll_id)
    return _into_poll(store, actor, items, "tows", poll_id, title, method, **settings)


# -- a vote into the roadmap --------------------------------------------------------------------


def place_text(rank: int, tied: bool, lang: Lang) -> str:
    return text("carry_tied" if tied else "carry_rank", lang, rank=rank)


def votes_preview(
    store: Store, poll_id: str, top: int, into: str = "tasks", lang: Lang = "ko"
) -> list[Carried]:
    """The options ranked within the first ``top`` places, ties included (so a tie for
    third brings four), each with its place and score; ``already`` when a task came from
    that option before (or, for strategies, one with that title exists)."""
    if top < 1:
        raise SeparError("carry_bad_top")
    chosen = polls.carry_over(store, poll_id, top=top)
    everyone = polls.carry_over(store, poll_id)
    counts: dict[int, int] = {}
    for row in everyone:
        counts[row["priority"]] = counts.get(row["priority"], 0) + 1
    if into == "tasks":
        done = {t.priority_option_id for t in store.list(roadmap.Task, priority_poll_id=poll_id)}
    else:
        done = {s.title for s in store.list(roadmap.Strategy)}
    out = []
    for row in chosen:
        rank, tied = int(row["priority"]), counts[row["priority"]] > 1
        key = row["option_id"] if into == "tasks" else one_line(row["label"], NAME_MAX)
        detail = f"{place_text(rank, tied, lang)} · {text('carry_score', lang, score=row['score'])}"
        out.append(
            Carried(
                one_line(row["label"], NAME_MAX),
                row["option_id"],
                detail,
                rank=rank,
                tied=tied,
                already=key in done,
            )
        )
    return out


def _unique_code(tx: Transaction, rtype: type[Record], stem: str) -> str:
    taken = {r.code for r in tx.find(rtype)}  # type: ignore[attr-defined]
    n = 1
    while f"{stem}{n}" in taken:
        n += 1
    return f"{stem}{n}"


def votes_to_roadmap(
    store: Store,
    actor: Actor,
    poll_id: str,
    top: int,
    *,
    into: str = "tasks",
    strategy_id: str | None = None,
    lang: Lang = "ko",
) -> list[Any]:
    """A poll's top ``top`` places (ties included) become roadmap tasks under
    ``strategy_id`` -- each recording the poll and option that chose it -- or new
    strategies whose notes say which vote chose them. One transaction; options carried
    before are skipped."""
    require_facilitator(actor)
    from separ.validation import build

    if into not in ("tasks", "strategies"):
        raise SeparError("unknown_choice", value=into, choices="tasks, strategies")
    if into == "tasks" and not strategy_id:
        raise SeparError("carry_needs_strategy")
    fresh = _fresh(votes_preview(store, poll_id, top, into, lang))
    made: list[Any] = []
    with store.transaction() as tx:
        poll = tx.get(polls.Poll, poll_id)
        if into == "tasks":
            strategy = tx.get(roadmap.Strategy, str(strategy_id))
            order = len(tx.find(roadmap.Task, strategy_id=strategy.id))
            for i, item in enumerate(fresh):
                made.append(
                    tx.add(
                        build(
                            roadmap.Task,
                            {
                                "strategy_id": strategy.id,
                                "title": item.label,
                                "order": order + i,
                                "code": _unique_code(tx, roadmap.Task, f"{strategy.code}-"),
                                "priority_poll_id": poll.id,
                                "priority_option_id": item.source_id,
                            },
                        )
                    )
                )
            return made
        order = len(tx.find(roadmap.Strategy))
        for i, item in enumerate(fresh):
            origin = text(
                "carry_origin",
                lang,
                title=poll.title,
                place=place_text(item.rank or 0, item.tied, lang),
            )
            made.append(
                tx.add(
                    build(
                        roadmap.Strategy,
                        {
                            "code": _unique_code(tx, roadmap.Strategy, ""),
                            "title": item.label,
                            "order": order + i,
                            "notes": origin,
                        },
                    )
                )
            )
    return made


def vote_origins(store: Store, tasks: Iterable[roadmap.Task], lang: Lang = "ko") -> dict[str, str]:
    """ "투표 「…」 공동 2위로 선정" for every task a vote chose (keyed by task id); each poll
    is counted once however many tasks it chose."""
    places: dict[str, dict[str, tuple[int, bool]]] = {}
    titles = {p.id: p.title for p in store.list(polls.Poll)}
    out = {}
    for task in tasks:
        poll_id = task.priority_poll_id
        if not poll_id or poll_id not in titles:
            continue
        if poll_id not in places:
            rows = polls.carry_over(store, poll_id)
            counts: dict[int, int] = {}
            for row in rows:
                counts[row["priority"]] = counts.get(row["priority"], 0) + 1
            places[poll_id] = {
                row["option_id"]: (int(row["priority"]), counts[row["priority"]] > 1)
                for row in rows
            }
        found = places[poll_id].get(task.priority_option_id or "")
        place = "-" if found is None else place_text(found[0], found[1], lang)
        out[task.id] = text("carry_origin", lang, title=titles[poll_id], place=place)
    return out


def vote_origin(store: Store, task: roadmap.Task, lang: Lang = "ko") -> str | None:
    """The origin of one task, or None for one typed in."""
    return vote_origins(store, [task], lang).get(task.id)


# -- Delphi into indicators ---------------------------------------------------------------------


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.0f}%"


def delphi_preview(
    store: Store, study_id: str, round_: int | None = None, lang: Lang = "ko"
) -> list[Carried]:
    """The items the panel kept (the study's thresholds, latest round), with their share
    and median; ``already`` when an item already points at an indicator."""
    panel = dp.load_panel(store, study_id)
    items = {i.id: i for i in panel.items}
    out = []
    for d in dp.decide(panel, round_):
        if not d.keep:
            continue
        item = items[d.item_id]
        median = "-" if d.median is None else f"{d.median:g}"
        out.append(
            Carried(
                item.text,
                item.id,
                text("carry_delphi", lang, share=_percent(d.share), median=median),
                already=item.indicator_id is not None,
            )
        )
    return out


def delphi_to_indicators(
    store: Store,
    actor: Actor,
    study_id: str,
    purpose_id: str | None,
    round_: int | None = None,
    lang: Lang = "ko",
) -> list[ind.Indicator]:
    """Every kept Delphi item becomes an indicator under ``purpose_id``; the item then
    points at it (``DelphiItem.indicator_id``), which is how the carry is not repeated."""
    require_facilitator(actor)
    from separ.validation import build

    if not purpose_id:
        raise SeparError("carry_needs_purpose")
    fresh = _fresh(delphi_preview(store, study_id, round_, lang))
    made: list[ind.Indicator] = []
    with store.transaction() as tx:
        purpose = tx.get(ind.Purpose, purpose_id)
        order = len(tx.find(ind.Indicator, purpose_id=purpose.id))
        for i, carried in enumerate(fresh):
            item = tx.get(dp.DelphiItem, carried.source_id)
            indicator = tx.add(
                build(
                    ind.Indicator,
                    {
                        "purpose_id": purpose.id,
                        "name": one_line(item.text, NAME_MAX),
                        "code": _unique_code(tx, ind.Indicator, f"{purpose.code}-"),
                        "order": order + i,
                        "notes": carried.detail,
                    },
                )
            )
            assert isinstance(indicator, ind.Indicator)
            item.indicator_id = indicator.id
            tx.update(item)
            made.append(indicator)
    return made
