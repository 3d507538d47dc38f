"""Counting: published and hand-computed elections, ties, partial rankings, invalid ballots,
and agreement with pref_voting on random profiles."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from separ.errors import SeparError
from separ.tally import (
    Ballot,
    Mark,
    Rules,
    approval,
    borda,
    check,
    count,
    criteria,
    dots,
    importance,
    irv,
    moved,
    plurality,
    robustness,
    schulze,
    score,
    spreads,
)


def ranked(voter: str, order: str | list[str], weight: int = 1) -> Ballot:
    return Ballot(voter, tuple(Mark(o, i + 1) for i, o in enumerate(order)), weight)


def marks(voter: str, values: dict[str, object], weight: int = 1) -> Ballot:
    return Ballot(voter, tuple(Mark(o, v) for o, v in values.items()), weight)


def order(result: object) -> list[tuple[str, int]]:
    return [(p.option, p.rank) for p in result.ranking]  # type: ignore[attr-defined]


# -- published elections ------------------------------------------------------------------

WIKI_SCHULZE = [
    ("ACBED", 5),
    ("ADECB", 5),
    ("BEDAC", 8),
    ("CABED", 3),
    ("CAEBD", 7),
    ("CBADE", 2),
    ("DCEBA", 7),
    ("EBADC", 8),
]


def test_wikipedia_schulze_example_full_order() -> None:
    # en.wikipedia.org/wiki/Schulze_method, 45 voters over A–E: d[A,C]=26, d[C,A]=19 …;
    # the strongest paths give E > A > C > B > D.
    ballots = [ranked(f"{o}{i}", o, w) for i, (o, w) in enumerate(WIKI_SCHULZE)]
    result = schulze(list("ABCDE"), ballots)
    assert result.ballots == 45
    assert order(result) == [("E", 1), ("A", 2), ("C", 3), ("B", 4), ("D", 5)]
    assert result.winner == "E"
    assert [int(p.score) for p in result.ranking] == [4, 3, 2, 1, 0]


TENNESSEE = [("M", "MNCK", 42), ("N", "NCKM", 26), ("C", "CKNM", 15), ("K", "KCNM", 17)]
"""Wikipedia's Tennessee capital election (per cent of voters): Memphis, Nashville,
Chattanooga, Knoxville."""


def test_plurality_irv_and_borda_pick_different_winners() -> None:
    ballots = [ranked(name, o, w) for name, o, w in TENNESSEE]
    options = list("MNCK")
    # plurality: Memphis 42 first preferences
    assert plurality(options, ballots).winner == "M"
    # IRV: C (15) out -> K 32; N (26) out -> K 58 beats M 42
    result = irv(options, ballots)
    assert result.winner == "K"
    assert [dict(r.counts) for r in result.rounds] == [
        {"M": 42, "N": 26, "C": 15, "K": 17},
        {"M": 42, "N": 26, "K": 32},
        {"M": 42, "K": 58},
    ]
    assert order(result) == [("K", 1), ("M", 2), ("N", 3), ("C", 4)]
    # Borda 3-2-1-0: M 126, N 194, C 173, K 107
    b = borda(options, ballots)
    assert {p.option: int(p.score) for p in b.ranking} == {"M": 126, "N": 194, "C": 173, "K": 107}
    assert b.winner == "N"
    assert schulze(options, ballots).winner == "N"  # Nashville is the Condorcet winner


# -- hand-computed, every method ------------------------------------------------------------


def test_dots_with_cap_and_ties() -> None:
    ballots = [
        marks("v1", {"a": 2, "b": 1}),
        marks("v2", {"b": 2, "c": 1}),
        marks("v3", {"a": 1, "c": 2}),
    ]
    result = dots(["a", "b", "c"], ballots, per_voter=3, cap=2)
    assert order(result) == [("a", 1), ("b", 1), ("c", 1)]
    assert result.winner is None
    assert [int(p.score) for p in result.ranking] == [3, 3, 3]
    with pytest.raises(SeparError, match="too many dots on a"):
        dots(["a", "b"], [marks("v4", {"a": 3})], per_voter=3, cap=2)
    with pytest.raises(SeparError, match=r"v5: too many dots: 4 \(at most 3\)"):
        dots(["a", "b"], [marks("v5", {"a": 2, "b": 2})], per_voter=3)


def test_approval() -> None:
    ballots = [marks("v1", {"a": 1, "b": 1}), marks("v2", {"b": 1}), marks("v3", {"c": 1})]
    result = approval(["a", "b", "c"], ballots)
    assert order(result) == [("b", 1), ("a", 2), ("c", 2)]
    assert result.winner == "b"


def test_score_means_and_range() -> None:
    ballots = [marks("v1", {"a": 5, "b": 3}), marks("v2", {"a": 2, "b": 4})]
    result = score(["a", "b"], ballots, 1, 5)
    assert result.ranking[0].score == Fraction(7, 2) and result.ranking[1].score == Fraction(7, 2)
    assert result.winner is None
    with pytest.raises(SeparError, match="between 1 and 5"):
        score(["a", "b"], [marks("v3", {"a": 6, "b": 1})])
    with pytest.raises(SeparError, match="b is missing"):
        score(["a", "b"], [marks("v4", {"a": 3})])


def test_criteria_weighted() -> None:
    # 시급성 weight 2, 실현가능성 1: a = (2*5 + 1*2)/3 = 4, b = (2*3 + 1*5)/3 = 11/3
    ballot = Ballot(
        "v1",
        (
            Mark("a", 5, "시급성"),
            Mark("a", 2, "실현가능성"),
            Mark("b", 3, "시급성"),
            Mark("b", 5, "실현가능성"),
        ),
    )
    weights = {"시급성": Fraction(2), "실현가능성": Fraction(1)}
    result = criteria(["a", "b"], [ballot], weights)
    assert [(p.option, p.score) for p in result.ranking] == [("a", 4), ("b", Fraction(11, 3))]
    assert result.by_criterion["실현가능성"] == {"a": 2, "b": 5}
    # with equal weights b wins: the robustness view shows a and b swap
    views = robustness(Rules("criteria", weights=weights), ["a", "b"], [ballot])
    assert views["unweighted"].winner == "b"
    assert moved(views) == {"a", "b"}


def test_importance_scale() -> None:
    ballots = [marks("v1", {"a": 4, "b": 3}), marks("v2", {"a": 4, "b": 2})]
    result = importance(["a", "b"], ballots)
    assert [(p.option, p.score) for p in result.ranking] == [("a", 4), ("b", Fraction(5, 2))]
    with pytest.raises(SeparError, match="between 1 and 4"):
        importance(["a", "b"], [marks("v3", {"a": 5, "b": 1})])


def test_borda_partial_rankings_both_conventions() -> None:
    # 4 options; v1 ranks a > b only: average convention gives c, d (4-3 + 4-4)/2 = 1/2 each
    ballots = [ranked("v1", "ab"), ranked("v2", "cdab")]
    avg = borda(list("abcd"), ballots)
    assert {p.option: p.score for p in avg.ranking} == {
        "a": 3 + 1,
        "b": 2 + 0,
        "c": Fraction(1, 2) + 3,
        "d": Fraction(1, 2) + 2,
    }
    assert order(avg) == [("a", 1), ("c", 2), ("d", 3), ("b", 4)]
    zero = borda(list("abcd"), ballots, unranked="zero")
    assert {p.option: int(p.score) for p in zero.ranking} == {"a": 4, "b": 2, "c": 3, "d": 2}
    assert zero.winner == "a"


def test_irv_exhausted_ballots_and_tied_last_place() -> None:
    ballots = [
        ranked("v1", "a"),
        ranked("v2", "a"),
        ranked("v3", "b"),
        ranked("v4", "b"),
        ranked("v5", "c"),
        ranked("v6", "dc"),
    ]
    result = irv(list("abcd"), ballots)
    first = result.rounds[0]
    assert dict(first.counts) == {"a": 2, "b": 2, "c": 1, "d": 1}
    assert first.eliminated == ("c", "d") and first.tie  # reported, not broken
    # round 2: v5 and v6 are exhausted; a and b tie with 2 each: no winner
    assert result.rounds[1].exhausted == 2
    assert result.winner is None
    assert order(result) == [("a", 1), ("b", 1), ("c", 3), ("d", 3)]
    assert len(result.tied_rounds()) == 1


def test_schulze_tie_keeps_winner_none() -> None:
    ballots = [ranked("v1", "abc"), ranked("v2", "bca"), ranked("v3", "cab")]
    result = schulze(list("abc"), ballots)
    assert result.winner is None and {p.rank for p in result.ranking} == {1}


def test_invalid_ballots_name_the_voter_and_problem() -> None:
    opts = list("abc")
    cases = [
        (Rules("borda"), ranked("kim", "aa"), "kim: a is marked twice"),
        (Rules("borda"), Ballot("kim", (Mark("a", 1), Mark("b", 1))), "kim: rank 1 is used twice"),
        (Rules("borda"), Ballot("lee", (Mark("a", 1), Mark("b", 3))), "lee: ranks must run"),
        (Rules("borda"), Ballot("lee", (Mark("a", 4),)), "invalid rank for a: 4"),
        (Rules("borda"), Ballot("lee", (Mark("a", 1.5),)), "invalid rank for a: 1.5"),
        (Rules("dots"), Ballot("park", (Mark("z", 1),)), "park: unknown option: z"),
        (Rules("dots"), Ballot("park", (Mark("a", None),)), "park: no value for a"),
        (Rules("dots"), Ballot("park", (Mark("a", -1),)), "whole number"),
        (Rules("dots"), Ballot("park", (Mark("a", float("nan")),)), "not a number"),
        (Rules("dots"), Ballot("park", (Mark("a", 0),)), "the ballot is empty"),
        (Rules("approval"), Ballot("choi", (Mark("a", 2),)), "approval is 1"),
        (Rules("score"), Ballot("choi", (Mark("a", "5"),)), "is not a number"),
        (Rules("score"), Ballot("choi", (Mark("a", 3, "x"),)), "unknown criterion: x"),
    ]
    for rules, ballot, message in cases:
        with pytest.raises(SeparError, match=message):
            check(rules, opts, ballot)
    with pytest.raises(SeparError) as err:
        check(Rules("dots", dots=2), opts, marks("kim", {"a": 3}))
    assert err.value.message("ko") == "kim: 스티커가 너무 많습니다: 3개 (최대 2개)"


def test_paper_record_for_several_voters() -> None:
    # a tally sheet for 4 people on paper: 4 x 3 dots allowed
    result = dots(["a", "b"], [marks("paper", {"a": 9, "b": 3}, weight=4)], per_voter=3)
    assert result.ballots == 4 and int(result.place("a").score) == 9


def test_spread_flags_a_split_group() -> None:
    ballots = [marks(f"v{i}", {"a": v, "b": 4}) for i, v in enumerate([1, 5, 1, 5])]
    rules = Rules("score")
    flagged = {s.option: s for s in spreads(rules, ["a", "b"], ballots)}
    assert flagged["a"].sd == 2.0 and flagged["a"].extreme_share == 1.0 and flagged["a"].contested
    assert flagged["b"].sd == 0.0 and not flagged["b"].contested
    assert spreads(Rules("dots"), ["a"], [marks("v", {"a": 1})]) == []


def test_robustness_for_ranked_ballots() -> None:
    ballots = [ranked(name, o, w) for name, o, w in TENNESSEE]
    views = robustness(Rules("irv"), list("MNCK"), ballots)
    assert list(views) == ["irv", "borda", "schulze", "plurality"]
    assert {k: v.winner for k, v in views.items()} == {
        "irv": "K",
        "borda": "N",
        "schulze": "N",
        "plurality": "M",
    }
    assert moved(views) == {"M", "N", "C", "K"}


def test_count_dispatch_and_json() -> None:
    result = count(Rules("approval"), ["a", "b"], [marks("v", {"a": 1})])
    assert result.as_json() == {
        "method": "approval",
        "ballots": 1,
        "winner": "a",
        "ranking": [{"option": "a", "rank": 1, "score": 1}, {"option": "b", "rank": 2, "score": 0}],
    }


# -- agreement with pref_voting on random profiles ---------------------------------------------


def _random_profile(
    rng: random.Random, n_opts: int, n_voters: int, truncate: bool
) -> list[list[int]]:
    out = []
    for _ in range(n_voters):
        order_ = list(range(n_opts))
        rng.shuffle(order_)
        if truncate:
            order_ = order_[: rng.randint(1, n_opts)]
        out.append(order_)
    return out


def _ballots(profile: list[list[int]]) -> list[Ballot]:
    return [ranked(f"v{i}", [str(c) for c in r]) for i, r in enumerate(profile)]


def _winners(result: object) -> set[int]:
    return {int(p.option) for p in result.ranking if p.rank == 1}  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed", range(40))
def test_agrees_with_pref_voting_on_complete_rankings(seed: int) -> None:
    from pref_voting.iterative_methods import instant_runoff
    from pref_voting.margin_based_methods import beat_path
    from pref_voting.profiles import Profile
    from pref_voting.scoring_methods import borda as pv_borda

    rng = random.Random(seed)
    n = rng.randint(3, 5)
    profile = _random_profile(rng, n, rng.randint(3, 9), truncate=False)
    prof = Profile(profile)
    opts = [str(c) for c in range(n)]
    ballots = _ballots(profile)
    assert _winners(borda(opts, ballots)) == set(pv_borda(prof))
    assert _winners(schulze(opts, ballots)) == set(beat_path(prof))
    # pref_voting's instant_runoff (no tie_breaker) also removes every option tied for last
    assert _winners(irv(opts, ballots)) == set(instant_runoff(prof))


@pytest.mark.parametrize("seed", range(40))
def test_agrees_with_pref_voting_on_partial_rankings(seed: int) -> None:
    from pref_voting.iterative_methods import instant_runoff_for_truncated_linear_orders
    from pref_voting.margin_based_methods import beat_path
    from pref_voting.profiles_with_ties import ProfileWithTies
    from pref_voting.scoring_methods import (
        domination_borda_scores,
        symmetric_borda_scores,
    )

    rng = random.Random(1000 + seed)
    n = rng.randint(3, 5)
    profile = _random_profile(rng, n, rng.randint(3, 9), truncate=True)
    prof = ProfileWithTies(
        [{c: i + 1 for i, c in enumerate(r)} for r in profile], candidates=list(range(n))
    )
    prof.use_extended_strict_preference()
    opts = [str(c) for c in range(n)]
    ballots = _ballots(profile)

    def top(scores: dict[int, float]) -> set[int]:
        best = max(scores.values())
        return {c for c, s in scores.items() if s == best}

    assert _winners(borda(opts, ballots)) == top(symmetric_borda_scores(prof))
    assert _winners(borda(opts, ballots, unranked="zero")) == top(domination_borda_scores(prof))
    assert _winners(schulze(opts, ballots)) == set(beat_path(prof))
    assert _winners(irv(opts, ballots)) == set(instant_runoff_for_truncated_linear_orders(prof))


@pytest.mark.parametrize("seed", range(20))
def test_agrees_with_pref_voting_on_approval_and_score(seed: int) -> None:
    from pref_voting.grade_methods import approval as pv_approval
    from pref_voting.grade_methods import score_voting
    from pref_voting.grade_profiles import GradeProfile

    rng = random.Random(2000 + seed)
    n = rng.randint(2, 5)
    opts = [str(c) for c in range(n)]
    grades = [{c: rng.randint(1, 5) for c in range(n)} for _ in range(rng.randint(2, 8))]
    gprof = GradeProfile(grades, [1, 2, 3, 4, 5])
    ballots = [
        marks(f"v{i}", {str(c): g for c, g in grade.items()}) for i, grade in enumerate(grades)
    ]
    assert _winners(score(opts, ballots)) == set(score_voting(gprof))
    approvals = [{c: 1 for c in range(n) if g[c] >= 4} for g in grades]
    aprof = GradeProfile([a for a in approvals if a] or [{0: 1}], [0, 1])
    ab = [marks(f"v{i}", {str(c): 1 for c in a}) for i, a in enumerate(approvals) if a] or [
        marks("v", {"0": 1})
    ]
    assert _winners(approval(opts, ab)) == set(pv_approval(aprof))
