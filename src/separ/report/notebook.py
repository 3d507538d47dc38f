"""The report as a Jupyter notebook: raw HTML cells only, no code, nothing to execute.

The notebook is what nbconvert renders (with separ's template) and what a researcher
can open or re-render. Cell ids are derived from the report, not random, so the same
workshop gives the same notebook and the same HTML.
"""

from __future__ import annotations

import nbformat
from nbformat import NotebookNode

from separ.report.assembly import Report
from separ.report.html import fragments

MIMETYPE = "text/html"


def css_string(value: str) -> str:
    """``value`` as a quoted CSS string that is also safe inside an HTML ``<style>``:
    everything but letters, digits, spaces and non-ASCII text is a CSS escape."""
    return (
        '"'
        + "".join(c if c.isalnum() or c == " " or ord(c) > 127 else f"\\{ord(c):X} " for c in value)
        + '"'
    )


def to_notebook(report: Report) -> NotebookNode:
    nb: NotebookNode = nbformat.v4.new_notebook(
        metadata={  # type: ignore[no-untyped-call]
            "title": report.cover.title,
            "separ": {
                "report": True,
                "lang": report.lang,
                "running_head": css_string(report.cover.title),
            },
        }
    )
    for cell_id, source in fragments(report):
        cell = nbformat.v4.new_raw_cell(  # type: ignore[no-untyped-call]
            source, metadata={"raw_mimetype": MIMETYPE}
        )
        cell["id"] = cell_id
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb
