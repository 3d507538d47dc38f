"""``separ roadmap-check``, ``separ roadmap-figures`` and ``separ roadmap carry-over``.

A researcher or a facilitator without a notebook can check a workshop's plan before the
final session, write the report's figures as PNG files, and carry a priority vote's top
options into the plan as tasks (each keeps the poll and option it came from).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from separ.actors import Actor, require_facilitator
from separ.cli import DbOption, WorkshopArg, app
from separ.i18n import Lang, default_lang
from separ.polls import carry_over
from separ.roadmap import OVERLOAD_THRESHOLD, Strategy, Task, check_plan
from separ.validation import build
from separ.workspace import open_workshop

roadmap_app = typer.Typer(
    help="The 3-year plan: carry a vote's top options into it.", no_args_is_help=True
)
app.add_typer(roadmap_app, name="roadmap")

CARRIED: dict[str, dict[Lang, str]] = {
    "added": {
        "ko": "과제 {code} {title} (우선순위 {priority}위, 점수 {score})",
        "en": "task {code} {title} (priority {priority}, score {score})",
    },
    "kept": {"ko": "이미 있는 과제: {code} {title}", "en": "already in the plan: {code} {title}"},
}


@app.command("roadmap-check")
def roadmap_check(
    workshop: WorkshopArg,
    threshold: Annotated[
        int,
        typer.Option(
            help="Flag a lead or sub-committee with more activities than this in one month."
        ),
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


@roadmap_app.command("carry-over")
def roadmap_carry_over(
    workshop: WorkshopArg,
    poll: Annotated[str, typer.Argument(help="The priority poll's id.")],
    top: Annotated[
        int,
        typer.Option(
            "--top", min=1, help="Carry the options ranked in the first N places (ties included)."
        ),
    ] = 3,
    strategy: Annotated[
        str, typer.Option(help="Code of the strategy the tasks go under (created if new).")
    ] = "S1",
    strategy_title: Annotated[
        str | None, typer.Option(help="Title of a new strategy (default: the poll's title).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Add the poll's top options as tasks, in result order, all in one transaction.

    An option already carried into the plan (a task names the same poll option) is kept
    as it is, so running the command twice adds nothing.
    """
    actor = Actor.facilitator_actor("separ roadmap carry-over")
    require_facilitator(actor)
    lang = default_lang()
    lines = []
    with open_workshop(workshop, db) as store:
        carried = carry_over(store, poll, top)
        with store.transaction() as tx:
            found = tx.find(Strategy, code=strategy)
            column = (
                found[0]
                if found
                else tx.add(
                    build(
                        Strategy,
                        {
                            "code": strategy,
                            "title": strategy_title or carried[0]["vote"]["poll_title"]
                            if carried
                            else strategy,
                            "order": len(tx.find(Strategy)),
                        },
                        "--strategy",
                    )
                )
            )
            assert isinstance(column, Strategy)
            tasks = tx.find(Task)
            codes = {t.code for t in tasks}
            done = {t.priority_option_id: t for t in tasks if t.priority_poll_id == poll}
            order = max((t.order for t in tasks if t.strategy_id == column.id), default=-1)
            for item in carried:
                if item["option_id"] in done:
                    task = done[item["option_id"]]
                    lines.append(CARRIED["kept"][lang].format(code=task.code, title=task.title))
                    continue
                n = 1
                while f"{strategy}-{n}" in codes:
                    n += 1
                codes.add(f"{strategy}-{n}")
                order += 1
                new = tx.add(
                    build(
                        Task,
                        {
                            "strategy_id": column.id,
                            "code": f"{strategy}-{n}",
                            "title": item["label"],
                            "order": order,
                            "priority_poll_id": poll,
                            "priority_option_id": item["option_id"],
                        },
                        item["label"],
                    )
                )
                assert isinstance(new, Task)
                lines.append(
                    CARRIED["added"][lang].format(
                        code=new.code,
                        title=new.title,
                        priority=item["priority"],
                        score=item["score"],
                    )
                )
    typer.echo("\n".join(lines))
