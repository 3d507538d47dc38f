"""``separ cards``, ``separ card``, ``separ duplicates``, ``separ merge``: who is who.

Roster cards let a listed person join on a phone as themselves (a typed name never
does); a lost card is re-issued or revoked; two participants of the same name are
listed, and merged once the facilitator has checked with the person.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from separ.actors import Actor
from separ.cards import Card, cards_html
from separ.cli import DbOption, WorkshopArg, app
from separ.model import Organisation, Participant
from separ.store import Store
from separ.tokens import card_url, issue_cards, reissue_card, revoke_card
from separ.workspace import open_workshop

UrlOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="The participant link phones use (what `separ serve` prints); "
        "default: this machine's address on port 8866.",
    ),
]


def _base(url: str | None) -> str:
    from separ.cli.live import shown_host

    return url or f"http://{shown_host('0.0.0.0')}:8866/"


def _write(store: Store, out: Path, cards: list[Card]) -> None:
    page = cards_html(store.workshop().title, cards)
    if out.suffix.lower() == ".html":
        out.write_text(page, encoding="utf-8")
        return
    from separ.report.pdf import html_to_pdf

    data = html_to_pdf(page)  # made before the file is opened: nothing half-written
    out.write_bytes(data)


def _card(store: Store, person: Participant, code: str, base: str) -> Card:
    org = store.get(Organisation, person.organisation_id).name if person.organisation_id else None
    return Card(person.name, org, card_url(base, code))


@app.command("cards")
def cards_command(
    workshop: WorkshopArg,
    out: Annotated[Path, typer.Option("--out", help="cards.pdf (or .html).")],
    url: UrlOption = None,
    db: DbOption = None,
) -> None:
    """Print a roster card for every listed participant. Earlier cards stop working."""
    base = _base(url)
    with open_workshop(workshop, db) as store:
        issued = issue_cards(store, Actor.facilitator_actor())
        _write(store, out, [_card(store, person, code, base) for person, code in issued])
    typer.echo(f"wrote {len(issued)} cards to {out}")


@app.command("card")
def card_command(
    workshop: WorkshopArg,
    participant: Annotated[str, typer.Argument(help="The participant's id.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the new card here (.pdf or .html).")
    ] = None,
    revoke: Annotated[
        bool,
        typer.Option(
            "--revoke", help="Cancel the card (and log out its phones) without a new one."
        ),
    ] = False,
    url: UrlOption = None,
    db: DbOption = None,
) -> None:
    """Re-issue one person's card (a lost card): the old card and its phones stop working."""
    facilitator = Actor.facilitator_actor()
    with open_workshop(workshop, db) as store:
        if revoke:
            revoke_card(store, facilitator, participant)
            typer.echo(f"revoked the card of {store.get(Participant, participant).name}")
            return
        code = reissue_card(store, facilitator, participant)
        card = _card(store, store.get(Participant, participant), code, _base(url))
        if out is not None:
            _write(store, out, [card])
    typer.echo(card.url)


@app.command("duplicates")
def duplicates_command(workshop: WorkshopArg, db: DbOption = None) -> None:
    """List participants who share a name (candidates for `separ merge`), and those with
    no organisation (their phones cannot answer the tie survey)."""
    from separ.duplicates import same_name_groups, without_organisation

    with open_workshop(workshop, db) as store:
        groups = same_name_groups(store)
        for group in groups:
            typer.echo(" | ".join(f"{p.id} {p.name} ({p.notes or '-'})" for p in group))
        alone = without_organisation(store)
    if not groups:
        typer.echo("no participants share a name")
    if alone:
        typer.echo(
            "no organisation (tie survey closed): " + ", ".join(f"{p.id} {p.name}" for p in alone)
        )


@app.command("merge")
def merge_command(
    workshop: WorkshopArg,
    keep: Annotated[str, typer.Argument(help="The participant id that stays.")],
    drop: Annotated[str, typer.Argument(help="The participant id merged into it.")],
    db: DbOption = None,
) -> None:
    """Merge two records of one person: one ballot per poll (the later), all attendance."""
    from separ.duplicates import merge_participants

    with open_workshop(workshop, db) as store:
        report = merge_participants(store, Actor.facilitator_actor(), keep, drop)
    moved = sum(report.moved.values())
    typer.echo(
        f"merged {drop} into {keep} ({report.kept.name}): {moved} records moved, "
        f"{report.ballots_dropped} duplicate ballots removed"
    )
