"""``separ roadmap-check`` and ``separ roadmap-figures``: the plan checks and figures from a shell.

A researcher or a facilitator without a notebook can check a workshop's plan before the
final session and write the report's figures as PNG files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from separ.cli import DbOption, WorkshopArg, app
from separ.roadmap import OVERLOAD_THRESHOLD, check_plan
from separ.workspace import open_workshop


@app.command("roadmap-check")
def roadmap_check(
    workshop: WorkshopArg,
    threshold: Annotated[int, typer.Option(
        help="Flag a lead or sub-committee with more activities than this in one month.")
    ] = OVERLOAD_THRESHOLD,
    db: DbOption = None,
) -> None:
    """List what the 3-year plan still lacks; exit 1 when something was found."""
    with open_workshop(workshop, db) as store:
        lang = store.workshop().lang
        findings = check_plan(store, overload_threshold=threshold)
    for finding in findings:
        typer.echo(f"[{finding.severity}] {finding.message(lang)}")
    if findings:
        raise typer.Exit(1)
    typer.echo("문제가 없습니다." if lang == "ko" else "no problems found")


@app.command("roadmap-figures")
def roadmap_figures(
    workshop: WorkshopArg,
    out: Annotated[Path, typer.Option("--out", help="Folder for the PNG files.")],
    db: DbOption = None,
) -> None:
    """Write the strategy diagram, Gantt charts, role, committee and budget figures as PNG."""
    from separ.figures import roadmap as rf
    from separ.figures.style import save_png
    from separ.roadmap import load_plan

    with open_workshop(workshop, db) as store:
        lang = store.workshop().lang
        plan = load_plan(store)
    out.mkdir(parents=True, exist_ok=True)
    figures = {
        "strategy_diagram": rf.strategy_diagram(plan, lang),
        "gantt_month": rf.gantt(plan, "month", lang),
        "gantt_quarter": rf.gantt(plan, "quarter", lang),
        "gantt_half": rf.gantt(plan, "half", lang),
        "roles": rf.roles_figure(plan, lang),
        "committees": rf.committees_figure(plan, lang),
        "budget": rf.budget_figure(plan, lang),
    }
    for name, fig in figures.items():
        typer.echo(save_png(fig, out / f"{name}.png"))
