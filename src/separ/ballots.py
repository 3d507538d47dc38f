"""Ballots that arrive as files: a ballot sheet to recount, or a workshop document's stored ballots.

A phone's ballot is checked against its poll's rules before it is stored
(:func:`separ.tally.check`); a ballot from a file must pass the same checks, or a score
of 9 on a 1–5 poll gets into the store and later stops the tally and the report. Here
every ballot of a file is checked before anything is counted or written, and the first
bad one is named as the user can find it: file, row, field and option label (never an
internal id).

The ballot sheet is "long": one row per mark, ``voter,option,value[,criterion]``
(Korean headers 투표자, 선택지, 값, 기준 work too), in any encoding Excel writes or as
.xlsx (see :mod:`separ.tablefile`).
"""

from __future__ import annotations

import difflib
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from separ import tally
from separ.errors import OPTION, VALUE, Place, SeparError, Term, Where, at, in_row, word
from separ.i18n import add_messages
from separ.polls import BallotMark, Poll, PollBallot, PollCriterion, PollOption
from separ.records import Record
from separ.store import Store
from separ.tablefile import read_table, text_of
from separ.validation import field_of

add_messages(
    {
        "csv_header": {
            "ko": "머리행은 voter,option,value[,criterion] (투표자,선택지,값[,기준]) 이어야 합니다 "
            "(지금: {found})",
            "en": "the header must be voter,option,value[,criterion] (found: {found})",
        },
        "csv_empty_header": {"ko": "(비어 있음)", "en": "(empty)"},
        "csv_bad_row": {
            "ko": "투표자나 선택지가 비어 있습니다",
            "en": "the voter or the option is missing",
        },
        "ballot_not_finite": {
            "ko": "값이 유한한 숫자가 아닙니다: {value}",
            "en": "the value is not a finite number: {value}",
        },
        "ballot_unknown_label": {
            "ko": "없는 선택지입니다: {option}{hint}",
            "en": "unknown option: {option}{hint}",
        },
        "ballot_no_ballots": {
            "ko": "투표지가 하나도 없습니다 (머리행만 있습니다)",
            "en": "there are no ballots (only a header)",
        },
        "ballot_wrong_poll": {
            "ko": "다른 투표의 선택지입니다: {option}",
            "en": "the option belongs to another poll: {option}",
        },
    }
)

EMPTY = word("csv_empty_header")
"""What the header message shows for a file without a header, in its language."""

HEADERS: dict[str, tuple[str, ...]] = {
    "voter": ("voter", "투표자"),
    "option": ("option", "선택지"),
    "value": ("value", "값"),
    "criterion": ("criterion", "기준", "평가기준"),
}


@dataclass(frozen=True)
class BallotSheet:
    """The ballots of one sheet, with the row of every mark so errors can point at it."""

    path: Path
    options: tuple[str, ...]
    """Option labels in order of first appearance."""
    ballots: tuple[tally.Ballot, ...]
    rows: Mapping[tuple[str, str, str | None], int]
    """(voter, option, criterion) -> the row number of that mark."""
    first_row: Mapping[str, int]
    """voter -> the row of their first mark."""

    def where(self, voter: str, option: object = None) -> Place:
        """ "file, row N, value" for the voter's mark on ``option`` (or their first row)."""
        rows = [n for (v, o, _), n in self.rows.items() if v == voter and o == option]
        if rows:
            return at(self.path.name, in_row(min(rows)), VALUE)
        return at(self.path.name, in_row(self.first_row.get(voter, 2)))


