"""Counting ballots: pure functions, no store, exact arithmetic, ties kept as ties.

A group must be able to trust its result, so every method here

* counts with :class:`fractions.Fraction` (no float noise decides a place),
* returns a *full* ranking in which equal scores share a rank (1, 1, 3 …),
* names no winner (``winner=None``) when the top place is shared,
* never breaks a tie silently: instant-runoff reports every round in which several
  options were tied for last place (they are eliminated together; see :func:`irv`).

Conventions that change results, decided here and documented in ``docs/voting.md``:

* **Borda with partial rankings** (``unranked="average"``, the default): an option at
  rank r of n gets n − r points; the options a voter left unranked share the remaining
  points equally. Every ballot then carries the same n(n−1)/2 points however many
  options it ranks (this is pref_voting's *symmetric Borda*). ``unranked="zero"``
  gives unranked options nothing (pref_voting's *domination Borda*).
* **Schulze** measures a path's strength by margins (votes for X over Y minus votes for
  Y over X), as pref_voting's ``beat_path``; with complete ballots this equals the
  "winning votes" variant. Options ranked by a voter beat the ones they left unranked.
* **Instant-runoff**: ballots whose ranked options are all eliminated are exhausted and
  drop out; options tied for fewest votes are eliminated together, and the round is
  reported as a tie. The count goes on until one option is left (or all that are left
  are tied), so the full ranking is the reverse order of elimination.

Ballots are lists of :class:`Mark` (option, value, criterion), the same long format as
the CLI's CSV and the store's ballot marks, so one validator serves all three.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from statistics import median
from typing import Literal

from separ.errors import SeparError
from separ.i18n import Lang, add_messages

Method = Literal["dots", "approval", "score", "criteria", "importance", "borda", "schulze", "irv"]
METHODS: tuple[Method, ...] = (
    "dots",
    "approval",
    "score",
    "criteria",
    "importance",
    "borda",
    "schulze",
    "irv",
)
RANKED: tuple[Method, ...] = ("borda", "schulze", "irv")
RATED: tuple[Method, ...] = ("score", "criteria", "importance")

IMPORTANCE_LEVELS: dict[int, dict[Lang, str]] = {
    4: {"ko": "상", "en": "high"},
    3: {"ko": "중상", "en": "upper-middle"},
    2: {"ko": "중", "en": "middle"},
    1: {"ko": "하", "en": "low"},
}
"""The seed's 〈표 4-22〉 importance scale (상/중상/중), with 하 below it."""

CONTESTED = Fraction(3, 5)
"""Normalised spread (standard deviation over half the scale) from which an option is
flagged as contested: a standard deviation of 1.2 or more on a 1–5 scale (e.g. scores
1, 3, 3, 5), or of 1 on ranks 1–3 (half the voters put it first, half last)."""

