"""The facilitator guides (``facilitator_guides/ko``, ``/en``) as one printable document.

Facilitators read the guides on GitHub or print them for the room. Printing goes through
the report pipeline so the guide looks like the report it leads to and needs nothing but
the browser the report already uses: each Markdown guide becomes raw HTML cells of an
nbformat notebook (a cover, a contents list, one chapter per guide) that
:func:`separ.report.pdf.print_pdf` renders with separ's template, embeds the Korean fonts
into and prints with the system's Chromium. Images are embedded as data URLs (the report
page's content policy allows no other source), each as wide as its capture's record says
(:mod:`separ.report.shots`): a panel across the text width, a phone at a phone's size, so
that the smallest type in every screenshot prints at 7 pt or more.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mistune
import nbformat
from nbformat import NotebookNode

from separ.errors import SeparError
from separ.i18n import Lang, add_messages
from separ.report.shots import TEXT_WIDTH_MM, png_size, printed_width_mm, shot_record
from separ.resources import data_dir

add_messages(
    {
        "guide_not_found": {
            "ko": "진행자 안내서 폴더를 찾을 수 없습니다 (SEPAR_GUIDES): {path}",
            "en": "cannot find the facilitator guides (SEPAR_GUIDES): {path}",
        },
        "guide_image_missing": {
            "ko": "안내서 {guide}이(가) 가리키는 그림이 없습니다: {image}",
            "en": "guide {guide} points at a missing image: {image}",
        },
    }
)

FIRST = ("quickstart.md", "sessions.md")
"""Guides printed before the stage guides (``NN_stage.md``, in workbook order)."""

COVER = {
    "ko": ("진행자 안내서", "separ로 참여형 실행연구 워크숍 진행하기", "차례"),
    "en": (
        "Facilitator guide",
        "Running participatory action-research workshops with separ",
        "Contents",
    ),
}

STYLE = """<style>
.separ-report code, .separ-report pre { font-family: "DejaVu Sans Mono", var(--separ-sans),
  monospace; font-size: 8.6pt; }
.separ-report pre { background: #f3f5f7; border-left: 2px solid var(--separ-accent);
  padding: 2mm 3mm; white-space: pre-wrap; text-align: left; break-inside: avoid; }
