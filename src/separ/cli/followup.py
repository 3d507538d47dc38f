"""Follow-up commands: import Delphi answers, review progress, write figures, compare workshops.

``separ delphi import DIR FILE`` loads a sheet of Delphi answers into a workshop folder
(a bad row: exit 2 and nothing written); ``separ followup-review`` prints plan vs
reality at a date; ``separ followup-figures`` writes the follow-up PNGs;
``separ compare`` lays several workshops side by side and, with ``--lq``, prints the
location quotients of a workshop's industry counts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from separ.actors import Actor
from separ.cli import DbOption, WorkshopArg, app
from separ.errors import SeparError
from separ.i18n import default_lang
from separ.workspace import open_workshop

delphi_app = typer.Typer(
    help="Delphi rounds: import answers, compare rounds.", no_args_is_help=True
)
app.add_typer(delphi_app, name="delphi")

DateOption = Annotated[
    str | None, typer.Option("--date", help="Review date YYYY-MM-DD (default: today).")
]


def _date(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SeparError("bad_value", where="--date", detail=value) from None


@delphi_app.command("import")
def delphi_import(
    folder: Annotated[Path, typer.Argument(help="The workshop folder.")],
    file: Annotated[Path, typer.Argument(help="A .csv or .xlsx sheet of answers.")],
    study: Annotated[
        str, typer.Option(help="Title of the Delphi study (created if new).")
    ] = "델파이 조사",
    db: DbOption = None,
) -> None:
    """Load Delphi answers (round, panellist, group, item, text, suitable, importance)."""
    from separ.delphi import import_responses

    if folder.is_file() or (not folder.exists() and db is None):
        raise SeparError("not_a_workshop", path=str(folder))
    if not file.is_file():
        raise SeparError("file_not_found", path=str(file))
    with open_workshop(folder, db) as store:
        n = import_responses(store, Actor.facilitator_actor("separ delphi import"), study, file)
    typer.echo(
        {"ko": f"응답 {n}건을 가져왔습니다: {file}", "en": f"imported {n} answers from {file}"}[
            default_lang()
        ]
    )


@delphi_app.command("compare")
def delphi_compare(
    workshop: WorkshopArg,
    study: Annotated[
        str | None, typer.Option(help="Title of the Delphi study (default: the only one).")
    ] = None,
    before: Annotated[int | None, typer.Option(help="The earlier round.")] = None,
    after: Annotated[int | None, typer.Option(help="The later round (default: the last).")] = None,
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    db: DbOption = None,
) -> None:
    """Per item and group: n, mean, median, IQR and CV per round, change (▼ fell),
    convergence and the keep/drop decision."""
    import json

    from separ.delphi import compare_rounds, comparison_frame, load_panel, studies

    if format not in ("table", "json"):
        raise SeparError("unknown_format", suffix=format)
    with open_workshop(workshop, db) as store:
        found = [s for s in studies(store) if study is None or s.title == study]
        if len(found) != 1:
            raise SeparError("delphi_unknown_study", value=study or "")
        panel = load_panel(store, found[0].id)
    comparison = compare_rounds(panel, before, after)
    lang = default_lang()
    if format == "json":
        typer.echo(json.dumps(comparison.as_json(), ensure_ascii=False))
        return
    typer.echo(comparison_frame(comparison, lang).to_string(index=False))
    fell = {"ko": "평균이 내려간 문항", "en": "items whose mean fell"}[lang]
    for group in comparison.groups:
        name = group or {"ko": "전체", "en": "all"}[lang]
        codes = [r.code for r in comparison.fell(group)]
        typer.echo(f"▼ {fell} ({name}): {len(codes)}" + (f" — {', '.join(codes)}" if codes else ""))


@app.command("followup-review")
def followup_review(workshop: WorkshopArg, date: DateOption = None, db: DbOption = None) -> None:
    """Plan vs reality at a date: what slipped, what was dropped and why, money spent."""
    from separ.progress import load_progress, review, review_frames

    on = _date(date)
    with open_workshop(workshop, db) as store:
        lang = store.workshop().lang
        progress = load_progress(store)
    frames = review_frames(review(progress, on), progress, lang)
    for name, df in frames.items():
        typer.echo(f"== {name} ({len(df)})")
        if len(df):
            typer.echo(df.to_string(index=False))


@app.command("followup-figures")
def followup_figures(
    workshop: WorkshopArg,
    out: Annotated[Path, typer.Option("--out", help="Folder for the PNG files.")],
    date: DateOption = None,
    db: DbOption = None,
) -> None:
    """Write progress, plan-vs-reality, indicator and Delphi figures as PNG files."""
    from separ.delphi import load_panel, studies
    from separ.figures import followup as ff
    from separ.figures.style import save_png
    from separ.indicators import load_framework
    from separ.progress import load_progress, review

    on = _date(date)
    with open_workshop(workshop, db) as store:
        lang = store.workshop().lang
        progress = load_progress(store)
        framework = load_framework(store)
        panels = [load_panel(store, s.id) for s in studies(store)]
    out.mkdir(parents=True, exist_ok=True)
    figures = {
        "progress_by_task": ff.progress_by_task(progress, on, lang),
        "plan_vs_reality": ff.plan_vs_reality(progress, review(progress, on), lang),
        "indicators": ff.indicator_series(framework, lang),
    }
    for n, panel in enumerate(panels, start=1):
        figures[f"delphi_{n}_distributions"] = ff.delphi_distributions(panel, lang)
        rounds = sorted({r.round for r in panel.responses})
        if len(rounds) >= 2:
            figures[f"delphi_{n}_convergence"] = ff.delphi_convergence(
                panel, rounds[-2], rounds[-1], lang
            )
    for name, fig in figures.items():
        typer.echo(save_png(fig, out / f"{name}.png"))


@app.command("compare")
def compare(
    workshops: Annotated[list[Path], typer.Argument(help="Workshop folders or files.")],
    lq: Annotated[bool, typer.Option(help="Also print location quotients per workshop.")] = False,
) -> None:
    """Several workshops side by side: organisations by type, plans, progress, indicators."""
    from separ import compare as cp

    summaries = cp.summarise_all(workshops)
    typer.echo(cp.organisations_frame(summaries).to_string())
    typer.echo("")
    typer.echo(cp.plans_frame(summaries).to_string(index=False))
    if lq:
        for location in workshops:
            with open_workshop(location) as store:
                counts = cp.counts_of(store)
            if not counts:
                continue
            quotients = cp.location_quotients(counts)
            typer.echo(f"\n== LQ {location}")
            typer.echo(cp.lq_frame(quotients).round(2).to_string())
            for area, industries in cp.clusters(quotients).items():
                typer.echo(f"{area}: {', '.join(industries)}")


@app.command("followup-report")
def followup_report(
    workshop: WorkshopArg,
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write.")],
    date: DateOption = None,
    db: DbOption = None,
) -> None:
    """Write the yearly progress report (progress, indicators, Delphi) as one HTML page."""
    from separ.report.followup_parts import yearly_report_html

    with open_workshop(workshop, db) as store:
        lang = store.workshop().lang
        page = yearly_report_html(store, lang, _date(date) if date else None)
    out.write_text(page, encoding="utf-8")
    typer.echo(f"wrote {out}")