add_messages(
    {
        "ballot_empty": {
            "ko": "투표지가 비어 있습니다: 하나 이상 선택해 주세요",
            "en": "the ballot is empty: choose at least one option",
        },
        "ballot_unknown_option": {
            "ko": "없는 선택지입니다: {option}",
            "en": "unknown option: {option}",
        },
        "ballot_unknown_criterion": {
            "ko": "없는 기준입니다: {criterion}",
            "en": "unknown criterion: {criterion}",
        },
        "ballot_no_value": {"ko": "{option}에 값이 없습니다", "en": "no value for {option}"},
        "ballot_not_number": {
            "ko": "{option}의 값이 숫자가 아닙니다: {value}",
            "en": "the value for {option} is not a number: {value}",
        },
        "ballot_twice": {
            "ko": "{option}을(를) 두 번 표시했습니다",
            "en": "{option} is marked twice",
        },
        "ballot_too_many_dots": {
            "ko": "스티커가 너무 많습니다: {used}개 (최대 {limit}개)",
            "en": "too many dots: {used} (at most {limit})",
        },
        "ballot_cap": {
            "ko": "{option}에 스티커가 너무 많습니다: {used}개 (선택지당 최대 {limit}개)",
            "en": "too many dots on {option}: {used} (at most {limit} per option)",
        },
        "ballot_whole_number": {
            "ko": "{option}의 값은 0 이상의 정수여야 합니다: {value}",
            "en": "the value for {option} must be a whole number ≥ 0: {value}",
        },
        "ballot_approval_value": {
            "ko": "찬성은 1(찬성) 또는 0(반대)입니다: {option}={value}",
            "en": "approval is 1 (yes) or 0 (no): {option}={value}",
        },
        "ballot_out_of_range": {
            "ko": "{option}의 점수 {value}은(는) {low}~{high} 사이여야 합니다",
            "en": "the score {value} for {option} must be between {low} and {high}",
        },
        "ballot_missing_score": {
            "ko": "점수를 매기지 않은 선택지가 있습니다: {option}",
            "en": "not every option is scored: {option} is missing",
        },
        "ballot_rank_twice": {
            "ko": "{rank}순위를 두 번 썼습니다",
            "en": "rank {rank} is used twice",
        },
        "ballot_rank_gap": {
            "ko": "순위는 1부터 빠짐없이 매겨야 합니다 ({ranks})",
            "en": "ranks must run 1, 2, 3, … without gaps ({ranks})",
        },
        "ballot_rank_value": {
            "ko": "{option}의 순위가 올바르지 않습니다: {value} (1~{limit})",
            "en": "invalid rank for {option}: {value} (1 to {limit})",
        },
        "ballot_criterion_needed": {
            "ko": "{option}의 평가 기준이 빠졌습니다",
            "en": "the criterion is missing for {option}",
        },
        "unknown_method": {
            "ko": "알 수 없는 집계 방식입니다: {method} (가능: {methods})",
            "en": "unknown counting method: {method} (allowed: {methods})",
        },
        "bad_weights": {
            "ko": "가중치는 '이름=가중치' 형식의 양수입니다: {value}",
            "en": "weights are given as name=weight, a positive number: {value}",
        },
        "no_criteria": {
            "ko": "다기준 평가에는 기준과 가중치가 필요합니다",
            "en": "multi-criteria scoring needs criteria with weights",
        },
    }
)


@dataclass(frozen=True)
class Mark:
    """One line of a ballot: an option, the value given to it, and the criterion if any."""

    option: str
    value: object
    """A number; anything else (None, text from a forged widget) is refused by :func:`check`."""
    criterion: str | None = None


@dataclass(frozen=True)
class Ballot:
    """One voter's marks. ``weight`` > 1 only for a paper record standing for several voters."""

    voter: str
    marks: tuple[Mark, ...]
    weight: int = 1


@dataclass(frozen=True)
class Rules:
    """How a poll is counted: the method and its settings."""

    method: Method
    dots: int = 3
    """Dots per voter (dot voting)."""
    cap: int | None = None
    """At most this many dots on one option (dot voting); None = no cap."""
    low: int = 1
    high: int = 5
    """The score range (score and multi-criteria voting)."""
    weights: Mapping[str, Fraction] = field(default_factory=dict)
    """Criterion -> weight (multi-criteria voting), in display order."""
    unranked: Literal["average", "zero"] = "average"
    """Borda: how options left off a partial ranking are scored."""

    def scale(self) -> tuple[int, int]:
        return (1, 4) if self.method == "importance" else (self.low, self.high)


@dataclass(frozen=True)
class Place:
    option: str
    rank: int
    """Shared by tied options: 1, 1, 3 …"""
    score: Fraction


@dataclass(frozen=True)
class Round:
    """One round of instant-runoff."""

    counts: Mapping[str, int]
    eliminated: tuple[str, ...]
    exhausted: int
    """Ballot weight with no continuing option left."""

    @property
    def tie(self) -> bool:
        """Several options tied for last place and were eliminated together."""
        return len(self.eliminated) > 1


@dataclass(frozen=True)
class Result:
    method: str
    ballots: int
    """Voters counted (paper records count with their weight)."""
    ranking: tuple[Place, ...]
    winner: str | None
    rounds: tuple[Round, ...] = ()
    by_criterion: Mapping[str, Mapping[str, Fraction]] = field(default_factory=dict)
    """Criterion -> option -> mean score (multi-criteria)."""
    values: Mapping[str, tuple[Fraction, ...]] = field(default_factory=dict)
    """Option -> every voter's value for it (weights expanded), for spreads and histograms."""

    def place(self, option: str) -> Place:
        return next(p for p in self.ranking if p.option == option)

    def tied_rounds(self) -> list[Round]:
        return [r for r in self.rounds if r.tie]

    def as_json(self) -> dict[str, object]:
        """The CLI's JSON form: method, ballots, ranking (option, rank, score), winner."""
        return {
            "method": self.method,
            "ballots": self.ballots,
            "ranking": [
                {"option": p.option, "rank": p.rank, "score": number(p.score)} for p in self.ranking
            ],
            "winner": self.winner,
        }


