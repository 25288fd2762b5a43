"""geo.viewer.legend: families, colour-blind-safe hues, one symbol per kind, legend strings."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.layers.build import read_layers
from geo.viewer import legend
from geo.viewer.data import Catalog, default_layers_dir
from geo.viewer.i18n import STRINGS


@pytest.fixture(scope="module")
def real() -> Catalog:
    return Catalog.from_layerset(read_layers(default_layers_dir()))


def test_every_kind_of_the_corpus_has_a_family(real: Catalog) -> None:
    assert [k for k in real.kinds() if legend.kind_family(k).id == "other"] == []


def test_families_have_distinct_hues_and_kinds_distinct_symbols() -> None:
    colors = [f.color.lower() for f in legend.FAMILIES]
    assert len(set(colors)) == len(colors)
    okabe_ito = {"#e69f00", "#56b4e9", "#009e73", "#0072b2", "#d55e00", "#cc79a7"}
    assert okabe_ito <= set(colors)
    table = legend.styles(k for f in legend.FAMILIES for k in f.kinds)
    for fam in legend.FAMILIES:
        for geom in ("point", "line", "area"):
            symbols = [repr(sorted(table[k][geom].items())) for k in fam.kinds]
            assert len(set(symbols)) == len(symbols), (fam.id, geom)
        assert {table[k]["color"] for k in fam.kinds} == {fam.color}
    assert legend.kind_color("railway") != legend.kind_color("zone")  # were near-identical purples
    assert legend.kind_color("airport") != legend.kind_color("new_area")  # shared a red


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_legend_strings_in_both_languages(lang: str) -> None:
    cfg = legend.legend_config(lang)
    keys = ["legend", "legend_precision", *(f"family:{f.id}" for f in (*legend.FAMILIES, legend.OTHER)),
            *(f"legend_prec:{p}" for p in legend.PRECISIONS), *(f"prec:{p}" for p in legend.PRECISIONS)]
    assert [k for k in keys if k not in STRINGS[lang]] == []
    assert cfg["title"] == STRINGS[lang]["legend"]


def test_map_script_carries_styles_and_legend() -> None:
    import json
    import re

    from geo.viewer import mapview

    html = mapview.build_map(mapview.MapSpec(layer_urls={}, kind_labels=(("railway", "Railway"),),
                                             lang="en")).get_root().render()
    cfg = json.loads(re.search(r"var cfg = (\{.*?\});\n", html).group(1))
    assert cfg["styles"]["railway"]["color"] == legend.kind_color("railway")
    assert cfg["legend"]["title"] == "Legend"
    assert "new Legend().addTo(map)" in html and "legendDraw()" in html
    assert Path(legend.__file__).read_text(encoding="utf-8").count("\n") < 600
