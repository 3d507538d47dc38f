"""separ's nbconvert exporters: the report template, found without installing anything.

``ReportExporter`` is an :class:`~nbconvert.exporters.HTMLExporter` whose template
(``separ_report``, shipped in ``separ/templates``) extends JupyterLab's, replaces its
head (no MathJax, RequireJS or widget scripts: the report must open offline in a
meeting room) and prints the raw HTML cells separ generated as they are -- they were
escaped when they were made, and nbconvert's ``clean_html`` would strip the tables.
``ReportPDFExporter`` prints that HTML with the system's Chromium. Both are registered
under ``nbconvert.exporters`` in pyproject.toml (``jupyter nbconvert --to separ_report``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbconvert.exporters import Exporter, HTMLExporter
from nbformat import NotebookNode
from traitlets import default

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
"""The package-data folder holding ``separ_report/`` (conf.json, index.html.j2, static/)."""


class ReportExporter(HTMLExporter):
    """The report notebook as one self-contained HTML page."""

    export_from_notebook = "separ report (HTML)"

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)  # type: ignore[no-untyped-call]

    @default("template_name")
    def _template_name_default(self) -> str:
        return "separ_report"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATES)]

    def html(self, nb: NotebookNode, print_css: str = "") -> str:
        """The page; ``print_css`` is extra CSS for print only (embedded fonts)."""
        body, _ = self.from_notebook_node(nb, resources={"separ_print_css": print_css})
        return str(body)


class ReportPDFExporter(Exporter):
    """The report notebook as an A4 PDF, printed by the system's Chromium."""

    export_from_notebook = "separ report (PDF)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pdf"

    def from_notebook_node(  # type: ignore[override]  # bytes, as nbconvert's PDF exporters
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[bytes, dict[str, Any]]:
        from separ.report.pdf import print_pdf

        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        resources["output_extension"] = ".pdf"
        return print_pdf(nb_copy), resources
