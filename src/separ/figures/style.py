"""Shared figure style: Korean fonts, wrapped labels, sizes that read on a projector and in a PDF.

Figures are built as :class:`matplotlib.figure.Figure` objects without pyplot, so
they can be made in any thread (the live server) and never open a window.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

KOREAN_FONTS = [
    "Noto Sans CJK KR",
    "Noto Sans CJK JP",
    "NanumGothic",
    "Malgun Gothic",
    "Apple SD Gothic Neo",
    "AppleGothic",
    "DejaVu Sans",
]
"""Debian's fonts-noto-cjk provides the first; Windows has Malgun Gothic, macOS Apple SD
Gothic Neo; the last keeps Latin text readable anywhere. matplotlib falls back glyph by
glyph along this list, so Hangul is drawn by the first Korean font installed."""


def korean_font(installed: set[str] | None = None) -> str | None:
    """The Korean font figures will use: the first of :data:`KOREAN_FONTS` installed."""
    if installed is None:
        from matplotlib import font_manager

        installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in KOREAN_FONTS[:-1] if name in installed), None)


matplotlib.rcParams["font.family"] = "sans-serif"
matplotlib.rcParams["font.sans-serif"] = KOREAN_FONTS
matplotlib.rcParams["axes.unicode_minus"] = False  # CJK fonts lack the Unicode minus glyph
matplotlib.rcParams["svg.fonttype"] = "none"

PALETTE = ["#1b6ca8", "#e07a1f", "#3a9d5d", "#c0392b", "#7d5ba6", "#8c6d31", "#d35d90", "#5f6b6d"]
"""Distinct colours that survive a projector and grey-scale printing."""


def figure(width: float = 10, height: float = 6, dpi: int = 100) -> Figure:
    """A new figure (inches) with separ's style."""
    return Figure(figsize=(width, height), dpi=dpi, layout="constrained")


def wrap(text: str, width: int = 14) -> str:
    """Wrap a label at ``width`` characters, splitting long Hangul words too."""
    return (
        "\n".join(textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=False))
        or text
    )


def save_png(fig: Figure, path: str | Path, dpi: int = 150) -> Path:
    """Write ``fig`` as PNG (e.g. for the report or a look at it) and return the path."""
    out = Path(path)
    fig.savefig(out, dpi=dpi, format="png")
    return out
