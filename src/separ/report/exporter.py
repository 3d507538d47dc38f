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

from nbconvert.exporters import Exporter, HTMLExporter, TemplateExporter
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

    @default("optimistic_validation")
    def _optimistic_validation_default(self) -> bool:
        """Validate the notebook once, after the preprocessors, not after each of the
        dozen (none of which has anything to do in a notebook of raw cells)."""
        return True

    def from_notebook_node(  # type: ignore[override]  # as HTMLExporter's
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        """The page as the template writes it: HTMLExporter's steps less its last one.

        HTMLExporter then parses the whole page with BeautifulSoup (pure Python) to give
        code cells a tabindex and images without one an alt text, and writes it out again:
        most of the rendering time (0.4 of 0.55 s for the Seosan report, several MB of
        images). The report has no code cells and every image has its alt text, and the
        markup read back is the same page (``BeautifulSoup(page)`` gives what HTMLExporter
        used to write).
        """
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        resources = self._init_resources(resources)  # type: ignore[no-untyped-call]
        highlight = Highlight2HTML(parent=self)  # type: ignore[no-untyped-call]
        data_type = WidgetsDataTypeFilter(  # type: ignore[no-untyped-call]
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight)  # type: ignore[no-untyped-call]
        self.register_filter("filter_data_type", data_type)  # type: ignore[no-untyped-call]
        body, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return body, resources

    def html(self, nb: NotebookNode, print_css: str = "") -> str:
        """The page; ``print_css`` is extra CSS for print only (embedded fonts)."""
        body, _ = self.from_notebook_node(nb, resources={"separ_print_css": print_css})
        return body


def with_print_css(page: str, print_css: str) -> str:
    """``page`` (from :meth:`ReportExporter.html` without print CSS) as if rendered with
    ``print_css``: the template writes it on the line before ``</head>``. The HTML file and
    the PDF thus share one rendering."""
    end = page.find("\n</head>")
    if end < 0:
        raise ValueError("not a page of separ's report template")
    return page[:end] + print_css + page[end:]


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
