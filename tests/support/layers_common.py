"""Shared helpers of the layers/export tests (no tests here).

- `synthetic_inputs()`: a tiny world (two provinces tiled by wiggly counties, a province far away,
  a composite region, an airport, a railway, two documents) for fast unit tests of the build.
- `real_build()`: one build of the real corpus into a temporary folder per test session
  (never the committed layers/), shared by every test module that needs it.
"""

from __future__ import annotations

import atexit
import functools
import math
import shutil
import tempfile
from pathlib import Path

import shapely
from shapely.geometry import LineString, Point, box

from geo.layers.build import BuildInputs, build_layers
from geo.models import Clause, Document, Mention, Place

CELL = 0.02


def _label(x: float, y: float) -> str:
    """Which synthetic county a cell centre belongs to (wiggly borders, so simplification matters)."""
    if x < 106.0:  # Sichuan 51: four counties in two prefectures
        right = x >= 105.0 + 0.15 * math.sin(7 * y)
        top = y >= 30.0 + 0.15 * math.sin(5 * x)
        pref = "5101" if not right else "5103"
        return f"{pref}0{2 + int(top)}"
    top = y >= 30.0 + 0.1 * math.sin(9 * x)  # Chongqing 50: two counties of 5001
    return f"50010{1 + int(top)}"


@functools.cache
def _counties() -> dict[str, shapely.Geometry]:
    cells: dict[str, list] = {}
    nx, ny = int(4 / CELL), int(2 / CELL)
    for i in range(nx):
        for j in range(ny):
            x0, y0 = 104.0 + i * CELL, 29.0 + j * CELL
            x0, y0 = round(x0, 6), round(y0, 6)
            lab = _label(x0 + CELL / 2, y0 + CELL / 2)
            cells.setdefault(lab, []).append(box(x0, y0, round(x0 + CELL, 6), round(y0 + CELL, 6)))
    return {k: shapely.coverage_union_all(v) for k, v in sorted(cells.items())}


def _union(prefix: str) -> shapely.Geometry:
    return shapely.coverage_union_all([g for k, g in _counties().items() if k.startswith(prefix)])


def admin_geometry(adcode: str) -> shapely.Geometry:
    if adcode == "110000":
        return box(116.0, 39.6, 116.8, 40.4)
    if adcode == "420100":
        return box(114.0, 30.4, 114.6, 30.8)
    if adcode == "420200":
        return box(115.0, 30.0, 115.4, 30.3)
    if adcode.endswith("0000"):
        return _union(adcode[:2])
    if adcode.endswith("00"):
        return _union(adcode[:4])
    return _counties()[adcode]


def _admin(adcode: str, name: str, level: str, parent: str = "") -> Place:
    layer = {"province": "admin_province", "prefecture": "admin_prefecture", "county": "admin_county"}[level]
    return Place(
        id=f"adm:{adcode}",
        name=name,
        kind=level,
        layer=layer,
        adcode=adcode,
        level=level,
        parent=parent,
        precision="exact boundary",
        recipe=f"admin:{adcode}",
        provenance="synthetic test boundary",
    )


def synthetic_places() -> dict[str, Place]:
    places = [
        _admin("510000", "四川省", "province"),
        _admin("500000", "重庆市", "province"),
        _admin("110000", "北京市", "province"),
        _admin("510100", "成都市", "prefecture", "adm:510000"),
        _admin("510300", "自贡市", "prefecture", "adm:510000"),
        _admin("500100", "重庆市辖区", "prefecture", "adm:500000"),
        _admin("420100", "武汉市", "prefecture"),
        _admin("420200", "黄石市", "prefecture"),
        _admin("510102", "锦江区", "county", "adm:510100"),
        _admin("510103", "青羊区", "county", "adm:510100"),
        _admin("510302", "自流井区", "county", "adm:510300"),
        _admin("510303", "贡井区", "county", "adm:510300"),
        _admin("500101", "万州区", "county", "adm:500100"),
        _admin("500102", "涪陵区", "county", "adm:500100"),
        Place(
            id="composite:chengyu",
            name="成渝地区",
            kind="composite",
            layer="regions",
            aliases=("川渝",),
            precision="exact boundary",
            recipe="union:adm:510000|adm:500000",
            provenance="union of 四川省 and 重庆市 (synthetic)",
            members=("adm:510000", "adm:500000"),
        ),
        Place(
            id="airport:ctu",
            name="双流国际机场",
            kind="airport",
            layer="points",
            precision="approximate point",
            recipe="point:103.947,30.578",
            provenance="airportsdata CTU (synthetic)",
        ),
        Place(id="zone:quiet", name="安静园区", kind="zone", layer="points", recipe="point:105.5,29.5"),
        Place(
            id="railway:chengyu",
            name="成渝铁路",
            kind="railway",
            layer="lines",
            precision="schematic",
            recipe="line:adm:510100|adm:500100",
            provenance="schematic line through 成都市 and 重庆市辖区 (synthetic)",
        ),
        Place(id="site:nowhere", name="无形之地", kind="site", layer="points", recipe=""),
    ]
    return {p.id: p for p in places}


