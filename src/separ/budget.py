"""A plan's budget as the city will pay it: lines paid every year counted for each plan year.

The task plans state some lines "연간" (every year) without saying for how many years;
the plan period (``plan_start``–``plan_end``) does say it, so a three-year plan's total
counts such a line three times, once under each year. Lines without a year stay
"연도 미정" (no year) and are never guessed into one.
"""

from __future__ import annotations

from separ.roadmap import Plan


def plan_years(plan: Plan) -> list[int]:
    """The plan's years (2022, 2023, 2024), or none when the workshop has no plan period."""
    start, end = plan.workshop.plan_start, plan.workshop.plan_end
    return list(range(start, end + 1)) if start and end and start <= end else []


def budget_spread(plan: Plan, by: str) -> dict[str, int]:
    """Amounts per year, funding side, strategy or task, a line paid every year counted once
    for each plan year: the plan's three-year total, as the city will pay it.

    Keys are years ("2022"), ``"every_year"`` (a yearly line of a plan with no period),
    ``"no_year"``, side codes, strategy ids or task ids, in the order a table lists them.
    """
    years = plan_years(plan)
    task_of = {t.id: t for t in plan.tasks}
    out: dict[str, int] = {}
    for line in plan.budget:
        times = len(years) if line.per_year and years else 1
        if by == "year":
            keys = (
                [str(y) for y in years]
                if line.per_year and years
                else ["every_year"]
                if line.per_year
                else [str(line.year) if line.year else "no_year"]
            )
            for key in keys:
                out[key] = out.get(key, 0) + line.amount
            continue
        key = (
            line.side.value
            if by == "side"
            else task_of[line.task_id].strategy_id
            if by == "strategy"
            else line.task_id
        )
        out[key] = out.get(key, 0) + line.amount * times
    order: list[str]
    if by == "year":
        order = [*sorted((k for k in out if k.isdigit()), key=int), "every_year", "no_year"]
    elif by == "side":
        order = [side.value for side in type(plan.budget[0].side)] if plan.budget else []
    elif by == "strategy":
        order = [s.id for s in plan.strategies]
    else:
        order = [t.id for t in plan.tasks]
    return {k: out[k] for k in order if k in out}
