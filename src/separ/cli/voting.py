"""``separ tally``: count a ballot sheet, or recount a workshop's stored poll.

A researcher or a sceptical participant can recount any result from the exported
ballots with one command, by the poll's method or any other, and get the JSON
documented in docs/voting.md ("JSON"): method, ballots, ranking, winner, instant-runoff
rounds and the Schulze pairwise matrix. A sheet counted with ``--poll`` is checked
against that poll's options and rules, exactly as phones' ballots are.
"""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Annotated

import typer

from separ import ballots as bf
from separ import tally
from separ.actors import Actor
from separ.cli import DbOption, app
from separ.errors import SeparError
from separ.i18n import Lang, add_messages, default_lang
from separ.polls import PollResults, results
from separ.workspace import open_workshop

add_messages(
    {
        "tally_needs_input": {
            "ko": "--ballots 파일 또는 워크숍 폴더와 --poll 중 하나를 주세요",
            "en": "give either --ballots FILE.csv or a workshop folder with --poll",
        },
        "tally_needs_method": {"ko": "--method 를 지정해 주세요", "en": "--method is required"},
    }
)

WORDS: dict[str, dict[Lang, str]] = {
    "ballots": {"ko": "{method}: 투표지 {n}장", "en": "{method}: {n} ballots"},
    "head": {"ko": "순위  {option:<{w}}  점수", "en": "rank  {option:<{w}}  score"},
    "option": {"ko": "선택지", "en": "option"},
    "round": {"ko": "{i}라운드: {counts}{out}", "en": "round {i}: {counts}{out}"},
    "out": {"ko": " → 탈락: {names}", "en": " → eliminated: {names}"},
    "tie": {"ko": " (최하위 동점, 함께 탈락)", "en": " (tied for last place, eliminated together)"},
    "exhausted": {"ko": ", 소진 {n}", "en": ", exhausted {n}"},
    "winner": {"ko": "1위: {name}", "en": "winner: {name}"},
    "no_winner": {"ko": "1위: 없음 (동점)", "en": "winner: none (tie)"},
}


def _w(key: str, lang: Lang, **params: object) -> str:
    return WORDS[key][lang].format(**params)


def parse_weights(text: str | None) -> dict[str, Fraction]:
    """``시급성=2,실현가능성=1`` as criterion -> weight (positive)."""
    if not text:
        return {}
    out: dict[str, Fraction] = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        try:
            weight = Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise SeparError("bad_weights", value=text) from None
        if not sep or not name.strip() or weight <= 0:
            raise SeparError("bad_weights", value=text)
        out[name.strip()] = weight
    return out


def table(result: tally.Result, label: dict[str, str], lang: Lang) -> str:
    """The ranking as aligned text, with every instant-runoff round, in ``lang``."""

    def name(option: str) -> str:
        return label.get(option, option)

    width = max([len(name(p.option)) for p in result.ranking] + [6])
    lines = [
        _w("ballots", lang, method=result.method, n=result.ballots),
        _w("head", lang, option=_w("option", lang), w=width),
    ]
    for place in result.ranking:
        lines.append(f"{place.rank:>4}  {name(place.option):<{width}}  {tally.number(place.score)}")
    for i, rnd in enumerate(result.rounds, start=1):
        counts = ", ".join(f"{name(o)} {n}" for o, n in rnd.counts.items())
        if rnd.exhausted:
            counts += _w("exhausted", lang, n=rnd.exhausted)
        out = (
            _w("out", lang, names=", ".join(name(o) for o in rnd.eliminated))
            if rnd.eliminated
            else ""
        )
        if rnd.tie:
            out += _w("tie", lang)
        lines.append(_w("round", lang, i=i, counts=counts, out=out))
    lines.append(
        _w("winner", lang, name=name(result.winner)) if result.winner else _w("no_winner", lang)
    )
    return "\n".join(lines)


def _labels(values: list[str] | None) -> list[str]:
    return [v.strip() for item in values or [] for v in item.split(",") if v.strip()]


@app.command("tally")
def tally_command(
    workshop: Annotated[
        Path | None,
        typer.Argument(help="A workshop folder or file holding the poll (with --poll)."),
    ] = None,
    ballots: Annotated[
        Path | None,
        typer.Option(
            "--ballots", help="Ballot sheet (.csv/.tsv/.txt/.xlsx): voter,option,value[,criterion]."
        ),
    ] = None,
    poll: Annotated[
        str | None,
        typer.Option(
            "--poll", help="The stored poll's id: recount it, or check --ballots by its rules."
        ),
    ] = None,
    options: Annotated[
        list[str] | None,
        typer.Option(
            "--options",
            help="The valid option labels (comma-separated or repeated): any other "
            "option in the sheet is an error.",
        ),
    ] = None,
    method: Annotated[
        str | None,
        typer.Option(
            "--method",
            help="dots|approval|score|criteria|importance|borda|schulze|irv|plurality "
            "(default for --poll: the poll's own).",
        ),
    ] = None,
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    weights: Annotated[
        str | None,
        typer.Option(
            "--weights", help="Criterion weights name=w,… (score with a criterion column)."
        ),
    ] = None,
    dots: Annotated[int | None, typer.Option(help="Dots per voter (default: no limit).")] = None,
    cap: Annotated[int | None, typer.Option(help="At most this many dots per option.")] = None,
    low: Annotated[int, typer.Option(help="Lowest score.")] = 1,
    high: Annotated[int, typer.Option(help="Highest score.")] = 5,
    db: DbOption = None,
) -> None:
    """Count ballots by a method and print the ranking (ties share a rank)."""
    if format not in ("table", "json"):
        raise SeparError("unknown_format", suffix=format)
    if method is not None and method not in bf.COUNT_METHODS:
        raise SeparError("unknown_method", method=method, methods=", ".join(bf.COUNT_METHODS))
    label: dict[str, str] = {}
    if ballots is not None and workshop is None and poll is None:
        if method is None:
            raise SeparError("tally_needs_method")
        sheet = bf.read_ballots(ballots)
        known = _labels(options)
        if known:
            bf.check_known(sheet, known)
        ids = known or list(sheet.options)
        parsed = parse_weights(weights)
        chosen = "criteria" if parsed and method == "score" else method
        # without --dots, no per-voter limit: the largest ballot sets it
        limit = dots or max(
            [
                sum(int(m.value) for m in b.marks if isinstance(m.value, Fraction) and m.value > 0)
                for b in sheet.ballots
            ]
            + [1]
        )
        rules = tally.Rules(
            "irv" if chosen == "plurality" else chosen,  # type: ignore[arg-type]
            dots=limit,
            cap=cap,
            low=low,
            high=high,
            weights=parsed,
        )
        votes = list(sheet.ballots)
        bf.check_sheet(rules, ids, sheet)
    elif workshop is not None and poll is not None:
        with open_workshop(workshop, db) as store:
            try:
                res = results(store, Actor.facilitator_actor(), poll)
            except SeparError:
                # a ballot stored before import checked it: name it by label, not by ids
                problems = bf.stored_problems(store)
                if problems:
                    raise problems[0] from None
                raise
        ids = sorted(res.options, key=lambda o: res.options[o].position)
        label = {o: res.options[o].label for o in ids}
        rules = res.rules if method in (None, "plurality") else replace(res.rules, method=method)  # type: ignore[arg-type]
        if ballots is None:
            votes = list(res.ballots)
        else:
            votes = _sheet_for_poll(bf.read_ballots(ballots), label, res, rules)
    else:
        raise SeparError("tally_needs_input")
    where = str(ballots) if ballots is not None else f"{workshop} {poll}"
    try:
        result = bf.count(rules, ids, votes, method)
    except SeparError as exc:
        raise exc.located(where) from None
    if format == "json":
        typer.echo(json.dumps(bf.result_json(result, ids, votes, label), ensure_ascii=False))
    else:
        typer.echo(table(result, label, default_lang()))


def _sheet_for_poll(
    sheet: bf.BallotSheet, label: dict[str, str], res: PollResults, rules: tally.Rules
) -> list[tally.Ballot]:
    """The sheet's ballots with labels turned into the poll's option and criterion ids,
    each checked by the poll's rules (a 9 on a 1–5 poll names its row and option)."""
    bf.check_known(sheet, list(label.values()))
    by_label = {v: k for k, v in label.items()}
    by_name = {c.name: c.id for c in res.criteria.values()}
    converted = tuple(
        tally.Ballot(
            ballot.voter,
            tuple(
                tally.Mark(
                    by_label[m.option],
                    m.value,
                    by_name.get(m.criterion, m.criterion) if m.criterion else None,
                )
                for m in ballot.marks
            ),
            ballot.weight,
        )
        for ballot in sheet.ballots
    )
    relabelled = bf.BallotSheet(
        sheet.path,
        tuple(label),
        converted,
        {
            (v, by_label[o], by_name.get(c, c) if c else None): n
            for (v, o, c), n in sheet.rows.items()
        },
        sheet.first_row,
    )
    names = {**label, **{c.id: c.name for c in res.criteria.values()}}
    bf.check_sheet(rules, list(label), relabelled, names)
    return list(converted)