def place_geometry(place: Place) -> shapely.Geometry | None:
    if place.recipe.startswith("admin:"):
        return admin_geometry(place.adcode)
    if place.recipe.startswith("point:"):
        x, y = (float(v) for v in place.recipe.split(":", 1)[1].split(","))
        return Point(x, y)
    if place.recipe.startswith("union:"):
        return shapely.union_all([admin_geometry(m.split(":")[1]) for m in place.members])
    if place.recipe.startswith("line:"):
        return LineString([(104.06, 30.67), (105.2, 30.1), (106.55, 29.56)])
    return None


TEXTS = {
    "doc-a": [
        "推动成渝地区双城经济圈建设，支持成都市和重庆市辖区协同发展。",
        "完善双流国际机场功能，加快成渝铁路提质改造，带动锦江区、青羊区发展。",
        "与武汉市加强合作。无形之地也要提到。",
    ],
    "doc-b": ["川渝两地共建自流井区产业园，成都市牵头。", "这一条不提任何地方。"],
}


def synthetic_documents() -> list[Document]:
    docs = []
    for n, (doc_id, texts) in enumerate(sorted(TEXTS.items())):
        doc = Document(
            id=doc_id,
            title=f"测试文件{n}",
            kind="方案",
            date=f"202{3 - n}-01-01",  # doc-b is older: index orders by date
            doc_no="",
            issuers=("测试",),
            sources=(),
        )
        for i, text in enumerate(texts, start=1):
            doc.clauses.append(
                Clause(
                    id=f"{doc_id}/1/p{i}",
                    doc_id=doc_id,
                    path=("一、总则",),
                    label="",
                    text=text,
                    agencies=(),
                    file=f"{doc_id}.txt",
                    lines=(i, i),
                )
            )
        docs.append(doc)
    return docs


def naive_mentions(documents: list[Document], places: dict[str, Place]) -> dict[str, list[Mention]]:
    """Every occurrence of a place name or alias (longest first, no overlaps)."""
    names = sorted(
        ((n, p.id) for p in places.values() for n in (p.name, *p.aliases)), key=lambda t: -len(t[0])
    )
    out: dict[str, list[Mention]] = {}
    for doc in documents:
        for clause in doc.clauses:
            taken = [False] * len(clause.text)
            found = []
            for name, pid in names:
                start = clause.text.find(name)
                while start >= 0:
                    end = start + len(name)
                    if not any(taken[start:end]):
                        taken[start:end] = [True] * len(name)
                        found.append(Mention(start, end, name, pid))
                    start = clause.text.find(name, end)
            if found:
                out[clause.id] = sorted(found, key=lambda m: m.start)
    return out


def synthetic_inputs() -> BuildInputs:
    places = synthetic_places()
    docs = synthetic_documents()
    return BuildInputs(
        documents=docs,
        places=places,
        mentions=naive_mentions(docs, places),
        place_geometry=place_geometry,
        admin_geometry=admin_geometry,
        coverage_simplify=lambda geoms, tol: list(shapely.coverage_simplify(geoms, tol)),
        inputs_sha256={"corpus_sha256": "0" * 64, "gazetteer_sha256": "1" * 64},
        libraries={"shapely": shapely.__version__},
    )


@functools.cache
def real_build() -> Path:
    """Build the real corpus once per session into a temporary folder; returns that layers folder."""
    tmp = Path(tempfile.mkdtemp(prefix="plan-atlas-layers-test-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    out = tmp / "layers"
    build_layers(out, progress=False)
    return out