def _column(header: Sequence[str], path: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in header:
        for key, names in HEADERS.items():
            if name.strip().lower() in names:
                found[key] = name
    if set(found) - {"criterion"} != {"voter", "option", "value"} or len(found) != len(
        [h for h in header if h]
    ):
        raise SeparError("csv_header", where=str(path), found=",".join(header) or EMPTY)
    return found


def parse_value(value: object, where: Where) -> object:
    """A cell as a number (exact Fraction) when it is one; None when empty; text stays text
    (the counting rules then say it is not a number). Infinity and NaN are refused here."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise SeparError("ballot_not_finite", where=where, value=value)
        return Fraction(str(value))
    text = text_of(value)
    if not text:
        return None
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        pass
    try:
        number = float(text)
    except ValueError:
        return text
    if not math.isfinite(number):
        raise SeparError("ballot_not_finite", where=where, value=text)
    return Fraction(str(number))


def read_ballots(path: Path) -> BallotSheet:
    """Read a long ballot sheet; exit early (SeparError) on a bad header, empty voter or
    option, non-finite value, or a sheet without a single ballot."""
    table = read_table(path, allow_empty=True)
    cols = _column(table.header, path)
    options: list[str] = []
    marks: dict[str, list[tally.Mark]] = {}
    rows: dict[tuple[str, str, str | None], int] = {}
    first: dict[str, int] = {}
    for number, row in table.rows:
        voter, option = text_of(row.get(cols["voter"])), text_of(row.get(cols["option"]))
        if not voter or not option:
            raise SeparError("csv_bad_row", where=at(path.name, in_row(number)))
        criterion = text_of(row.get(cols["criterion"])) or None if "criterion" in cols else None
        value = parse_value(row.get(cols["value"]), at(path.name, in_row(number), VALUE))
        if option not in options:
            options.append(option)
        marks.setdefault(voter, []).append(tally.Mark(option, value, criterion))
        rows.setdefault((voter, option, criterion), number)
        first.setdefault(voter, number)
    if not marks:
        raise SeparError("ballot_no_ballots", where=str(path))
    return BallotSheet(
        path,
        tuple(options),
        tuple(tally.Ballot(v, tuple(m)) for v, m in marks.items()),
        rows,
        first,
    )


def suggestion(name: str, known: Iterable[str]) -> str:
    """ " (did you mean: Nashville?)" for a near miss, else ""."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" ({close[0]}?)" if close else ""


def check_known(sheet: BallotSheet, known: Sequence[str]) -> None:
    """Refuse the first option of the sheet that is not among ``known`` labels, with its row
    and the closest known label: a misspelt "Nashvile" must not become a new candidate."""
    for (_, option, _), number in sorted(sheet.rows.items(), key=lambda kv: kv[1]):
        if option not in known:
            raise SeparError(
                "ballot_unknown_label",
                where=at(sheet.path.name, in_row(number), OPTION),
                option=option,
                hint=suggestion(option, known),
            )


def _shown(params: Mapping[str, object], names: Mapping[str, str]) -> dict[str, object]:
    """Error parameters with option and criterion ids replaced by their labels."""
    return {
        k: " / ".join(names.get(p, p) for p in v.split(" / "))
        if isinstance(v, str) and k in ("option", "criterion")
        else v
        for k, v in params.items()
    }


def check_sheet(
    rules: tally.Rules,
    options: Sequence[str],
    sheet: BallotSheet,
    names: Mapping[str, str] | None = None,
) -> None:
    """Check every ballot of the sheet by ``rules``, as a phone's would be. The first bad
    ballot raises, located at its row; ``names`` turns ids in the message into labels."""
    for ballot in sheet.ballots:
        try:
            tally.check(rules, options, ballot)
        except SeparError as exc:
            option = exc.params.get("option")
            first = option.split(" / ")[0] if isinstance(option, str) else None
            place = sheet.where(ballot.voter, first)
            raise SeparError(
                exc.key,
                where=at(place, f"({ballot.voter})", sep=" "),
                **_shown(exc.params, names or {}),
            ) from None


def check_stored(pairs: Sequence[tuple[Record, Where]]) -> None:
    """Check every stored ballot of an import against its poll's rules, as
    :func:`separ.polls.submit_ballot` would have; raise at the first bad mark, naming its
    place in the file, the field and the option's label."""
    polls = {r.id: r for r, _ in pairs if isinstance(r, Poll)}
    options: dict[str, list[PollOption]] = defaultdict(list)
    criteria: dict[str, list[PollCriterion]] = defaultdict(list)
    ballots: dict[str, tuple[PollBallot, Where]] = {}
    marks: dict[str, list[tuple[BallotMark, Where]]] = defaultdict(list)
    for record, where in pairs:
        if isinstance(record, PollOption):
            options[record.poll_id].append(record)
        elif isinstance(record, PollCriterion):
            criteria[record.poll_id].append(record)
        elif isinstance(record, PollBallot):
            ballots[record.id] = (record, where)
        elif isinstance(record, BallotMark):
            marks[record.ballot_id].append((record, where))
    for ballot, where in ballots.values():
        poll = polls.get(ballot.poll_id)
        if poll is None:
            continue  # check_set reports the missing poll
        _check_one(
            poll,
            sorted(options[poll.id], key=lambda o: o.position),
            sorted(criteria[poll.id], key=lambda c: c.position),
            ballot,
            where,
            marks[ballot.id],
        )


def _check_one(
    poll: Poll,
    options: list[PollOption],
    criteria: list[PollCriterion],
    ballot: PollBallot,
    where: Where,
    marks: list[tuple[BallotMark, Where]],
) -> None:
    names = {o.id: o.label for o in options} | {c.id: c.name for c in criteria}
    place = {(m.option_id, m.criterion_id): w for m, w in marks}
    for mark, mark_where in marks:
        if mark.option_id not in names:
            raise SeparError(
                "ballot_wrong_poll",
                where=at(mark_where, field_of(BallotMark, "option_id")),
                option=mark.option_id,
            )
    rules = tally.Rules(
        method=poll.method.value,
        dots=poll.dots,
        cap=poll.cap,
        low=poll.score_min,
        high=poll.score_max,
        unranked=poll.unranked.value,
        weights={c.id: Fraction(str(c.weight)) for c in criteria},
    )
    try:
        tally.check(
            rules,
            [o.id for o in options],
            tally.Ballot(
                ballot.id,
                tuple(tally.Mark(m.option_id, m.value, m.criterion_id) for m, _ in marks),
                ballot.voters,
            ),
        )
    except SeparError as exc:
        option = exc.params.get("option")
        first = str(option).split(" / ")[0] if isinstance(option, str) else None
        located = next((w for (o, _), w in place.items() if o == first), None)
        mark_at = at(located, VALUE) if located and exc.key != "ballot_missing_score" else where
        raise SeparError(
            exc.key, where=at(mark_at, f"({poll.title})", sep=" "), **_shown(exc.params, names)
        ) from None


COUNT_METHODS: tuple[str, ...] = (*tally.METHODS, "plurality")
"""What ``separ tally`` counts by: a poll's methods, and plurality (first preferences of
ranked ballots) as a reference reading."""


def count(
    rules: tally.Rules,
    options: Sequence[str],
    ballots: Sequence[tally.Ballot],
    method: str | None = None,
) -> tally.Result:
    """Count by ``method`` (default: the rules'); plurality reads ranked ballots."""
    if method == "plurality":
        return tally.plurality(options, ballots)
    return tally.count(rules, options, ballots)


def _rankings(ballots: Sequence[tally.Ballot]) -> list[tuple[list[str], int]]:
    out = []
    for ballot in ballots:
        ranked = [
            (Fraction(str(m.value)), m.option)
            for m in ballot.marks
            if isinstance(m.value, int | float | Fraction)
        ]
        out.append(([option for _, option in sorted(ranked)], ballot.weight))
    return out


def result_json(
    result: tally.Result,
    options: Sequence[str],
    ballots: Sequence[tally.Ballot],
    label: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """The documented JSON of a count (docs/voting.md, "JSON"): every key always present.

    ``rounds`` lists instant-runoff rounds (counts per continuing option, who was
    eliminated, exhausted ballots, whether it was a tie); ``pairwise`` is, for Schulze,
    ``{"options": [...], "matrix": [[d[x][y] …]]}`` where d[x][y] is the number of voters
    ranking x above y (null on the diagonal); both are empty/null for other methods.
    """
    name = dict(label or {})

    def shown(option: str) -> str:
        return name.get(option, option)

    pairwise: dict[str, object] | None = None
    if result.method == "schulze":
        d = tally.pairwise(options, _rankings(ballots))
        pairwise = {
            "options": [shown(o) for o in options],
            "matrix": [[None if x == y else d[(x, y)] for y in options] for x in options],
        }
    return {
        "method": result.method,
        "ballots": result.ballots,
        "ranking": [
            {"option": shown(p.option), "rank": p.rank, "score": tally.number(p.score)}
            for p in result.ranking
        ],
        "winner": shown(result.winner) if result.winner else None,
        "rounds": [
            {
                "round": i,
                "counts": {shown(o): n for o, n in r.counts.items()},
                "eliminated": [shown(o) for o in r.eliminated],
                "exhausted": r.exhausted,
                "tie": r.tie,
            }
            for i, r in enumerate(result.rounds, start=1)
        ],
        "pairwise": pairwise,
    }


def stored_problems(store: Store) -> list[SeparError]:
    """Every stored ballot that breaks its poll's rules (one error per ballot, naming the
    poll, the ballot and the option's label), for a report to name and go on: data that
    got into a store before import checked it must never stop the whole report."""
    with store.reading() as tx:
        pairs: list[tuple[Record, Where]] = []
        for rtype in (Poll, PollOption, PollCriterion, PollBallot, BallotMark):
            table = Term(ko=rtype.sheet["ko"], en=rtype.table)
            pairs += [(r, at(table, r.id, sep=" ")) for r in tx.find(rtype)]
    problems = []
    for ballot in [r for r, _ in pairs if isinstance(r, PollBallot)]:
        own = [
            (r, w)
            for r, w in pairs
            if not isinstance(r, PollBallot | BallotMark)
            or r.id == ballot.id
            or getattr(r, "ballot_id", None) == ballot.id
        ]
        try:
            check_stored(own)
        except SeparError as exc:
            problems.append(exc)
    return problems
