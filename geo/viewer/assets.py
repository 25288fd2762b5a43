"""Offline web assets: copies Leaflet and jQuery from PyPI's XStatic packages into static/.

Streamlit serves ./static/ at /app/static/ (server.enableStaticServing), so the map never
loads anything from a CDN. static/ is generated at setup (`python -m geo assets`), never committed.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from geo.errors import PlanAtlasError
from geo.settings import STATIC_DIR

# URL prefix under which Streamlit serves static/.
STATIC_URL: str = "/app/static"


def _package_dir(module: str) -> Path:
    try:
        mod = __import__(module, fromlist=["BASE_DIR"])
    except ImportError as exc:
        raise PlanAtlasError(
            f"{module} is not installed; run `make setup` (pip install -r requirements.txt)"
        ) from exc
    return Path(mod.BASE_DIR)


def install_assets(target: Path = STATIC_DIR) -> list[Path]:
    """Copy the vendored-by-package web assets into `target`; returns the files written."""
    leaflet = _package_dir("xstatic.pkg.leaflet")
    jquery = _package_dir("xstatic.pkg.jquery")
    wanted = {
        leaflet / "leaflet.js": target / "leaflet" / "leaflet.js",
        leaflet / "leaflet.css": target / "leaflet" / "leaflet.css",
        jquery / "jquery.min.js": target / "jquery" / "jquery.min.js",
    }
    written: list[Path] = []
    for src, dst in wanted.items():
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        written.append(dst)
    images = target / "leaflet" / "images"
    if images.exists():
        shutil.rmtree(images)
    shutil.copytree(leaflet / "images", images)
    written.extend(sorted(images.iterdir()))
    (target / ".ready").write_text("assets from XStatic-Leaflet and XStatic-jQuery\n", encoding="utf-8")
    return written


def _cmd_assets(args: argparse.Namespace) -> int:
    files = install_assets(Path(args.target))
    print(f"installed {len(files)} asset files into {args.target}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("assets", help="copy Leaflet/jQuery from installed packages into static/ (offline map)")
    p.add_argument("--target", default=str(STATIC_DIR), help="output folder (default: static/)")
    p.set_defaults(func=_cmd_assets)
