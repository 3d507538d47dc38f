"""``separ poll list|create|open|close|reveal|paper``: every step of a priority vote from a shell.

A facilitator who prepares a poll before the session, a researcher scripting a whole
workshop, and the test suite all run the same steps the console's buttons run
(:mod:`separ.polls`), so nobody edits a status column in Excel to close a poll.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from separ import polls
from separ.actors import Actor
from separ.ballots import suggestion
from separ.cli import DbOption, WorkshopArg, app
from separ.errors import SeparError, nth
from separ.i18n import Lang, add_messages, default_lang
from separ.workspace import open_workshop

add_messages(
    {
        "poll_bad_criterion": {
            "ko": "기준은 '이름=가중치' 형식입니다: {value}",
            "en": "a criterion is given as name=weight: {value}",
        },
        "poll_paper_input": {
            "ko": "--ballot 또는 --file 로 종이 투표지를 주세요",
            "en": "give the paper ballots with --ballot or --file",
        },
    }
)

poll_app = typer.Typer(
    help="Polls: create, open, close, reveal, enter paper ballots.", no_args_is_help=True
)
app.add_typer(poll_app, name="poll")

PollArg = Annotated[str, typer.Argument(help="The poll's id (see `separ poll list`).")]

WORDS: dict[str, dict[Lang, str]] = {
    "created": {
        "ko": "투표를 만들었습니다: {id} ({title}, 선택지 {n}개)",
        "en": "created poll {id} ({title}, {n} options)",
    },
    "open": {"ko": "투표를 시작했습니다: {title}", "en": "opened {title}"},
    "close": {"ko": "투표를 마감했습니다: {title}", "en": "closed {title}"},
    "reveal": {"ko": "결과를 공개했습니다: {title}", "en": "revealed the results of {title}"},
    "paper": {
        "ko": "종이 투표지 {n}장을 입력했습니다 ({voters}명분): {title}",
        "en": "entered {n} paper ballots (for {voters} voters) in {title}",
    },
    "head": {
        "ko": "ID  제목  방식  상태  공개  선택지  투표자",
        "en": "id  title  method  status  revealed  options  voters",
    },
    "yes": {"ko": "예", "en": "yes"},
    "no": {"ko": "아니요", "en": "no"},
    "none": {"ko": "투표가 없습니다", "en": "no polls"},
}


def _w(key: str, lang: Lang, **params: object) -> str:
    return WORDS[key][lang].format(**params)


def _method(value: str) -> str:
    """A method code, or its Korean/English label ("다기준 평가")."""
    for code, names in polls.PollMethod.labels().items():
        if value in (code, *names.values()):
            return code
    return value  # polls.create_poll names the allowed values


def _criteria(values: list[str] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in values or []:
        name, sep, weight = item.partition("=")
        try:
            out[name.strip()] = float(weight) if sep else 1.0
        except ValueError:
            raise SeparError("poll_bad_criterion", value=item) from None
        if not name.strip():
            raise SeparError("poll_bad_criterion", value=item)
    return out


@poll_app.command("list")
def poll_list(workshop: WorkshopArg, db: DbOption = None) -> None:
    """Every poll with its method, status, options and voters so far."""
    lang = default_lang()
    fac = Actor.facilitator_actor()
    with open_workshop(workshop, db) as store:
        rows = []
        for poll in store.list(polls.Poll):
            res = polls.results(store, fac, poll.id)
            rows.append(
                "  ".join(
                    [
                        poll.id,
                        poll.title,
                        poll.method.label(lang),
                        poll.status.label(lang),
                        _w("yes" if poll.results_revealed else "no", lang),
                        str(len(res.options)),
                        str(res.voted),
                    ]
                )
            )
    typer.echo("\n".join([_w("head", lang), *rows]) if rows else _w("none", lang))


@poll_app.command("create")
def poll_create(
    workshop: WorkshopArg,
    title: Annotated[str, typer.Option(help="What the vote decides.")],
    method: Annotated[
        str,
        typer.Option(
            help="dots|approval|score|criteria|importance|borda|schulze|irv (or its label)."
        ),
    ],
    option: Annotated[
        list[str] | None, typer.Option("--option", help="An option label (repeat for each).")
    ] = None,
    options_file: Annotated[
        Path | None, typer.Option("--options-file", help="A text file with one option per line.")
    ] = None,
    criterion: Annotated[
        list[str] | None,
        typer.Option("--criterion", help="Multi-criteria: name=weight (repeat), e.g. 시급성=2."),
    ] = None,
    question: Annotated[str | None, typer.Option(help="The question shown to voters.")] = None,
    session: Annotated[str | None, typer.Option(help="The session's id.")] = None,
    dots: Annotated[int | None, typer.Option(help="Dots per voter.")] = None,
    cap: Annotated[int | None, typer.Option(help="At most this many dots per option.")] = None,
    score_min: Annotated[int | None, typer.Option(help="Lowest score.")] = None,
    score_max: Annotated[int | None, typer.Option(help="Highest score.")] = None,
    anonymous: Annotated[bool, typer.Option(help="Secret ballot.")] = False,
    db: DbOption = None,
) -> None:
    """Create a draft poll with its options (and criteria); prints its id."""
    labels = list(option or [])
    if options_file is not None:
        from separ.tablefile import decode

        if not options_file.is_file():
            raise SeparError("file_not_found", path=str(options_file))
        text, _ = decode(options_file.read_bytes(), str(options_file))
        labels += polls.parse_lines(text)
    settings = {
        k: v
        for k, v in {
            "question": question,
            "session_id": session,
            "dots": dots,
            "cap": cap,
            "score_min": score_min,
            "score_max": score_max,
        }.items()
        if v is not None
    }
    with open_workshop(workshop, db) as store:
        poll = polls.create_poll(
            store,
            Actor.facilitator_actor("separ poll create"),
            title,
            _method(method),
            options=labels,
            criteria=_criteria(criterion) or None,
            anonymous=anonymous,
            **settings,
        )
    typer.echo(_w("created", default_lang(), id=poll.id, title=poll.title, n=len(labels)))


def _step(workshop: Path, poll_id: str, db: str | None, step: str) -> None:
    action = {"open": polls.open_poll, "close": polls.close_poll, "reveal": polls.reveal_results}[
        step
    ]
    with open_workshop(workshop, db) as store:
        poll = action(store, Actor.facilitator_actor(f"separ poll {step}"), poll_id)
    typer.echo(_w(step, default_lang(), title=poll.title))


@poll_app.command("open")
def poll_open(workshop: WorkshopArg, poll: PollArg, db: DbOption = None) -> None:
    """Start voting (draft → open)."""
    _step(workshop, poll, db, "open")


@poll_app.command("close")
def poll_close(workshop: WorkshopArg, poll: PollArg, db: DbOption = None) -> None:
    """Stop voting (open → closed, final)."""
    _step(workshop, poll, db, "close")


@poll_app.command("reveal")
def poll_reveal(workshop: WorkshopArg, poll: PollArg, db: DbOption = None) -> None:
    """Show the results to participants."""
    _step(workshop, poll, db, "reveal")


@poll_app.command("paper")
def poll_paper(
    workshop: WorkshopArg,
    poll: PollArg,
    ballot: Annotated[
        list[str] | None,
        typer.Option(
            "--ballot",
            help="One paper ballot by option labels: '센터 운영=2, 공공구매=1', "
            "'옵션/기준=4, …' (criteria) or 'A > B > C' (ranked). Repeat for each.",
        ),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="A text file with one paper ballot per line.")
    ] = None,
    voters: Annotated[
        int, typer.Option(help="People each ballot stands for (a wall chart's tally sheet).")
    ] = 1,
    note: Annotated[str | None, typer.Option(help="A note kept with the ballots.")] = None,
    db: DbOption = None,
) -> None:
    """Enter ballots cast on paper, all or none."""
    lines = list(ballot or [])
    if file is not None:
        from separ.tablefile import decode

        if not file.is_file():
            raise SeparError("file_not_found", path=str(file))
        lines += polls.parse_lines(decode(file.read_bytes(), str(file))[0])
    if not lines:
        raise SeparError("poll_paper_input")
    with open_workshop(workshop, db) as store:
        parsed = polls.parse_paper(store, poll, "\n".join(lines))
        labels = {o.id: o.label for o in store.list(polls.PollOption, poll_id=poll)}
        for number, marks in enumerate(parsed, start=1):
            for mark in marks:
                if mark.option not in labels:  # a label parse_paper did not know
                    raise SeparError(
                        "ballot_unknown_label",
                        where=nth("ballot", number),
                        option=mark.option,
                        hint=suggestion(mark.option, labels.values()),
                    )
        receipts = polls.enter_paper_ballots(
            store,
            Actor.facilitator_actor("separ poll paper"),
            poll,
            parsed,
            voters=voters,
            note=note,
        )
        title = store.get(polls.Poll, poll).title
    typer.echo(
        _w("paper", default_lang(), n=len(receipts), voters=len(receipts) * voters, title=title)
    )
