"""Figures of the asset stage: the network map, assets by category, organisations by type × area.

Each builder returns a matplotlib :class:`~matplotlib.figure.Figure` (no pyplot) and has a
DataFrame twin in :mod:`separ.network` / :mod:`separ.assets`, so a report can show the
numbers under the picture. The map is drawn for a projector: Korean names wrapped
under each dot, colours by organisation type with a legend, dot size by degree, and
isolated organisations in their own row at the bottom so the "섬" are seen, not lost.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import networkx as nx
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from separ.assets import Asset, by_category
from separ.figures.style import PALETTE, figure, wrap
from separ.i18n import Lang
from separ.model import OrgType
from separ.network import CountScope, OrgCount

if TYPE_CHECKING:
    import pandas as pd

TYPE_COLOURS: dict[OrgType, str] = {
    OrgType.social_enterprise: PALETTE[0],
    OrgType.pre_social_enterprise: "#7fb3d9",
    OrgType.cooperative: PALETTE[2],
    OrgType.social_cooperative: "#9ccf6e",
    OrgType.village_enterprise: PALETTE[1],
    OrgType.self_sufficiency_enterprise: PALETTE[4],
    OrgType.rural_community_company: PALETTE[5],
    OrgType.intermediary: PALETTE[6],
    OrgType.government: PALETTE[3],
    OrgType.other: "#9aa3a5",
}
"""One colour per organisation type; "pre-" types are lighter shades of their type."""

TITLES: dict[str, dict[Lang, str]] = {
    "map": {"ko": "조직 간 관계망", "en": "Network map"},
    "isolated": {"ko": "관계가 없는 조직", "en": "organisations with no ties"},
    "assets": {"ko": "분류별 자산", "en": "Assets by category"},
    "count": {"ko": "개수", "en": "count"},
    "types": {"ko": "유형별·지역별 조직 수", "en": "Organisations by type and area"},
    "member": {"ko": "테두리: 네트워크 회원", "en": "outlined: network member"},
    "no_ties": {"ko": "(입력된 관계가 없습니다)", "en": "(no ties entered yet)"},
}


def _layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Connected organisations by a seeded spring layout in the upper band; isolates in rows
    below, so every name has room and the picture is the same on every run."""
    tied = [n for n in g if g.degree(n) > 0]
    alone = sorted((n for n in g if g.degree(n) == 0), key=lambda n: g.nodes[n]["name"])
    pos: dict[str, tuple[float, float]] = {}
    if tied:
        # A fresh graph with nodes and ties in a fixed order and a fixed starting circle:
        # the layout then never depends on the order sets iterate in (PYTHONHASHSEED).
        sub = nx.Graph()
        sub.add_nodes_from(sorted(tied, key=lambda n: (g.nodes[n]["name"], str(n))))
        sub.add_edges_from(
            sorted(tuple(sorted((a, b), key=str)) for a, b in g.subgraph(tied).edges())
        )
        start = nx.circular_layout(sub)
        raw = nx.kamada_kawai_layout(sub, pos=start) if len(tied) > 2 else start
        xs = [p[0] for p in raw.values()]
        ys = [p[1] for p in raw.values()]
        span_x = (max(xs) - min(xs)) or 1.0
        span_y = (max(ys) - min(ys)) or 1.0
        for n, (x, y) in raw.items():
            pos[n] = (0.08 + 0.84 * (x - min(xs)) / span_x, 0.42 + 0.5 * (y - min(ys)) / span_y)
    per_row = 5  # room for a wrapped name each at A4 width
    rows = math.ceil(len(alone) / per_row)
    top = 0.28 if tied else 0.84
    step = min(0.2, (top - 0.02) / (rows - 1)) if rows > 1 else 0.0
    for i, n in enumerate(alone):
        r, c = divmod(i, per_row)
        count = min(per_row, len(alone) - r * per_row)
        pos[n] = ((c + 0.5) / count, top - r * step)
    return pos