def number(value: Fraction) -> int | float:
    """A score for people and JSON: whole numbers stay whole, others get 4 decimals."""
    return int(value) if value.denominator == 1 else round(float(value), 4)


# -- validation -----------------------------------------------------------------------


def _fraction(mark: Mark, where: str) -> Fraction:
    value = mark.value
    if value is None:
        raise SeparError("ballot_no_value", where=where, option=mark.option)
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
        raise SeparError("ballot_not_number", where=where, option=mark.option, value=value)
    if isinstance(value, float) and not math.isfinite(value):
        raise SeparError("ballot_not_number", where=where, option=mark.option, value=value)
    return Fraction(value) if not isinstance(value, float) else Fraction(str(value))


def _whole(value: Fraction, option: str, where: str) -> int:
    if value.denominator != 1 or value < 0:
        raise SeparError("ballot_whole_number", where=where, option=option, value=number(value))
    return int(value)


def check(
    rules: Rules, options: Sequence[str], ballot: Ballot
) -> dict[tuple[str, str | None], Fraction]:
    """Validate one ballot against the rules; return (option, criterion) -> value.

    Raises a :class:`SeparError` naming the voter and the problem. The store's
    ``submit_ballot``, paper entry and the CLI all go through here.
    """
    where = ballot.voter
    known = set(options)
    values: dict[tuple[str, str | None], Fraction] = {}
    for mark in ballot.marks:
        if mark.option not in known:
            raise SeparError("ballot_unknown_option", where=where, option=mark.option)
        criterion = mark.criterion or None
        if rules.method == "criteria":
            if criterion is None:
                raise SeparError("ballot_criterion_needed", where=where, option=mark.option)
            if criterion not in rules.weights:
                raise SeparError("ballot_unknown_criterion", where=where, criterion=criterion)
        elif criterion is not None:
            raise SeparError("ballot_unknown_criterion", where=where, criterion=criterion)
        key = (mark.option, criterion)
        if key in values:
            shown = f"{mark.option} / {criterion}" if criterion else mark.option
            raise SeparError("ballot_twice", where=where, option=shown)
        values[key] = _fraction(mark, where)
    method = rules.method
    if method == "dots":
        _check_dots(rules, values, ballot)
    elif method == "approval":
        for (option, _), value in values.items():
            if value not in (0, 1):
                raise SeparError(
                    "ballot_approval_value", where=where, option=option, value=number(value)
                )
    elif method in RATED:
        _check_rated(rules, options, values, where)
    elif method in RANKED:
        _check_ranked(options, values, where)
    else:
        raise SeparError("unknown_method", method=method, methods=", ".join(METHODS))
    counted = values.values() if method in ("dots", "approval") else [1] * len(values)
    if not any(counted):  # a zero is a mark only where the scale has a zero
        raise SeparError("ballot_empty", where=where)
    return values


def _check_dots(
    rules: Rules, values: Mapping[tuple[str, str | None], Fraction], ballot: Ballot
) -> None:
    where = ballot.voter
    used = 0
    for (option, _), value in values.items():
        n = _whole(value, option, where)
        if rules.cap is not None and n > rules.cap * ballot.weight:
            raise SeparError(
                "ballot_cap", where=where, option=option, used=n, limit=rules.cap * ballot.weight
            )
        used += n
    if used > rules.dots * ballot.weight:
        raise SeparError(
            "ballot_too_many_dots", where=where, used=used, limit=rules.dots * ballot.weight
        )


def _check_rated(
    rules: Rules,
    options: Sequence[str],
    values: Mapping[tuple[str, str | None], Fraction],
    where: str,
) -> None:
    low, high = rules.scale()
    for (option, _), value in values.items():
        if not low <= value <= high or (rules.method == "importance" and value.denominator != 1):
            raise SeparError(
                "ballot_out_of_range",
                where=where,
                option=option,
                value=number(value),
                low=low,
                high=high,
            )
    criteria: Iterable[str | None] = rules.weights if rules.method == "criteria" else [None]
    for criterion in criteria:
        for option in options:
            if (option, criterion) not in values:
                shown = f"{option} / {criterion}" if criterion else option
                raise SeparError("ballot_missing_score", where=where, option=shown)


