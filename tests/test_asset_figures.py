"""The figures draw what the data says: one dot per organisation, sizes by degree, bars by count."""

from __future__ import annotations

from pathlib import Path

from matplotlib.collections import PathCollection

from separ.assets import active_assets
from separ.figures.assets import (
    TYPE_COLOURS,
    assets_by_category,
    network_map,
    orgs_by_type_area,
    type_area_frame,
)
from separ.figures.style import save_png
from separ.model import OrgType
from separ.network import OrgCount, store_graph
from separ.workspace import open_workshop
from tests.conftest import SAMPLES


def test_network_map_dots_colours_and_sizes(tmp_path: Path) -> None:
    with open_workshop(SAMPLES["nonsan"]) as store:
        g = store_graph(store)
    fig = network_map(g)
    ax = fig.axes[0]
    dots = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(dots) == len(g) == 19
    sizes = sorted(float(c.get_sizes()[0]) for c in dots)
    assert sizes[-5:] == [220 + 160 * 4] * 5 and sizes[0] == 220  # K5 members vs isolates
    assert len(ax.lines) == 10  # one line per MOU
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[:2] == ["사회적기업", "예비사회적기업"] and labels[-1] == "테두리: 네트워크 회원"
    texts = [t.get_text() for t in ax.texts]
    assert "관계가 없는 조직 (14)" in texts
    assert save_png(fig, tmp_path / "map.png").stat().st_size > 20_000
    assert TYPE_COLOURS[OrgType.cooperative] != TYPE_COLOURS[OrgType.social_enterprise]


def test_asset_and_type_area_figures() -> None:
    with open_workshop(SAMPLES["seosan"]) as store:
        fig = assets_by_category(active_assets(store), "en")
        counts = store.list(OrgCount)
    bars = [p.get_width() for p in fig.axes[0].patches]
    assert bars == [1, 6, 9, 10, 6, 2]  # culture .. skills, bottom to top
    df = type_area_frame(counts)
    assert df.loc["서산시 2021"].to_dict() == {
        "(예비)사회적기업": 17,
        "마을기업": 13,
        "사회적협동조합": 6,
        "자활기업": 5,
        "협동조합": 56,
    }
    fig = orgs_by_type_area(counts)
    assert len(fig.axes[0].patches) == 15  # 3 years x 5 types
