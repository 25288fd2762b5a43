"""`python -m geo build` and `python -m geo export`: build layers/, write GIS downloads from it.

build: geo.layers.build_layers (corpus + gazetteer + extraction + geometry → layers/), with a
tqdm progress bar on stderr. export: geo.export (its format registry gives the --format choices) from the committed
(or given) layers/.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo import settings
from geo.storage import atomic_write_bytes


def _cmd_build(args: argparse.Namespace) -> int:
    from geo.layers import build_layers

    out = Path(args.out) if args.out else settings.LAYERS_DIR
    manifest = build_layers(out, progress=not args.quiet, cache_dir=not args.no_cache)
    counts = ", ".join(f"{name} {meta['features']}" for name, meta in manifest["layers"].items())
    total = manifest["total_bytes"] / 1e6
    view = manifest["default_view_bytes"] / 1e6
    print(f"built {out}: {counts}; {total:.2f} MB in all, default view {view:.2f} MB")
    if manifest.get("unmapped"):
        print(f"places mentioned but without geometry: {', '.join(manifest['unmapped'])}", file=sys.stderr)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from geo.export import export_bytes, get_format, suggested_filename
    from geo.query.layerset import open_layerset

    spec = get_format(args.format)
    layerset = open_layerset(args.layers)  # atlas.sqlite (index.json only for an older build)
    data = export_bytes(layerset, spec.name, doc_id=args.doc, kind=args.kind, thematic=args.thematic)
    if args.output == "-" or (args.output is None and spec.text and not sys.stdout.isatty()):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    path = Path(args.output or suggested_filename(spec.name, args.doc, args.kind))
    atomic_write_bytes(path, data)
    print(f"wrote {path} ({len(data):,} bytes)", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build layers/ (GeoJSON layers, index.json, manifest.json) from data/")
    p.add_argument("--out", help="output folder (default: layers/)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="rebuild every geometry (default: reuse the build cache under PLAN_ATLAS_CACHE when the gazetteer and code are unchanged)",
    )
    p.set_defaults(func=_cmd_build)

    from geo.export import FORMATS

    formats = "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values())
    e = sub.add_parser(
        "export",
        help="export features and mentions (" + ", ".join(FORMATS) + "), whole or by document/kind",
        description=f"Formats — {formats}. List properties (aliases, doc_ids, clause_ids) are JSON text "
        "in GeoPackage (with a place_clauses table) and JSON arrays in GeoJSON.",
    )
    e.add_argument(
        "--format",
        required=True,
        metavar="{" + ",".join(FORMATS) + "}",
        help="output format (an unknown one is an error, exit status 1)",
    )
    e.add_argument("--doc", metavar="DOC_ID", help="only places this document mentions (see `geo docs`)")
    e.add_argument("--kind", metavar="KIND", help="only places of this kind (airport, county, railway …)")
    e.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="output file ('-' for stdout; default: stdout when piped for text formats, else plan-atlas….ext)",
    )
    e.add_argument("--layers", metavar="DIR", help="layers folder to read (default: layers/)")
    e.add_argument("--thematic", action="store_true",
                   help="add the thematic layers choropleth_county and choropleth_prefecture (mentions per unit, "
                   "under --doc) to geojson-zip and gpkg")
    e.set_defaults(func=_cmd_export)
