"""The report as HTML fragments: the one place that turns report data into markup.

Every piece of workshop text goes through :func:`esc` (``html.escape``): a participant
named ``<script>…`` is printed as those characters, in the HTML, the PDF made from it
and the Voila page alike. Nothing here reads the clock, so the same workshop always
gives the same bytes.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import math
from collections.abc import MutableMapping
from typing import Any

from separ.i18n import Lang
from separ.report.assembly import Chapter, Numbered, Report
from separ.report.blocks import Block, Figure, Heading, PageBreak, Paragraph, Table
from separ.report.labels import label
from separ.report.numbers import decimals_of, fixed, grouped_column, is_number, numeric_column

FIGURE_DPI = 200


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


HANGING = ("• ", "→ ", "※ ", "- ", "○ ", "□ ")
"""Line starts that get a hanging indent, so a wrapped agenda item lines up under itself."""

WIDE_TABLE = 8
"""Tables with more columns print on a landscape page: on portrait A4 a dozen columns get
about a centimetre each and their words break letter by letter."""

SHORT_TABLE = 20
"""Tables with at most this many rows are kept on one page (no orphaned caption)."""


def text_html(value: str) -> str:
    """Escaped text with its line breaks kept; list-like lines hang under their bullet."""
    lines = value.split("\n")
    if not any(line.startswith(HANGING) for line in lines):
        return "<br>".join(esc(line) for line in lines)
    return "".join(
        f'<span class="{"hang" if line.startswith(HANGING) else "line"}">{esc(line)}</span>'
        for line in lines
    )


def cell_html(value: Any, grouped: bool = False, decimals: int = 0) -> str:
    """A table cell: numbers with the column's ``decimals`` rounded half up (1,234 when
    ``grouped``), text escaped."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if is_number(value):
        return fixed(float(value), decimals, grouped)
    return text_html(str(value))


def merged_spans(frame: Any, columns: int) -> dict[tuple[int, int], int]:
    """(row, column) -> rows a merged cell spans (0: covered by the cell above), for the
    first ``columns`` columns; a column merges only inside the runs of the columns before
    it, so a goal never spans two strategies."""
    spans: dict[tuple[int, int], int] = {}
    bounds = [0, len(frame)]
    for c in range(min(columns, frame.shape[1])):
        values = frame.iloc[:, c].tolist()
        starts = set(bounds)
        for r in range(1, len(values)):
            if values[r] != values[r - 1] or values[r] in ("", None):
                starts.add(r)
        edges = sorted(starts)
        for a, b in itertools.pairwise(edges):
            spans[(a, c)] = b - a
            for r in range(a + 1, b):
                spans[(r, c)] = 0
        bounds = edges
    return spans


def table_html(item: Numbered, lang: Lang = "ko") -> str:
    table = item.block
    assert isinstance(table, Table)
    frame = table.frame
    columns = [str(c) for c in frame.columns]
    values = [frame.iloc[:, i].tolist() for i in range(len(columns))]
    numeric = [numeric_column(v) for v in values]
    grouped = [n and grouped_column(v) for n, v in zip(numeric, values, strict=True)]
    decimals = [decimals_of(v) if n else 0 for n, v in zip(numeric, values, strict=True)]
    classes = " ".join(
        [
            "separ-table",
            *(["compact"] if table.compact else []),
            *(["wide"] if len(columns) > WIDE_TABLE else []),
            *(["short"] if len(frame) <= SHORT_TABLE else []),
        ]
    )
    out = [
        f'<div class="{classes}" id="{item.anchor}">',
        "<table>",
        f'<caption><span class="label">{esc(item.label)}</span> {esc(table.caption)}</caption>',
    ]
    if table.widths and len(table.widths) == len(columns):
        total = sum(table.widths)
        out.append(
            "<colgroup>"
            + "".join(f'<col style="width:{w / total * 100:.1f}%">' for w in table.widths)
            + "</colgroup>"
        )
    out.append("<thead><tr>" + "".join(f"<th>{esc(c)}</th>" for c in columns) + "</tr></thead>")
    out.append("<tbody>")
    spans = merged_spans(frame, table.merge)
    for r, row in enumerate(frame.itertuples(index=False)):
        cells = []
        for i, v in enumerate(row):
            span = spans.get((r, i), 1)
            if span == 0:
                continue  # inside a merged cell above
            attr = f' rowspan="{span}"' if span > 1 else ""
            cells.append(
                f'<td class="num"{attr}>{cell_html(v, grouped[i], decimals[i])}</td>'
                if numeric[i]
                else f"<td{attr}>{cell_html(v)}</td>"
            )
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if table.note:
        out.append(f'<p class="note">{text_html(table.note)}</p>')
    if table.source:
        out.append(f'<p class="source">{esc(label("source", lang, source=table.source))}</p>')
    out.append("</div>")
    return "\n".join(out)


