"""Result charts for the projector and the report: dots per option, stacked criteria
scores, and how scores spread for each option.

Built as matplotlib Figures without pyplot (any thread, no window); options run top
to bottom in result order so the chart reads like the ranking table beside it.
"""

from __future__ import annotations

from fractions import Fraction

from matplotlib.figure import Figure

from separ import tally
from separ.figures.style import PALETTE, figure, wrap
from separ.i18n import Lang
from separ.polls import PollResults, view_name

TEXTS: dict[str, dict[Lang, str]] = {
    "dots": {"ko": "스티커 수", "en": "dots"},
    "approval": {"ko": "찬성 수", "en": "approvals"},
    "score": {"ko": "평균 점수", "en": "mean score"},
    "importance": {
        "ko": "평균 중요도 (상=4, 중상=3, 중=2, 하=1)",
        "en": "mean importance (high=4 … low=1)",
    },
    "criteria": {"ko": "가중 평균 점수 (기준별 기여)", "en": "weighted mean score (by criterion)"},
    "borda": {"ko": "보르다 점수", "en": "Borda points"},
    "schulze": {"ko": "이긴 선택지 수", "en": "options beaten"},
    "irv": {"ko": "마지막 라운드 득표", "en": "votes in last round"},
    "voters": {"ko": "응답 수", "en": "voters"},
    "position": {"ko": "{n}순위", "en": "rank {n}"},
    "unranked": {"ko": "순위 밖", "en": "unranked"},
    "turnout": {"ko": "참여 {voted}명", "en": "{voted} voted"},
    "of": {"ko": " / {eligible}명", "en": " of {eligible}"},
    "place": {"ko": " {score} · {rank}위{tie}", "en": " {score} · #{rank}{tie}"},
    "tie": {"ko": " 동점", "en": " tie"},
}


def _t(key: str, lang: Lang, **params: object) -> str:
    return TEXTS[key][lang].format(**params)


def turnout_text(res: PollResults, lang: Lang) -> str:
    text = _t("turnout", lang, voted=res.voted)
    return text + (_t("of", lang, eligible=res.eligible) if res.eligible else "")


def _labels(res: PollResults) -> list[str]:
    return [wrap(res.label(p.option), 18) for p in res.result.ranking]


def _title(res: PollResults, lang: Lang) -> str:
    return f"{res.poll.title} — {view_name(res.rules.method, lang)} ({turnout_text(res, lang)})"


def _place(place: tally.Place, ranks: list[int], lang: Lang) -> str:
    """ "4 · 1위 동점": the score first (it is what the bar shows), then the shared place."""
    tie = _t("tie", lang) if ranks.count(place.rank) > 1 else ""
    return _t("place", lang, score=tally.number(place.score), rank=place.rank, tie=tie)