.separ-report blockquote { margin: 2mm 0 4mm; padding: 1mm 4mm; border-left: 3px solid #c9a227;
  background: #fbf8ee; font-family: var(--separ-sans); }
.separ-report blockquote p { margin: 1mm 0; }
.separ-report ul, .separ-report ol:not(.toc) { margin: 0 0 3mm; padding-left: 6mm; }
.separ-report li { margin: 0.6mm 0; }
.separ-report figure.guide-shot { margin: 3mm 0 6mm; text-align: center; break-inside: avoid; }
.separ-report figure.guide-shot img { max-width: 100%; height: auto; border: 0.5px solid #999; }
.separ-report figure.guide-shot figcaption { font-weight: normal; font-size: 9pt; color: #444; }
</style>"""


def guides_root() -> Path:
    """The guides: $SEPAR_GUIDES, else the installed package's (:mod:`separ.resources`)."""
    root = data_dir("facilitator_guides")
    if not (root / "ko").is_dir():
        raise SeparError("guide_not_found", path=str(root))
    return root


def guide_files(lang: Lang, root: Path | None = None) -> list[Path]:
    """One language's guides in reading order: quick start, session plan, then the stages."""
    folder = (root or guides_root()) / lang
    if not folder.is_dir():
        raise SeparError("guide_not_found", path=str(folder))
    files = {p.name: p for p in folder.glob("*.md")}
    first = [files[name] for name in FIRST if name in files]
    return first + sorted(p for name, p in files.items() if name not in FIRST)


@dataclass(frozen=True)
class Guide:
    path: Path
    title: str
    anchor: str
    html: str
    """The body after the title, as HTML (images embedded)."""


class _Renderer(mistune.HTMLRenderer):
    """mistune's HTML with images read from disk into data URLs, numbered headings."""

    def __init__(self, guide: Path, anchor: str, anchors: dict[str, str]) -> None:
        super().__init__(escape=True)
        self.guide = guide
        self.anchor = anchor
        self.anchors = anchors
        """Guide file name -> its chapter anchor: links between guides stay inside the PDF."""
        self.headings = 0

    def link(self, text: str, url: str, title: str | None = None) -> str:
        return super().link(text, "#" + self.anchors[url] if url in self.anchors else url, title)

    def image(self, text: str, url: str, title: str | None = None) -> str:
        path = (self.guide.parent / url).resolve()
        if not path.is_file():
            raise SeparError("guide_image_missing", guide=self.guide.name, image=url)
        data = path.read_bytes()
        caption = html.escape(text)
        width = image_width_mm(data)
        encoded = base64.b64encode(data).decode("ascii")
        # a figure cannot sit inside the paragraph mistune wraps images in: close and reopen it
        return (
            f'</p><figure class="guide-shot"><img style="width: {width:.2f}mm" '
            f'src="data:image/png;base64,{encoded}" alt="{caption}">'
            f"<figcaption>{caption}</figcaption></figure><p>"
        )

    def heading(self, text: str, level: int, **attrs: Any) -> str:
        self.headings += 1
        level = min(max(level, 2), 4)
        return f'<h{level} id="{self.anchor}-{self.headings}">{text}</h{level}>\n'


def image_width_mm(data: bytes) -> float:
    """How wide a guide image prints: from its capture's record (its width in CSS pixels;
    the PNG has twice as many), by the rule the guides' test checks
    (:func:`separ.report.shots.printed_width_mm`). An image with no record (a guide
    folder of one's own, SEPAR_GUIDES) is taken as one PNG pixel per CSS pixel."""
    record = shot_record(data)
    if record is not None:
        return printed_width_mm(record.css_width, record.css_height)
    width, height = png_size(data)
    return printed_width_mm(width, height) if width and height else TEXT_WIDTH_MM


def _title(source: str, path: Path) -> tuple[str, str]:
    """The guide's ``# title`` line and the Markdown after it."""
    match = re.match(r"\s*# (.+)\n", source)
    if not match:
        return path.stem, source
    return match.group(1).strip(), source[match.end() :]


def read_guide(path: Path, number: int, anchors: dict[str, str] | None = None) -> Guide:
    title, body = _title(path.read_text(encoding="utf-8"), path)
    anchor = f"guide-{number}"
    markdown = mistune.create_markdown(
        renderer=_Renderer(path, anchor, anchors or {}), plugins=["table", "strikethrough"]
    )
    rendered = str(markdown(body)).replace("<p></p>", "")
    return Guide(path, title, anchor, rendered)


def _cover(lang: Lang) -> str:
    kind, title, _ = COVER[lang]
    return (
        '<section class="cover"><div class="cover-top">'
        f'<p class="cover-kind">{html.escape(kind)}</p>'
        f'<h1 class="cover-title">{html.escape(title)}</h1>'
        '<p class="cover-region">separ</p></div><div class="cover-bottom"></div></section>'
    )


def _contents(lang: Lang, guides: list[Guide]) -> str:
    items = "".join(f'<li><a href="#{g.anchor}">{html.escape(g.title)}</a></li>' for g in guides)
    return (
        f'<nav class="contents"><h1 class="front">{html.escape(COVER[lang][2])}</h1>'
        f'<ol class="toc">{items}</ol></nav>'
    )


def guide_notebook(lang: Lang, root: Path | None = None) -> NotebookNode:
    """The guides of one language as a report notebook (raw HTML cells, nothing to run)."""
    files = guide_files(lang, root)
    anchors = {p.name: f"guide-{i + 1}" for i, p in enumerate(files)}
    guides = [read_guide(p, i + 1, anchors) for i, p in enumerate(files)]
    pieces = [("style", STYLE), ("cover", _cover(lang)), ("contents", _contents(lang, guides))]
    for g in guides:
        pieces.append(
            (g.anchor, f'<h1 class="chapter" id="{g.anchor}">{html.escape(g.title)}</h1>\n{g.html}')
        )
    nb: NotebookNode = nbformat.v4.new_notebook(
        metadata={  # type: ignore[no-untyped-call]
            "title": COVER[lang][0],
            "separ": {"report": True, "lang": lang},
        }
    )
    for cell_id, source in pieces:
        cell = nbformat.v4.new_raw_cell(  # type: ignore[no-untyped-call]
            source, metadata={"raw_mimetype": "text/html"}
        )
        cell["id"] = cell_id
        nb.cells.append(cell)
    return nb


def guide_pdf(lang: Lang, root: Path | None = None) -> bytes:
    """The guides as an A4 PDF with page numbers in the contents (the report's printer)."""
    from separ.report.pdf import print_pdf

    return print_pdf(guide_notebook(lang, root))


def guide_html(lang: Lang, root: Path | None = None) -> str:
    """The guides as one self-contained HTML page (the report's template)."""
    from separ.report.exporter import ReportExporter

    return ReportExporter().html(guide_notebook(lang, root))