PNG_LEVEL = 3
"""zlib level of the report's PNGs: 40% less time than the default 6, for images 6% larger
than at 6 (and still smaller than matplotlib's RGBA ones)."""


def png(fig: Any) -> bytes:
    """The figure as PNG bytes (no date in the metadata, so the bytes repeat).

    matplotlib draws the pixels; Pillow writes them without the alpha channel when every
    pixel is opaque, as the figure's white face makes them: a third less to compress,
    and the same image.
    """
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="rgba", dpi=FIGURE_DPI, facecolor="white")
    shown_dpi = fig.dpi
    fig.dpi = FIGURE_DPI  # the canvas size in pixels, as matplotlib rounded it for the print
    try:
        size = fig.canvas.get_width_height(physical=True)
    finally:
        fig.dpi = shown_dpi
    raw = buf.getvalue()
    if len(raw) != 4 * size[0] * size[1]:  # cropped (savefig.bbox in a matplotlibrc)
        buf = io.BytesIO()
        fig.savefig(
            buf, format="png", dpi=FIGURE_DPI, facecolor="white", metadata={"Software": None}
        )
        return buf.getvalue()
    image = Image.frombuffer("RGBA", size, raw, "raw", "RGBA", 0, 1)
    if image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="png", dpi=(FIGURE_DPI, FIGURE_DPI), compress_level=PNG_LEVEL)
    return out.getvalue()


PngMemo = MutableMapping[Any, bytes]
"""matplotlib figure -> its PNG, for a view that shows the same figures again (a
``weakref.WeakKeyDictionary``: a figure no longer held drops out)."""


def figure_html(item: Numbered, lang: Lang, pngs: PngMemo | None = None) -> str:
    figure = item.block
    assert isinstance(figure, Figure)
    if pngs is None:
        drawn = png(figure.figure)
    else:
        if figure.figure not in pngs:
            pngs[figure.figure] = png(figure.figure)
        drawn = pngs[figure.figure]
    data = base64.b64encode(drawn).decode("ascii")
    width = max(10, min(100, round(figure.width * 100)))
    return (
        f'<figure class="separ-figure" id="{item.anchor}">'
        f'<img src="data:image/png;base64,{data}" alt="{esc(figure.caption)}" '
        f'style="width:{width}%">'
        f'<figcaption><span class="label">{esc(item.label)}</span> {esc(figure.caption)}'
        "</figcaption>"
        + (
            f'<p class="source">{esc(label("source", lang, source=figure.source))}</p>'
            if figure.source
            else ""
        )
        + "</figure>"
    )


def block_html(
    block: Block | Numbered, anchor: str, lang: Lang = "ko", pngs: PngMemo | None = None
) -> str:
    if isinstance(block, Numbered):
        if isinstance(block.block, Table):
            return table_html(block, lang)
        return figure_html(block, lang, pngs)
    if isinstance(block, Heading):
        level = min(max(block.level, 2), 4)
        return f'<h{level} id="{anchor}">{esc(block.text)}</h{level}>'
    if isinstance(block, Paragraph):
        return "\n".join(
            f"<p>{text_html(part.strip())}</p>" for part in block.text.split("\n\n") if part.strip()
        )
    if isinstance(block, PageBreak):
        return '<div class="page-break"></div>'
    raise TypeError(f"not a report block: {block!r}")