def network_map(g: nx.Graph, lang: Lang = "ko", title: str | None = None) -> Figure:
    """The organisations and their ties: colour = type, size = degree, isolates along the bottom."""
    fig = figure(10, 8)  # 10.5-pt names print at 7 pt across the A4 text width
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_xlim(-0.04, 1.04)
    ax.set_ylim(-0.06, 1.0)
    ax.set_title(title or TITLES["map"][lang], fontsize=18)
    pos = _layout(g)
    for a, b, data in g.edges(data=True):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        ax.plot(
            [x1, x2], [y1, y2], color="#8a949a", linewidth=0.8 + 1.2 * data["strength"], zorder=1
        )
    degrees = dict(g.degree())
    used: list[OrgType] = []
    for n, data in g.nodes(data=True):
        x, y = pos[n]
        colour = TYPE_COLOURS[data["type"]]
        if data["type"] not in used:
            used.append(data["type"])
        ax.scatter(
            [x],
            [y],
            s=220 + 160 * degrees[n],
            color=colour,
            zorder=2,
            edgecolors="#333333" if data["member"] else "white",
            linewidths=1.5,
        )
        ax.annotate(
            wrap(data["name"], 8),
            (x, y),
            xytext=(0, -16 - 1.2 * degrees[n]),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=10.5,
            zorder=3,
            bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 0.5},
        )
    alone = [n for n in g if degrees[n] == 0]
    if alone:
        top = max(pos[n][1] for n in alone)
        ax.text(
            0.0,
            top + 0.07,
            f"{TITLES['isolated'][lang]} ({len(alone)})",
            fontsize=12,
            color="#555555",
        )
    if g.number_of_edges() == 0:
        ax.text(0.5, 0.96, TITLES["no_ties"][lang], ha="center", fontsize=13, color="#555555")
    order = [t for t in OrgType if t in used]
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=11,
            markerfacecolor=TYPE_COLOURS[t],
            markeredgecolor="white",
            label=t.label(lang),
        )
        for t in order
    ]
    if any(data["member"] for _, data in g.nodes(data=True)):
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=11,
                markerfacecolor="white",
                markeredgecolor="#333333",
                markeredgewidth=1.5,
                label=TITLES["member"][lang],
            )
        )
    if handles:
        fig.legend(handles=handles, loc="outside right upper", fontsize=11, frameon=False)
    return fig


def assets_by_category(assets: list[Asset], lang: Lang = "ko") -> Figure:
    """Horizontal bars of the active assets per ABCD category (zeros shown)."""
    counts = by_category(assets)
    fig = figure(10, 5.5)
    ax = fig.add_subplot()
    labels = [wrap(c.label(lang), 12) for c in counts][::-1]
    values = list(counts.values())[::-1]
    bars = ax.barh(labels, values, color=PALETTE[0])
    ax.bar_label(bars, padding=3, fontsize=12)
    ax.set_title(TITLES["assets"][lang], fontsize=16)
    ax.set_xlabel(TITLES["count"][lang], fontsize=12)
    ax.tick_params(labelsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlim(0, max([*values, 1]) * 1.15)
    return fig


def type_area_frame(counts: list[OrgCount], lang: Lang = "ko") -> pd.DataFrame:
    """Area counts by type: rows = area (and year), columns = types; sub-areas when given."""
    import pandas as pd

    rows = [c for c in counts if c.scope == CountScope.area and c.org_type is not None]
    parts = [c for c in rows if c.part_of is not None]
    rows = parts or rows
    data: dict[str, dict[str, int]] = {}
    for c in rows:
        key = c.area if c.year is None or parts else f"{c.area} {c.year}"
        kind = OrgType(c.org_type or OrgType.other)
        column = c.label if kind == OrgType.social_enterprise and c.label else kind.label(lang)
        data.setdefault(key, {})
        data[key][column] = data[key].get(column, 0) + c.count
    return pd.DataFrame.from_dict(data, orient="index").fillna(0).astype(int)


def orgs_by_type_area(counts: list[OrgCount], lang: Lang = "ko") -> Figure:
    """Grouped bars: organisations of each type per area (or per year of one area), in the
    network map's colours (a column the source labels its own way, e.g. "(예비)사회적기업",
    takes the social-enterprise colour)."""
    df = type_area_frame(counts, lang)
    fig = figure(11, 5.5)
    ax = fig.add_subplot()
    ax.set_title(TITLES["types"][lang], fontsize=16)
    if df.empty:
        ax.set_axis_off()
        return fig
    width = 0.8 / len(df.columns)
    for i, column in enumerate(df.columns):
        xs = [j + (i - (len(df.columns) - 1) / 2) * width for j in range(len(df.index))]
        kind = next((t for t in OrgType if t.label(lang) == column), OrgType.social_enterprise)
        bars = ax.bar(xs, df[column], width=width, label=column, color=TYPE_COLOURS[kind])
        ax.bar_label(bars, fontsize=10, padding=2)
    ax.set_xticks(range(len(df.index)), [wrap(str(a), 10) for a in df.index], fontsize=12)
    ax.set_ylabel(TITLES["count"][lang], fontsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    fig.legend(fontsize=11, frameon=False, loc="outside right upper")
    return fig
