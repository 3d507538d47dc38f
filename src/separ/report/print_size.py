"""Figure text that can be read on paper: at least 7 pt once the figure is placed on A4.

Stage figures are drawn for the projector (10–16 inches wide, 10–18 pt type); the report
shrinks them to the text width (170 mm), and their type shrinks with them. A figure whose
smallest text would print under :data:`MIN_PT` is redrawn narrower before it is printed:
its type keeps its size in points while the canvas gets smaller, so on paper the type
is larger. Figures laid out in inches for print (the context boards, the strategy
diagram, the Gantt chart) already meet the size and are left alone.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.text import Text

TEXT_WIDTH_IN = 170 / 25.4
"""A4 (210 mm) less the report's 20 mm side margins (report.css), in inches."""
MIN_PT = 7.0
"""The smallest type a printed report may carry (Korean public documents keep to ≥ 7 pt)."""
MARGIN_PT = 0.2
"""Aim this far above :data:`MIN_PT`, so rounding in the renderer never dips below it."""


def texts(fig: Figure) -> list[Text]:
    """Every visible, non-empty text of ``fig`` (titles, ticks, labels, legends)."""
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def printed_scale(fig: Figure, fraction: float) -> float:
    """Paper inches per figure inch when ``fig`` takes ``fraction`` of the text width."""
    return TEXT_WIDTH_IN * min(fraction, 1.0) / float(fig.get_figwidth())


def smallest_pt(fig: Figure, fraction: float) -> float | None:
    """The smallest text of ``fig`` in points on paper (None when it has no text)."""
    sizes = [float(t.get_fontsize()) for t in texts(fig)]
    return min(sizes) * printed_scale(fig, fraction) if sizes else None


def fit(fig: Figure, fraction: float) -> Figure:
    """Narrow ``fig`` (height in proportion) until its smallest text prints at 7 pt or more."""
    smallest = smallest_pt(fig, fraction)
    if smallest is None or smallest >= MIN_PT:
        return fig
    shrink = smallest / (MIN_PT + MARGIN_PT)
    width, height = (float(v) for v in fig.get_size_inches())
    fig.set_size_inches(width * shrink, height * max(shrink, 0.8), forward=False)
    return fig
