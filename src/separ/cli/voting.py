"""``separ tally``: count a ballots CSV, or recount a workshop's stored poll.

A researcher or a sceptical participant can recount any result from the exported
ballots with one command, by the poll's method or any other, and get the same JSON the
tests check: ``{"method", "ballots", "ranking": [{"option", "rank", "score"}], "winner"}``.
"""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Annotated

import typer

from separ import tally
from separ.actors import Actor
from separ.cli import DbOption, app
from separ.errors import SeparError
from separ.i18n import add_messages
from separ.workspace import open_workshop

add_messages({
    "tally_needs_input": {
        "ko": "--ballots 파일 또는 워크숍 폴더와 --poll 중 하나를 주세요",
        "en": "give either --ballots FILE.csv or a workshop folder with --poll"},
    "tally_needs_method": {"ko": "--method 를 지정해 주세요", "en": "--method is required"},
    "csv_header": {
        "ko": "CSV 머리행은 voter,option,value[,criterion] 이어야 합니다 (지금: {found})",
        "en": "the CSV header must be voter,option,value[,criterion] (found: {found})"},
    "csv_bad_row": {"ko": "값이 빠졌거나 열 수가 맞지 않습니다",
                    "en": "missing value or wrong number of columns"},
})


def _number(text: str) -> object:
    """A CSV cell as a number when it is one; empty is None; anything else stays text."""
    text = text.strip()
    if not text:
        return None
    try:
        return Fraction(text)
    except ValueError:
        return text


def read_ballots(path: Path) -> tuple[list[str], list[tally.Ballot]]:
    """Options (in order of first appearance) and ballots from a long-format CSV."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SeparError("file_not_found", path=str(path)) from None
    rows = list(csv.reader(raw.splitlines()))
    header = [h.strip().lower() for h in rows[0]] if rows else []
    if header not in (["voter", "option", "value"], ["voter", "option", "value", "criterion"]):
        raise SeparError("csv_header", where=str(path), found=",".join(header) or "(empty)")
    options: list[str] = []
    marks: dict[str, list[tally.Mark]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 3 or len(row) > len(header) or not row[0].strip() or not row[1].strip():
            raise SeparError("csv_bad_row", where=f"{path} row {number}")
        voter, option = row[0].strip(), row[1].strip()
        criterion = row[3].strip() or None if len(row) > 3 else None
        if option not in options:
            options.append(option)
        marks.setdefault(voter, []).append(tally.Mark(option, _number(row[2]), criterion))
    return options, [tally.Ballot(v, tuple(m)) for v, m in marks.items()]


def parse_weights(text: str | None) -> dict[str, Fraction]:
    if not text:
        return {}
    out: dict[str, Fraction] = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        try:
            weight = Fraction(value.strip())
        except ValueError:
            raise SeparError("bad_weights", value=text) from None
        if not sep or not name.strip() or weight <= 0:
            raise SeparError("bad_weights", value=text)
        out[name.strip()] = weight
    return out


def _table(result: tally.Result, label: dict[str, str]) -> str:
    width = max([len(label.get(p.option, p.option)) for p in result.ranking] + [6])
    lines = [f"{result.method}: {result.ballots} ballots",
             f"{'rank':>4}  {'option':<{width}}  score"]
    for place in result.ranking:
        name = label.get(place.option, place.option)
        lines.append(f"{place.rank:>4}  {name:<{width}}  {tally.number(place.score)}")
    for i, rnd in enumerate(result.rounds, start=1):
        if rnd.tie:
            tied = ", ".join(label.get(o, o) for o in rnd.eliminated)
            lines.append(f"round {i}: tied for last place, eliminated together: {tied}")
    winner = label.get(result.winner, result.winner) if result.winner else "none (tie)"
    lines.append(f"winner: {winner}")
    return "\n".join(lines)


@app.command("tally")
def tally_command(
    workshop: Annotated[Path | None, typer.Argument(
        help="A workshop folder or file holding the poll (with --poll).")] = None,
    ballots: Annotated[Path | None, typer.Option(
        "--ballots", help="Long CSV: voter,option,value[,criterion].")] = None,
    poll: Annotated[str | None, typer.Option("--poll", help="The stored poll's id.")] = None,
    method: Annotated[str | None, typer.Option(
        "--method", help="dots|approval|score|criteria|importance|borda|schulze|irv "
        "(default for --poll: the poll's own).")] = None,
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    weights: Annotated[str | None, typer.Option(
        "--weights", help="Criterion weights name=w,… (score with a criterion column).")] = None,
    dots: Annotated[int | None, typer.Option(help="Dots per voter (default: no limit).")] = None,
    cap: Annotated[int | None, typer.Option(help="At most this many dots per option.")] = None,
    low: Annotated[int, typer.Option(help="Lowest score.")] = 1,
    high: Annotated[int, typer.Option(help="Highest score.")] = 5,
    db: DbOption = None,
) -> None:
    """Count ballots by a method and print the ranking (ties share a rank)."""
    if format not in ("table", "json"):
        raise SeparError("unknown_format", suffix=format)
    if method is not None and method not in tally.METHODS:
        raise SeparError("unknown_method", method=method, methods=", ".join(tally.METHODS))
    label: dict[str, str] = {}
    if ballots is not None and workshop is None and poll is None:
        if method is None:
            raise SeparError("tally_needs_method")
        options, votes = read_ballots(ballots)
        parsed = parse_weights(weights)
        chosen = "criteria" if parsed and method == "score" else method
        # without --dots, no per-voter limit: the largest ballot sets it
        limit = dots or max([sum(int(m.value) for m in b.marks
                                 if isinstance(m.value, Fraction) and m.value > 0)
                             for b in votes] + [1])
        rules = tally.Rules(chosen, dots=limit, cap=cap, low=low, high=high, weights=parsed)
        where = str(ballots)
    elif workshop is not None and poll is not None and ballots is None:
        from separ.polls import results

        with open_workshop(workshop, db) as store:
            res = results(store, Actor.facilitator_actor(), poll)
        options = list(res.options)
        options.sort(key=lambda o: res.options[o].position)
        votes = list(res.ballots)
        rules = res.rules if method is None else replace(res.rules, method=method)
        label = {o: res.options[o].label for o in options}
        where = f"{workshop} {poll}"
    else:
        raise SeparError("tally_needs_input")
    try:
        result = tally.count(rules, options, votes)
    except SeparError as exc:
        raise exc.located(where) from None
    if format == "json":
        out = result.as_json()
        if label:
            out["ranking"] = [{"option": label[p.option], "rank": p.rank,
                               "score": tally.number(p.score)} for p in result.ranking]
            out["winner"] = label[result.winner] if result.winner else None
        typer.echo(json.dumps(out, ensure_ascii=False))
    else:
        typer.echo(_table(result, label))