def _check_ranked(
    options: Sequence[str], values: Mapping[tuple[str, str | None], Fraction], where: str
) -> None:
    seen: dict[int, str] = {}
    for (option, _), value in values.items():
        if value.denominator != 1 or not 1 <= value <= len(options):
            raise SeparError(
                "ballot_rank_value",
                where=where,
                option=option,
                value=number(value),
                limit=len(options),
            )
        rank = int(value)
        if rank in seen:
            raise SeparError("ballot_rank_twice", where=where, rank=rank)
        seen[rank] = option
    if sorted(seen) != list(range(1, len(seen) + 1)):
        raise SeparError(
            "ballot_rank_gap", where=where, ranks=", ".join(str(r) for r in sorted(seen))
        )


# -- ranking helpers ----------------------------------------------------------------------


def _ranked_by_score(
    method: str,
    options: Sequence[str],
    scores: Mapping[str, Fraction],
    ballots: int,
    **extra: object,
) -> Result:
    """Higher score first; equal scores share a rank; ties among the top mean no winner."""
    order = sorted(options, key=lambda o: (-scores[o], options.index(o)))
    return _result(
        method,
        [
            [o for o in order if scores[o] == s]
            for s in sorted({scores[o] for o in options}, reverse=True)
        ],
        scores,
        ballots,
        **extra,
    )


def _result(
    method: str,
    tiers: Sequence[Sequence[str]],
    scores: Mapping[str, Fraction],
    ballots: int,
    **extra: object,
) -> Result:
    places: list[Place] = []
    for tier in tiers:
        rank = len(places) + 1
        places.extend(Place(o, rank, scores[o]) for o in tier)
    winner = tiers[0][0] if tiers and len(tiers[0]) == 1 and ballots else None
    return Result(method, ballots, tuple(places), winner, **extra)  # type: ignore[arg-type]


def _total(ballots: Sequence[Ballot]) -> int:
    return sum(b.weight for b in ballots)


def _checked(
    rules: Rules, options: Sequence[str], ballots: Sequence[Ballot]
) -> list[tuple[Ballot, dict[tuple[str, str | None], Fraction]]]:
    return [(b, check(rules, options, b)) for b in ballots]


# -- the methods --------------------------------------------------------------------------


def dots(
    options: Sequence[str], ballots: Sequence[Ballot], per_voter: int = 3, cap: int | None = None
) -> Result:
    """Dot voting: each voter places up to ``per_voter`` dots, at most ``cap`` on one option."""
    rules = Rules("dots", dots=per_voter, cap=cap)
    scores = dict.fromkeys(options, Fraction(0))
    values: dict[str, list[Fraction]] = {o: [] for o in options}
    for ballot, marks in _checked(rules, options, ballots):
        for option in options:
            given = marks.get((option, None), Fraction(0))
            scores[option] += given
            values[option].extend([given] * ballot.weight)
    return _ranked_by_score(
        "dots", options, scores, _total(ballots), values={o: tuple(v) for o, v in values.items()}
    )


def approval(options: Sequence[str], ballots: Sequence[Ballot]) -> Result:
    """Approval voting: the option approved by most voters wins."""
    rules = Rules("approval")
    scores = dict.fromkeys(options, Fraction(0))
    for ballot, marks in _checked(rules, options, ballots):
        for (option, _), value in marks.items():
            scores[option] += value * ballot.weight
    return _ranked_by_score("approval", options, scores, _total(ballots))


