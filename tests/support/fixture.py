"""A tiny synthetic layers/ folder that follows the ARCHITECTURE.md contract (tests only).

Squares and points near Chengdu and Chongqing, two documents (one of them hostile: its text
contains `<script>` and `<img onerror>`), so the viewer's unit tests need neither the real
build nor the gazetteer. The real-corpus tests use layers/ itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HOSTILE_NAME = "<img src=x onerror=alert(9)>站"
HOSTILE_TEXT = '支持成都<script>alert("x")</script>与重庆<img src=x onerror=alert(1)>共建天府国际机场。'


def _square(lon: float, lat: float, half: float) -> dict[str, Any]:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _feature(pid: str, geom: dict[str, Any], **props: Any) -> dict[str, Any]:
    base = {
        "id": pid,
        "name": "",
        "name_pinyin": "",
        "kind": "",
        "layer": "",
        "aliases": [],
        "adcode": "",
        "precision": "exact boundary",
        "geometry_source": "synthetic fixture",
        "mention_count": 0,
        "doc_ids": [],
        "clause_ids": [],
        "excerpt": "",
    }
    base.update(props)
    base["id"] = pid
    return {"type": "Feature", "id": pid, "properties": base, "geometry": geom}


def fixture_index() -> dict[str, Any]:
    """The index.json of the fixture: 2 documents, 4 clauses, mentions with offsets."""
    c1 = "推动成都与重庆双核联动，建设成渝地区双城经济圈。"
    c2 = "锦江区和武侯区加快发展，支持天府国际机场与成渝中线高铁建设。"
    c3 = HOSTILE_TEXT
    c4 = f"成都市统筹推进{HOSTILE_NAME}。"

    def spans(text: str, pairs: list[tuple[str, str]]) -> list[list[Any]]:
        out = []
        for surface, pid in pairs:
            i = text.index(surface)
            out.append([i, i + len(surface), pid])
        return out

    clauses = [
        {"id": "plan-2021/1/p1", "doc_id": "plan-2021", "path": ["第一章 总体要求", "一、目标"], "label": "（一）",
         "text": c1, "agencies": [], "file": "plan.txt", "lines": [10, 11],
         "mentions": spans(c1, [("成都", "adm:510100"), ("重庆", "adm:500000"), ("成渝地区", "composite:chengyu")])},
        {"id": "plan-2021/1/p2", "doc_id": "plan-2021", "path": ["第一章 总体要求"], "label": "",
         "text": c2, "agencies": ["市发展改革委"], "file": "plan.txt", "lines": [12, 12],
         "mentions": spans(c2, [("锦江区", "adm:510104"), ("武侯区", "adm:510107"),
                                ("天府国际机场", "airport:tfu"), ("成渝中线高铁", "railway:chengyu-zhongxian")])},
        {"id": "evil-2023/1/p1", "doc_id": "evil-2023", "path": ["<b>第一章</b>"], "label": "1.",
         "text": c3, "agencies": [], "file": "evil.txt", "lines": [3, 4],
         "mentions": spans(c3, [("成都", "adm:510100"), ("重庆", "adm:500000"), ("天府国际机场", "airport:tfu")])},
        {"id": "evil-2023/1/p2", "doc_id": "evil-2023", "path": ["<b>第一章</b>"], "label": "2.",
         "text": c4, "agencies": [], "file": "evil.txt", "lines": [5, 5],
         "mentions": spans(c4, [("成都市", "adm:510100"), (HOSTILE_NAME, "site:evil")])},
    ]
    documents = [
        {"id": "plan-2021", "title": "成渝地区双城经济圈建设规划纲要", "kind": "纲要", "date": "2021-10-20",
         "doc_no": "中发〔2021〕1号", "issuers": ["中共中央", "国务院"],
         "sources": [{"file": "plan.txt", "lines": [1, 20]}], "clause_count": 2},
        {"id": "evil-2023", "title": '恶意<script>alert("t")</script>方案', "kind": "方案", "date": "2023-05-01",
         "doc_no": "", "issuers": ["<i>某机关</i>"], "sources": [{"file": "evil.txt", "lines": [1, 6]}],
         "clause_count": 2},
    ]
    return {"format_version": 1, "documents": documents, "clauses": clauses, "places": {}}


def _places_from(collections: dict[str, dict[str, Any]], index: dict[str, Any]) -> None:
    by_place: dict[str, dict[str, Any]] = {}
    for c in index["clauses"]:
        for _s, _e, pid in c["mentions"]:
            p = by_place.setdefault(pid, {"mention_count": 0, "doc_ids": [], "clause_ids": []})
            p["mention_count"] += 1
            if c["doc_id"] not in p["doc_ids"]:
                p["doc_ids"].append(c["doc_id"])
            if c["id"] not in p["clause_ids"]:
                p["clause_ids"].append(c["id"])
    for layer, fc in collections.items():
        for f in fc["features"]:
            pr = f["properties"]
            pr["layer"] = layer
            pr.update(by_place.get(pr["id"], {}))
            index["places"][pr["id"]] = {
                k: pr[k] for k in ("name", "kind", "layer", "aliases", "precision", "mention_count", "doc_ids", "clause_ids")
            }


def write_fixture_layers(target: Path) -> Path:
    """Write the fixture layers/ into `target` (created); returns `target`."""
    target.mkdir(parents=True, exist_ok=True)
    cols: dict[str, dict[str, Any]] = {
        "admin_province": {"type": "FeatureCollection", "features": [
            _feature("adm:510000", _square(104.0, 30.6, 0.9), name="四川省", name_pinyin="sichuan", kind="province",
                     adcode="510000"),
            _feature("adm:500000", _square(106.6, 29.6, 0.9), name="重庆市", name_pinyin="chongqing", kind="province",
                     adcode="500000", aliases=["渝"]),
        ]},
        "admin_prefecture": {"type": "FeatureCollection", "features": [
            _feature("adm:510100", _square(104.0, 30.6, 0.5), name="成都市", name_pinyin="chengdu", kind="prefecture",
                     adcode="510100", aliases=["成都", "蓉"]),
        ]},
        "admin_county": {"type": "FeatureCollection", "features": [
            _feature("adm:510104", _square(103.9, 30.6, 0.1), name="锦江区", name_pinyin="jinjiang", kind="county",
                     adcode="510104"),
            _feature("adm:510107", _square(104.1, 30.6, 0.1), name="武侯区", name_pinyin="wuhou", kind="county",
                     adcode="510107"),
        ]},
        "regions": {"type": "FeatureCollection", "features": [
            _feature("composite:chengyu", _square(105.3, 30.1, 1.6), name="成渝地区", name_pinyin="chengyudiqu",
                     kind="composite", precision="schematic", aliases=["川渝"],
                     geometry_source="union of <b>members</b>"),
        ]},
        "points": {"type": "FeatureCollection", "features": [
            _feature("airport:tfu", {"type": "Point", "coordinates": [104.44, 30.31]}, name="天府国际机场",
                     name_pinyin="tianfuguojijichang", kind="airport", precision="approximate point",
                     aliases=["<img src=x onerror=alert(2)>"]),
            _feature("site:evil", {"type": "Point", "coordinates": [105.2, 30.0]}, name=HOSTILE_NAME,
                     name_pinyin="", kind="site", precision="approximate point"),
        ]},
        "lines": {"type": "FeatureCollection", "features": [
            _feature("railway:chengyu-zhongxian",
                     {"type": "LineString", "coordinates": [[104.07, 30.57], [105.0, 30.0], [106.55, 29.56]]},
                     name="成渝中线高铁", name_pinyin="chengyuzhongxiangaotie", kind="railway", precision="schematic"),
        ]},
    }
    index = fixture_index()
    _places_from(cols, index)
    manifest: dict[str, Any] = {"format_version": 1, "layers": {}, "inputs": {}, "generator": "tests.support.fixture"}
    for name, fc in cols.items():
        data = json.dumps(fc, ensure_ascii=False)
        (target / f"{name}.geojson").write_text(data, encoding="utf-8")
        manifest["layers"][name] = {"file": f"{name}.geojson", "features": len(fc["features"]),
                                    "bytes": len(data.encode()), "sha256": ""}
    (target / "index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return target
