"""The review queue (geo.places.review, `geo coverage --doc`, `geo review …`; issue 15 item 3).

Decisions are made on a copy of data/gazetteer/ in a temporary folder, so the repository's tables
are never touched. Checked: the queue per document and per uploaded text; alias, point and area
decisions reach the extractor and the geometry; who/when/why are recorded; undo; a decision that
would break the gazetteer is refused and writes nothing; planner.csv gets the curated tables'
validation; and end to end, a decision rebuilds layers/ with the new place and its clause.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from geo import settings
from geo.cli.main import main
from geo.errors import GazetteerError, UnknownDocumentError
from geo.places import Extractor, load_gazetteer
from geo.places.geometry import place_geometry
from geo.places.review import (
    planner_rows,
    queue_for_document,
    queue_for_texts,
    resolve_as_alias,
    resolve_as_area,
    resolve_as_point,
    undo,
)

WHEN = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture()
def gdir(tmp_path: Path) -> Path:
    d = tmp_path / "gazetteer"
    d.mkdir()
    for p in settings.GAZETTEER_DIR.glob("*.csv"):
        shutil.copy(p, d / p.name)
    return d


def test_queue_of_one_document_lists_its_unknown_place_like_strings() -> None:
    rows = queue_for_document("2023-wandakai-plan")
    surfaces = {r.surface for r in rows}
    assert "万州绿色循环产业园" in surfaces
    assert all(cid.startswith("2023-wandakai-plan/") for r in rows for cid in r.clause_ids)
    with pytest.raises(UnknownDocumentError):
        queue_for_document("no-such-doc")


def test_queue_of_an_uploaded_text_uses_the_new_patterns() -> None:
    text = "规划建设紫云新城，保护若尔盖高原生态，治理清溪河流域。"
    rows = queue_for_texts([("up/1/p1", text)])
    assert {r.surface for r in rows} >= {"紫云新城", "清溪河流域"}
    assert all(r.clause_ids == ["up/1/p1"] for r in rows)


def test_new_point_is_found_drawn_and_undone(gdir: Path) -> None:
    row = resolve_as_point(
        "紫云新城", 104.45, 30.41, kind="zone", note="test", who="李规划", why="网页稿件", gazetteer_dir=gdir, when=WHEN
    )
    assert (row["who"], row["when"], row["why"]) == ("李规划", "2026-11-30T09:00:00+00:00", "网页稿件")
    gaz = load_gazetteer(gdir)
    place = gaz.get(row["id"])
    assert (place.kind, place.recipe) == ("zone", "point:104.450000,30.410000")
    assert gaz.sources[place.id].startswith("planner.csv:")
    text = "规划建设紫云新城。"
    assert [(m.start, m.end, m.place_id) for m in Extractor(gaz).extract(text)] == [(4, 8, place.id)]
    assert place_geometry(place, gaz).equals_exact(place_geometry(place, gaz), 0)
    assert queue_for_texts([("x", text)], gaz) == []
    assert undo("紫云新城", gazetteer_dir=gdir)["id"] == row["id"]
    assert planner_rows(gdir) == []
    assert not (gdir / "planner.csv").exists()  # as before the decision, not a header-only table
    assert Extractor(load_gazetteer(gdir)).extract(text) == []
    assert not [p for p in gdir.iterdir() if p.name.endswith(".tmp")]


def test_alias_and_area_decisions(gdir: Path) -> None:
    a = resolve_as_alias("成都东部新城", "new_area:chengdu-east", who="w", why="y", gazetteer_dir=gdir)
    b = resolve_as_area("川南新区", ["泸州", "adm:511500"], kind="zone", who="w", why="y", gazetteer_dir=gdir)
    gaz = load_gazetteer(gdir)
    ms = Extractor(gaz).extract("推动成都东部新城和川南新区建设")
    assert [(m.surface, m.place_id) for m in ms] == [("成都东部新城", "new_area:chengdu-east"), ("川南新区", b["id"])]
    assert gaz.get(b["id"]).members == ("adm:510500", "adm:511500")
    assert place_geometry(gaz.get(b["id"]), gaz).area > place_geometry(gaz.get("adm:510500"), gaz).area
    assert [r["id"] for r in planner_rows(gdir)] == [a["id"], b["id"]]


def test_refused_decisions_write_nothing(gdir: Path) -> None:
    with pytest.raises(GazetteerError, match="already a name"):
        resolve_as_alias("泸州", "adm:510500", who="w", why="y", gazetteer_dir=gdir)
    with pytest.raises(GazetteerError, match="unknown kind"):
        resolve_as_point("紫云新城", 104.4, 30.4, kind="castle", who="w", why="y", gazetteer_dir=gdir)
    with pytest.raises(GazetteerError, match="who"):
        resolve_as_point("紫云新城", 104.4, 30.4, kind="zone", who=" ", why="y", gazetteer_dir=gdir)
    with pytest.raises(GazetteerError, match="recipe"):  # the loader's own check: not in China
        resolve_as_point("紫云新城", 4.4, 30.4, kind="zone", who="w", why="y", gazetteer_dir=gdir)
    assert not (gdir / "planner.csv").exists()
    p = resolve_as_point("紫云新城", 104.4, 30.4, kind="zone", who="w", why="y", gazetteer_dir=gdir)
    resolve_as_alias("紫云", p["id"], who="w", why="y", gazetteer_dir=gdir)
    before = (gdir / "planner.csv").read_bytes()
    with pytest.raises(GazetteerError, match="alias_of"):  # the alias still needs the point
        undo(p["id"], gazetteer_dir=gdir)
    assert (gdir / "planner.csv").read_bytes() == before


def test_planner_table_is_validated_like_the_curated_tables(gdir: Path) -> None:
    header = "id,name,kind,layer,aliases,recipe,precision,in_admin,members,partial,provenance,notes,alias_of,who,when,why\n"
    (gdir / "planner.csv").write_text(header + "alias:x,某城,,,,,,,,,p,,adm:510500,,2026-11-30,y\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"planner\.csv.*who"):
        load_gazetteer(gdir)
    (gdir / "planner.csv").write_text(header + "alias:x,某城,,,,,,,,,p,,adm:999999,w,2026-11-30,y\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="alias_of"):
        load_gazetteer(gdir)
    row = "zone:x,某城,zone,points,,point:104.4,,,,,p,,,w,2026-11-30,y\n"
    (gdir / "planner.csv").write_text(header + row, encoding="utf-8")
    with pytest.raises(GazetteerError, match="precision"):
        load_gazetteer(gdir)


def test_cli_decision_rebuilds_layers_with_the_place_and_its_clause(gdir: Path, tmp_path: Path, capsys) -> None:
    layers = tmp_path / "layers"
    args = ["--gazetteer-dir", str(gdir), "--layers-dir", str(layers)]
    assert main(["review", "point", "万州绿色循环产业园", "--lon", "108.38", "--lat", "30.80", "--kind", "zone",
                 "--who", "test", "--why", "wandakai plan 4.17", *args]) == 0
    pid = capsys.readouterr().out.split("\t")[0]
    feats = {f["id"]: f for f in json.loads((layers / "points.geojson").read_text(encoding="utf-8"))["features"]}
    assert feats[pid]["properties"]["clause_ids"] == ["2023-wandakai-plan/4.17/p1"]
    assert feats[pid]["geometry"]["coordinates"] == [108.38, 30.8]
    assert main(["review", "undo", pid, *args]) == 0
    feats = json.loads((layers / "points.geojson").read_text(encoding="utf-8"))["features"]
    assert pid not in {f["id"] for f in feats}


def test_cli_coverage_of_one_document(capsys) -> None:
    assert main(["coverage", "--doc", "2023-wandakai-plan", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert "万州绿色循环产业园" in {r["surface"] for r in rows}