def _rated(
    rules: Rules, options: Sequence[str], ballots: Sequence[Ballot]
) -> tuple[dict[str, list[Fraction]], dict[str, dict[str, Fraction]]]:
    """Every voter's (weighted, for criteria) score per option, and per-criterion means."""
    per_option: dict[str, list[Fraction]] = {o: [] for o in options}
    sums: dict[str, dict[str, Fraction]] = {
        c: dict.fromkeys(options, Fraction(0)) for c in rules.weights
    }
    total_weight = sum(rules.weights.values(), Fraction(0))
    for ballot, marks in _checked(rules, options, ballots):
        for option in options:
            if rules.method == "criteria":
                value = (
                    sum((w * marks[(option, c)] for c, w in rules.weights.items()), Fraction(0))
                    / total_weight
                )
                for c in rules.weights:
                    sums[c][option] += marks[(option, c)] * ballot.weight
            else:
                value = marks[(option, None)]
            per_option[option].extend([value] * ballot.weight)
    n = _total(ballots)
    means = {c: {o: (s / n if n else Fraction(0)) for o, s in by.items()} for c, by in sums.items()}
    return per_option, means


def score(options: Sequence[str], ballots: Sequence[Ballot], low: int = 1, high: int = 5) -> Result:
    """Score voting: every voter scores every option from ``low`` to ``high``; highest mean wins."""
    return _mean_result(Rules("score", low=low, high=high), options, ballots)


def importance(options: Sequence[str], ballots: Sequence[Ballot]) -> Result:
    """Importance rating on the seed's scale (상 4, 중상 3, 중 2, 하 1); highest mean wins."""
    return _mean_result(Rules("importance"), options, ballots)


def criteria(
    options: Sequence[str],
    ballots: Sequence[Ballot],
    weights: Mapping[str, Fraction],
    low: int = 1,
    high: int = 5,
) -> Result:
    """Multi-criteria scoring: each option's weighted mean over the criteria
    (weights need not sum to 1: they are normalised)."""
    if not weights or any(w < 0 for w in weights.values()) or not sum(weights.values()):
        raise SeparError("no_criteria")
    return _mean_result(
        Rules("criteria", low=low, high=high, weights=dict(weights)), options, ballots
    )


def _mean_result(rules: Rules, options: Sequence[str], ballots: Sequence[Ballot]) -> Result:
    per_option, means = _rated(rules, options, ballots)
    n = _total(ballots)
    scores = {o: (sum(v, Fraction(0)) / n if n else Fraction(0)) for o, v in per_option.items()}
    return _ranked_by_score(
        rules.method,
        options,
        scores,
        n,
        by_criterion=means,
        values={o: tuple(v) for o, v in per_option.items()},
    )


def _rankings(
    options: Sequence[str], ballots: Sequence[Ballot], method: Method
) -> list[tuple[list[str], int]]:
    """Each ballot as its ranked options, best first, with its weight."""
    out = []
    for ballot, marks in _checked(Rules(method), options, ballots):
        order = sorted(marks, key=lambda k: marks[k])
        out.append(([option for option, _ in order], ballot.weight))
    return out


def _positions(options: Sequence[str], ranking: Sequence[str]) -> dict[str, Fraction]:
    """Each option's position on a ballot, the unranked sharing the remaining positions."""
    n = len(options)
    pos = {o: Fraction(i + 1) for i, o in enumerate(ranking)}
    left = n - len(ranking)
    shared = Fraction(len(ranking) + 1 + n, 2) if left else Fraction(0)
    return {o: pos.get(o, shared) for o in options}


def borda(
    options: Sequence[str],
    ballots: Sequence[Ballot],
    unranked: Literal["average", "zero"] = "average",
) -> Result:
    """Borda count: rank r of n options earns n − r points (see the module note for the
    unranked options)."""
    n = len(options)
    scores = dict.fromkeys(options, Fraction(0))
    values: dict[str, list[Fraction]] = {o: [] for o in options}
    for ranking, weight in _rankings(options, ballots, "borda"):
        positions = _positions(options, ranking)
        for option in options:
            if option in ranking or unranked == "average":
                points = n - positions[option]
            else:
                points = Fraction(0)
            scores[option] += points * weight
            values[option].extend([positions[option]] * weight)
    return _ranked_by_score(
        "borda", options, scores, _total(ballots), values={o: tuple(v) for o, v in values.items()}
    )


def pairwise(
    options: Sequence[str], rankings: Sequence[tuple[list[str], int]]
) -> dict[tuple[str, str], int]:
    """d[x, y]: voters who put x above y (ranked options are above unranked ones)."""
    d = {(x, y): 0 for x in options for y in options if x != y}
    for ranking, weight in rankings:
        place = {o: i for i, o in enumerate(ranking)}
        bottom = len(ranking)
        for x in options:
            for y in options:
                if x != y and place.get(x, bottom) < place.get(y, bottom):
                    d[(x, y)] += weight
    return d