def score_bars(res: PollResults, lang: Lang = "ko") -> Figure:
    """One bar per option (dots, approvals, mean score, points …), best at the top;
    tied places carry the word 동점/tie."""
    places = res.result.ranking
    fig = figure(10, max(3.0, 0.55 * len(places) + 1.5))
    ax = fig.add_subplot()
    values = [float(p.score) for p in places]
    ranks = [p.rank for p in places]
    colours = [PALETTE[0] if ranks.count(r) == 1 else PALETTE[1] for r in ranks]
    y = list(range(len(places)))
    ax.barh(y, values, color=colours)
    ax.set_yticks(y, _labels(res))
    ax.invert_yaxis()
    for i, p in enumerate(places):
        ax.text(values[i], i, _place(p, ranks, lang), va="center")
    ax.set_xlabel(_t(res.rules.method, lang))
    ax.set_xlim(0, max([*values, 1]) * 1.25)
    ax.set_title(_title(res, lang))
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def criteria_stack(res: PollResults, lang: Lang = "ko") -> Figure:
    """Each option's weighted score split into what each criterion contributed
    (weight share × mean score), so the stack ends at the weighted mean."""
    places = res.result.ranking
    fig = figure(10, max(3.0, 0.55 * len(places) + 2))
    ax = fig.add_subplot()
    total = sum(res.rules.weights.values(), Fraction(0))
    y = list(range(len(places)))
    left = [0.0] * len(places)
    for i, (cid, weight) in enumerate(res.rules.weights.items()):
        means = res.result.by_criterion.get(cid, {})
        part = [float(weight / total * means.get(p.option, Fraction(0))) for p in places]
        name = res.criteria[cid].name if cid in res.criteria else cid
        ax.barh(
            y,
            part,
            left=left,
            color=PALETTE[i % len(PALETTE)],
            label=f"{name} (×{tally.number(Fraction(str(weight)))})",
        )
        left = [a + b for a, b in zip(left, part, strict=True)]
    ranks = [p.rank for p in places]
    for i, p in enumerate(places):
        ax.text(left[i], i, _place(p, ranks, lang), va="center")
    ax.set_yticks(y, _labels(res))
    ax.invert_yaxis()
    ax.set_xlim(0, res.rules.high * 1.1)
    ax.set_xlabel(_t("criteria", lang))
    ax.set_title(_title(res, lang))
    fig.legend(loc="outside lower center", ncols=min(len(res.rules.weights), 6))
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _level_counts(res: PollResults, levels: list[int]) -> dict[str, list[int]]:
    """Option -> voters per level: the rank each voter gave it (ranked ballots; voters who
    left it unranked are counted apart, last), or the score, rounded (ratings)."""
    counts = {o: [0] * (len(levels) + 1) for o in res.options}
    if res.rules.method in tally.RANKED:
        for ballot in res.ballots:
            ranked = {m.option: m.value for m in ballot.marks}
            for option in res.options:
                value = ranked.get(option)
                slot = levels.index(int(value)) if isinstance(value, Fraction) else -1
                counts[option][slot] += ballot.weight
    else:
        for option, values in res.result.values.items():
            for v in values:
                counts[option][levels.index(round(v))] += 1
    return counts


def distribution(res: PollResults, lang: Lang = "ko") -> Figure:
    """How many voters gave each score (or each rank) to each option: a split group
    shows as a bar with both ends full."""
    from matplotlib import colormaps

    places = res.result.ranking
    ranked = res.rules.method in tally.RANKED
    low, high = (1, len(res.options)) if ranked else res.rules.scale()
    levels = list(range(low, high + 1))
    counts = _level_counts(res, levels)
    # ratings: low red … high blue; ranks: 1st blue … last red
    cmap = colormaps["RdYlBu"]
    steps = [cmap(0.1 + 0.8 * i / max(1, len(levels) - 1)) for i in range(len(levels))]
    colours: list[object] = list(reversed(steps)) if ranked else list(steps)
    fig = figure(10, max(3.0, 0.55 * len(places) + 2.2))
    ax = fig.add_subplot()
    y = list(range(len(places)))
    left = [0.0] * len(places)
    names = []
    for level in levels:
        if res.rules.method == "importance":
            names.append(tally.IMPORTANCE_LEVELS[level][lang])
        elif ranked:
            names.append(_t("position", lang, n=level))
        else:
            names.append(str(level))
    names.append(_t("unranked", lang))
    colours.append("#cccccc")
    for i, name in enumerate(names):
        part = [float(counts[p.option][i]) for p in places]
        if not any(part):
            continue
        ax.barh(y, part, left=left, color=colours[i], label=name, edgecolor="white")
        left = [a + b for a, b in zip(left, part, strict=True)]
    ax.set_yticks(y, _labels(res))
    ax.invert_yaxis()
    ax.set_xlabel(_t("voters", lang))
    ax.set_title(_title(res, lang))
    fig.legend(loc="outside lower center", ncols=min(len(names), 7), fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def result_figures(res: PollResults, lang: Lang = "ko") -> dict[str, Figure]:
    """Every chart that fits the poll's method, by name."""
    out = {"scores": score_bars(res, lang)}
    if res.rules.method == "criteria":
        out["criteria"] = criteria_stack(res, lang)
    if res.rules.method in (*tally.RATED, *tally.RANKED) and res.ballots:
        out["distribution"] = distribution(res, lang)
    return out