def chapter_heading(chapter: Chapter) -> str:
    return f'<h1 class="chapter" id="{chapter.anchor}">{esc(chapter.heading)}</h1>'


def cover_html(report: Report) -> str:
    c = report.cover
    lang = report.lang
    lines = [
        '<section class="cover">',
        '<div class="cover-top">',
        f'<p class="cover-kind">{esc(c.kind)}</p>',
        f'<h1 class="cover-title">{esc(c.title)}</h1>',
        f'<p class="cover-region">{esc(c.region)}</p>',
    ]
    if c.network:
        lines.append(f'<p class="cover-network">{esc(c.network)}</p>')
    lines.append("</div>")
    lines.append('<div class="cover-bottom">')
    if c.date:
        lines.append(f'<p class="cover-date">{esc(c.date)}</p>')
    if c.organisers:
        lines.append('<dl class="cover-people">')
        lines.append(f"<dt>{esc(label('organisers', lang))}</dt>")
        lines.extend(f"<dd>{esc(o)}</dd>" for o in c.organisers)
        lines.append("</dl>")
    if c.facilitators:
        lines.append('<dl class="cover-people">')
        lines.append(f"<dt>{esc(label('facilitators', lang))}</dt>")
        lines.append(f"<dd>{esc(', '.join(c.facilitators))}</dd>")
        lines.append("</dl>")
    lines.append("</div></section>")
    return "\n".join(lines)


def contents_html(report: Report) -> str:
    """Contents, then the lists of tables and figures, each entry a link."""
    lang = report.lang
    out = [
        '<nav class="contents">',
        f'<h1 class="front">{esc(label("toc", lang))}</h1>',
        '<ol class="toc">',
    ]
    for chapter in report.chapters:
        subs = [(i, b) for i, b in enumerate(chapter.items) if isinstance(b, Heading)]
        out.append(f'<li><a href="#{chapter.anchor}">{esc(chapter.heading)}</a>')
        if subs:
            out.append(
                "<ol>"
                + "".join(
                    f'<li><a href="#{chapter.anchor}-{i}">{esc(b.text)}</a></li>' for i, b in subs
                )
                + "</ol>"
            )
        out.append("</li>")
    out.append("</ol>")
    for title, items in (("list_tables", report.tables()), ("list_figures", report.figures())):
        if not items:
            continue
        out.append(f'<h2 class="front">{esc(label(title, lang))}</h2><ol class="toc items">')
        out.extend(
            f'<li><a href="#{n.anchor}"><span class="label">{esc(n.label)}</span> '
            f"{esc(n.block.caption)}</a></li>"
            for n in items
        )
        out.append("</ol>")
    out.append("</nav>")
    return "\n".join(out)


def fragments(report: Report, pngs: PngMemo | None = None) -> list[tuple[str, str]]:
    """The report as (id, HTML) pieces in reading order: one notebook cell each (figures
    drawn once per figure when ``pngs`` keeps them)."""
    pieces = [("cover", cover_html(report)), ("contents", contents_html(report))]
    for chapter in report.chapters:
        pieces.append((chapter.anchor, chapter_heading(chapter)))
        for i, item in enumerate(chapter.items):
            pieces.append(
                (
                    f"{chapter.anchor}-{i}",
                    block_html(item, f"{chapter.anchor}-{i}", report.lang, pngs),
                )
            )
    return pieces


def body_html(report: Report, pngs: PngMemo | None = None) -> str:
    """The whole report body (what the Voila view shows inside its page)."""
    return "\n".join(piece for _, piece in fragments(report, pngs))