def _layers(options: Sequence[str], beats: Callable[[str, str], bool]) -> list[list[str]]:
    """Tiers of a strict partial order: the unbeaten first, then the unbeaten of the rest …"""
    left = list(options)
    tiers = []
    while left:
        top = [x for x in left if not any(beats(y, x) for y in left if y != x)]
        if not top:  # a cycle cannot happen for Schulze; keep the rest together if it did
            top = left
        tiers.append(top)
        left = [x for x in left if x not in top]
    return tiers


def schulze_from(
    options: Sequence[str],
    d: Mapping[tuple[str, str], int],
    method: str,
    ballots: int,
    **extra: object,
) -> Result:
    """Schulze (beat-path) over pairwise counts; score = options it defeats."""
    p: dict[tuple[str, str], int] = {}
    for x in options:
        for y in options:
            if x != y:
                margin = d[(x, y)] - d[(y, x)]
                p[(x, y)] = margin if margin > 0 else 0
    for k in options:
        for i in options:
            if i == k:
                continue
            for j in options:
                if j in (i, k):
                    continue
                p[(i, j)] = max(p[(i, j)], min(p[(i, k)], p[(k, j)]))

    def beats(x: str, y: str) -> bool:
        return p[(x, y)] > p[(y, x)]

    scores = {x: Fraction(sum(beats(x, y) for y in options if y != x)) for x in options}
    return _result(method, _layers(options, beats), scores, ballots, **extra)


def schulze(options: Sequence[str], ballots: Sequence[Ballot]) -> Result:
    """Schulze (beat-path) method with margins; the score is the number of options beaten."""
    return schulze_from(
        options,
        pairwise(options, _rankings(options, ballots, "schulze")),
        "schulze",
        _total(ballots),
    )


def irv(options: Sequence[str], ballots: Sequence[Ballot]) -> Result:
    """Instant-runoff: eliminate the option with fewest first preferences until one is left.

    Options tied for fewest are eliminated together and the round is reported
    (:meth:`Result.tied_rounds`); exhausted ballots drop out. The score is the option's
    count in the last round it took part in.
    """
    rankings = _rankings(options, ballots, "irv")
    left = list(options)
    rounds: list[Round] = []
    eliminated_tiers: list[list[str]] = []
    last_count: dict[str, int] = {}
    while left:
        if len(left) == 1 and rounds:  # the last one standing: no round of its own
            eliminated_tiers.append(left)
            break
        counts = dict.fromkeys(left, 0)
        exhausted = 0
        for ranking, weight in rankings:
            top = next((o for o in ranking if o in counts), None)
            if top is None:
                exhausted += weight
            else:
                counts[top] += weight
        last_count.update(counts)
        if len(left) == 1:
            rounds.append(Round(counts, (), exhausted))
            eliminated_tiers.append(left)
            break
        fewest = min(counts.values())
        out = [o for o in left if counts[o] == fewest]
        rounds.append(Round(counts, tuple(out) if len(out) < len(left) else (), exhausted))
        eliminated_tiers.append(out)
        left = [o for o in left if o not in out]
    scores = {o: Fraction(c) for o, c in last_count.items()}
    return _result(
        "irv", list(reversed(eliminated_tiers)), scores, _total(ballots), rounds=tuple(rounds)
    )


def plurality(options: Sequence[str], ballots: Sequence[Ballot]) -> Result:
    """First preferences only (the robustness view's reference point for ranked ballots)."""
    scores = dict.fromkeys(options, Fraction(0))
    for ranking, weight in _rankings(options, ballots, "borda"):
        if ranking:
            scores[ranking[0]] += weight
    return _ranked_by_score("plurality", options, scores, _total(ballots))


def count(rules: Rules, options: Sequence[str], ballots: Sequence[Ballot]) -> Result:
    """Count ``ballots`` by ``rules.method``."""
    method = rules.method
    if method == "dots":
        return dots(options, ballots, rules.dots, rules.cap)
    if method == "approval":
        return approval(options, ballots)
    if method == "score":
        return score(options, ballots, rules.low, rules.high)
    if method == "importance":
        return importance(options, ballots)
    if method == "criteria":
        return criteria(options, ballots, rules.weights, rules.low, rules.high)
    if method == "borda":
        return borda(options, ballots, rules.unranked)
    if method == "schulze":
        return schulze(options, ballots)
    if method == "irv":
        return irv(options, ballots)
    raise SeparError("unknown_method", method=method, methods=", ".join(METHODS))


