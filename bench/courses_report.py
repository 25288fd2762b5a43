"""`python -m bench.courses_report`: how far each line moved from its old schematic course.

For the lines issue 10 lists (existing railways and highways, and 长江, 嘉陵江, 岷江, 沱江, 乌江),
samples the old schematic line (the gazetteer's nodes joined straight, as geo.geometry builds
them) every 1 km and measures each sample's distance to the line now in layers/lines.geojson:
median and 90th percentile in km, plus how the line was built (named / network-followed /
routed / schematic, from its precision). Prints a Markdown table and writes it to
docs/courses_report.md (`--no-write` to only print).

`--old-rev REV` takes the old schematic line from layers/lines.geojson as committed at git
revision REV wherever it was still schematic there (for lines whose nodes were changed since, e.g.
stations instead of city seats); elsewhere the gazetteer's current nodes stand for it.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
from pathlib import Path

import numpy as np
import shapely

from geo import settings

LINES: tuple[str, ...] = (
    "railway:chengyu-hsr", "railway:chengyu", "railway:dacheng", "railway:yusui", "railway:yuli",
    "railway:lanyu", "railway:xiangyu", "railway:yuhuai", "railway:chengkun", "railway:chuanqian",
    "railway:xicheng-hsr", "highway:g42", "highway:g50", "highway:g65", "highway:g75", "highway:g85",
    "highway:g93", "highway:chengyu", "highway:chengle", "highway:chengnan", "highway:chengya",
    "river:changjiang", "river:jialingjiang", "river:minjiang", "river:tuojiang", "river:wujiang",
)
METHOD_OF = {
    "surveyed course 1:4M": "named",
    "traced on the WDBII river network": "network-followed",
    "routed on the OSM rail network": "routed",
    "routed on the OSM road network": "routed",
}
STEP_KM = 1.0
OUT = settings.ROOT / "docs" / "courses_report.md"


def _km(geom: shapely.geometry.base.BaseGeometry, lat0: float) -> shapely.geometry.base.BaseGeometry:
    k = math.pi * 6371.0088 / 180
    c = math.cos(math.radians(lat0))
    return shapely.transform(geom, lambda xy: np.column_stack([xy[:, 0] * k * c, xy[:, 1] * k]))


def offsets_km(old: shapely.LineString, new: shapely.geometry.base.BaseGeometry) -> tuple[float, float]:
    """Median and 90th percentile distance (km) from `old`, sampled every STEP_KM, to `new`."""
    lat0 = float(np.mean([y for _, y in old.coords]))
    o, n = _km(old, lat0), _km(new, lat0)
    steps = max(2, int(o.length / STEP_KM) + 1)
    pts = shapely.line_interpolate_point(o, np.linspace(0, o.length, steps))
    d = shapely.distance(pts, n)
    return float(np.median(d)), float(np.percentile(d, 90))


def old_schematic(rev: str) -> dict[str, shapely.geometry.base.BaseGeometry]:
    """The lines still schematic in layers/lines.geojson at git revision `rev`: id → geometry."""
    try:
        text = subprocess.run(["git", "show", f"{rev}:layers/lines.geojson"], cwd=settings.ROOT, check=True,
                              capture_output=True, text=True, encoding="utf-8").stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SystemExit(f"cannot read layers/lines.geojson at git revision {rev!r}: {exc}") from exc
    return {f["id"]: shapely.geometry.shape(f["geometry"]) for f in json.loads(text)["features"]
            if f["properties"].get("precision") == "schematic"}


def rows(layers_dir: Path | None = None, old_rev: str | None = None) -> list[dict[str, object]]:
    """One row per line of LINES: id, name, method, precision, median and p90 km, geometry_source."""
    from geo.places import geometry, load_gazetteer

    gaz = load_gazetteer()
    before = old_schematic(old_rev) if old_rev else {}
    fc = json.loads(((layers_dir or settings.LAYERS_DIR) / "lines.geojson").read_text(encoding="utf-8"))
    feats = {f["id"]: f for f in fc["features"]}
    out: list[dict[str, object]] = []
    for pid in LINES:
        f = feats.get(pid)
        if f is None:
            continue
        old = before.get(pid) or geometry.place_geometry(gaz.get(pid), gaz)
        new = shapely.geometry.shape(f["geometry"])
        med, p90 = offsets_km(old, new)
        props = f["properties"]
        out.append({
            "id": pid, "name": props["name"], "method": METHOD_OF.get(props["precision"], "schematic"),
            "precision": props["precision"], "median_km": round(med, 2), "p90_km": round(p90, 2),
            "status": props.get("status", ""), "geometry_source": props["geometry_source"],
        })
    return out


def markdown(table: list[dict[str, object]], old_rev: str | None = None) -> str:
    head = ("| line | id | built | status | old→new median km | p90 km | note |\n"
            "|---|---|---|---|---|---|---|\n")
    body = ""
    for r in table:
        src = str(r["geometry_source"])
        note = src.split("kept schematic: ", 1)[1] if "kept schematic: " in src else ""
        body += (f"| {r['name']} | {r['id']} | {r['method']} | {r['status']} | {r['median_km']:.2f} | "
                 f"{r['p90_km']:.2f} | {note} |\n")
    return (
        "# Courses: distance from the old schematic lines to the drawn lines\n\n"
        "Generated by `python -m bench.courses_report` from layers/lines.geojson (old line sampled every "
        f"{STEP_KM:g} km; a schematic line is unchanged, so 0). Methods: named = 1:4M hydrography by name, "
        "network-followed = WDBII river network between the gazetteer's points, routed = scgraph-data "
        "OSM rail/road graph through the line's nodes, schematic = kept (reason in the note).\n\n"
        + (f"Old line: as committed in layers/lines.geojson at `{old_rev}` where it was schematic there "
           "(lines whose nodes were changed since), else the gazetteer's nodes joined straight.\n\n"
           if old_rev else "")
        + head + body
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-write", action="store_true", help="print only, do not write docs/courses_report.md")
    ap.add_argument("--old-rev", help="git revision whose layers/lines.geojson holds the old schematic lines")
    args = ap.parse_args(argv)
    text = markdown(rows(old_rev=args.old_rev), args.old_rev)
    print(text)
    if not args.no_write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
