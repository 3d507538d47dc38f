"""``separ session add|list``: the series' meetings — workshops, 간담회, 공유회의 — from a shell.

Sessions are listed by date, and each kind is numbered on its own (1차 워크숍,
1차 간담회 …, :func:`separ.model.ordinals`). A workshop needs a round number; when none
is given the next free one is used.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from separ.actors import Actor, require_facilitator
from separ.cli import DbOption, WorkshopArg, app
from separ.errors import SeparError
from separ.i18n import Lang, default_lang
from separ.model import Session, SessionKind, in_order, ordinals, session_name
from separ.validation import build, choice_list
from separ.workspace import open_workshop

session_app = typer.Typer(
    help="Sessions: workshops, round-table talks, sharing meetings.", no_args_is_help=True
)
app.add_typer(session_app, name="session")

WORDS: dict[str, dict[Lang, str]] = {
    "added": {
        "ko": "회차를 추가했습니다: {name} ({date}, ID {id})",
        "en": "added {name} ({date}, id {id})",
    },
    "undated": {"ko": "날짜 없음", "en": "no date"},
    "none": {"ko": "회차가 없습니다", "en": "no sessions"},
}


def _kind(value: str) -> SessionKind:
    found = SessionKind.parse(value)
    if found not in {k.value for k in SessionKind}:
        raise SeparError(
            "unknown_choice", where="--kind", value=value, choices=choice_list(SessionKind)
        )
    return SessionKind(found)


@session_app.command("add")
def session_add(
    workshop: WorkshopArg,
    kind: Annotated[
        str,
        typer.Option(
            help="워크숍|간담회|공유회의|설명회|기타 회의 (or workshop, roundtable, meeting, …)."
        ),
    ],
    date: Annotated[str | None, typer.Option(help="YYYY-MM-DD.")] = None,
    round: Annotated[
        int | None,
        typer.Option("--round", help="Round number (workshops: default the next free one)."),
    ] = None,
    place: Annotated[str | None, typer.Option(help="Where it is held.")] = None,
    online: Annotated[bool, typer.Option(help="Held online.")] = False,
    agenda: Annotated[
        list[str] | None, typer.Option("--agenda", help="An agenda item (repeat).")
    ] = None,
    notes: Annotated[str | None, typer.Option(help="Notes.")] = None,
    db: DbOption = None,
) -> None:
    """Add a session; prints its name within its kind and its id."""
    chosen = _kind(kind)
    actor = Actor.facilitator_actor("separ session add")
    require_facilitator(actor)
    if date is not None:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise SeparError("bad_value", where="--date", detail=date) from None
    with open_workshop(workshop, db) as store, store.transaction() as tx:
        existing = tx.find(Session)
        if round is None and chosen == SessionKind.workshop:
            round = max((s.round or 0 for s in existing), default=0) + 1
        data = {
            "kind": chosen.value,
            "date": date,
            "round": round,
            "place": place,
            "online": online,
            "agenda": list(agenda or []),
            "notes": notes,
        }
        session = build(Session, {k: v for k, v in data.items() if v is not None})
        assert isinstance(session, Session)
        tx.add(session)
        number = ordinals([*existing, session])[session.id]
    lang = default_lang()
    typer.echo(
        WORDS["added"][lang].format(
            name=session_name(session, number, lang),
            id=session.id,
            date=session.date.isoformat() if session.date else WORDS["undated"][lang],
        )
    )


@session_app.command("list")
def session_list(workshop: WorkshopArg, db: DbOption = None) -> None:
    """Every session by date, named within its kind."""
    lang = default_lang()
    with open_workshop(workshop, db) as store:
        sessions = store.list(Session)
    numbers = ordinals(sessions)
    lines = [
        f"{s.date.isoformat() if s.date else WORDS['undated'][lang]}  "
        f"{session_name(s, numbers[s.id], lang)}  {s.id}"
        for s in in_order(sessions)
    ]
    typer.echo("\n".join(lines) if lines else WORDS["none"][lang])