# -- robustness and spread ------------------------------------------------------------------


def _median_result(method: str, options: Sequence[str], result: Result) -> Result:
    scores = {o: Fraction(median(v)) if v else Fraction(0) for o, v in result.values.items()}
    return _ranked_by_score(method, options, scores, result.ballots)


def _rated_pairwise(options: Sequence[str], result: Result) -> Result:
    """Schulze over the preferences a rating implies (x above y when scored higher)."""
    d = {(x, y): 0 for x in options for y in options if x != y}
    voters = result.ballots
    for i in range(voters):
        for x in options:
            for y in options:
                if x != y and result.values[x][i] > result.values[y][i]:
                    d[(x, y)] += 1
    return schulze_from(options, d, "pairwise", voters)


def robustness(
    rules: Rules, options: Sequence[str], ballots: Sequence[Ballot]
) -> dict[str, Result]:
    """The same ballots counted every applicable way, the poll's own method first.

    Ranked ballots: Borda, Schulze, instant-runoff and plurality (first preferences).
    Ratings: the mean, the median, and Schulze over the preferences the ratings imply;
    multi-criteria adds the unweighted mean (do the weights decide the result?).
    Dots: the dots, and the number of voters who gave an option any dot.
    Approval has no other reading.
    """
    main = count(rules, options, ballots)
    out: dict[str, Result] = {rules.method: main}
    if rules.method in RANKED:
        for method in RANKED:
            if method != rules.method:
                out[method] = count(Rules(method), options, ballots)
        out["plurality"] = plurality(options, ballots)
    elif rules.method in RATED:
        if rules.method == "criteria":
            equal = {c: Fraction(1) for c in rules.weights}
            unweighted = criteria(options, ballots, equal, rules.low, rules.high)
            out["unweighted"] = Result(
                "unweighted", unweighted.ballots, unweighted.ranking, unweighted.winner
            )
        out["median"] = _median_result("median", options, main)
        out["pairwise"] = _rated_pairwise(options, main)
    elif rules.method == "dots":
        voters = {o: Fraction(sum(1 for v in main.values[o] if v > 0)) for o in options}
        out["voters"] = _ranked_by_score("voters", options, voters, main.ballots)
    return out


def moved(results: Mapping[str, Result]) -> set[str]:
    """Options whose rank differs between any two of ``results``."""
    ranks: dict[str, set[int]] = defaultdict(set)
    for result in results.values():
        for place in result.ranking:
            ranks[place.option].add(place.rank)
    return {o for o, r in ranks.items() if len(r) > 1}


@dataclass(frozen=True)
class Spread:
    option: str
    sd: float
    """Population standard deviation of the values voters gave (positions for ranked)."""
    extreme_share: float
    """Share of voters at either end of the scale."""
    contested: bool
    """sd is at least half of the half-range: the group is split, discuss it."""


def spreads(rules: Rules, options: Sequence[str], ballots: Sequence[Ballot]) -> list[Spread]:
    """How divided the group is about each option: the spread of the scores it got, or of
    the positions it was ranked at (the unranked sharing the remaining positions).
    Dots and approval have no scale to spread over: [] for them."""
    if rules.method in RATED:
        low, high = rules.scale()
        result = count(rules, options, ballots)
    elif rules.method in RANKED:
        low, high = 1, len(options)
        result = borda(options, ballots)
    else:
        return []
    half = Fraction(high - low, 2)
    out = []
    for option in options:
        values = result.values.get(option, ())
        if not values or not half:
            out.append(Spread(option, 0.0, 0.0, False))
            continue
        mean = sum(values, Fraction(0)) / len(values)
        var = sum(((v - mean) ** 2 for v in values), Fraction(0)) / len(values)
        sd = math.sqrt(var)
        extreme = sum(1 for v in values if v in (low, high)) / len(values)
        out.append(
            Spread(option, round(sd, 4), round(extreme, 4), Fraction(sd) / half >= CONTESTED)
        )
    return out
