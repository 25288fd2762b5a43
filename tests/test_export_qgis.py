"""Optional: the GeoPackage opened by QGIS itself (Debian's python3-qgis, QGIS 3.22, the LTR series
Debian 12 ships): every table valid, the feature layers styled from layer_styles on load (categories
by kind in the app's colours, `name` labels), and QGIS logs no warning. Skipped when QGIS's Python
bindings are not installed (`apt-get install python3-qgis`; not part of `make system-deps`: ~110 MB)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from geo.export import export_bytes
from geo.layers import read_layers
from geo.palette import kind_color

SYSTEM_PYTHON = "/usr/bin/python3"
SCRIPT = r'''
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from qgis.core import QgsApplication, QgsVectorLayer, Qgis
from osgeo import ogr
app = QgsApplication([], False)
app.initQgis()
messages = []
QgsApplication.messageLog().messageReceived.connect(lambda m, tag, level: messages.append([tag, int(level), m]))
path = sys.argv[1]
ds = ogr.Open(path)
out = {"version": Qgis.QGIS_VERSION, "layers": {}}
for name in [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]:
    layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    r = layer.renderer()
    info = {"valid": layer.isValid(), "count": layer.featureCount(), "renderer": r.type() if r else None}
    if r is not None and r.type() == "categorizedSymbol":
        info["attr"] = r.classAttribute()
        info["colors"] = {c.value(): c.symbol().color().name() for c in r.categories()}
        info["labels"] = layer.labelsEnabled() and layer.labeling().settings().fieldName
    out["layers"][name] = info
app.processEvents()
out["warnings"] = [m for m in messages if m[1] >= 1]
print(json.dumps(out))
'''


def _has_qgis() -> bool:
    try:
        return subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True,
                              timeout=60, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(not _has_qgis(), reason="QGIS's Python bindings (Debian python3-qgis) are not installed")
def test_qgis_opens_the_geopackage_styled(tmp_path: Path) -> None:
    gpkg = tmp_path / "plan-atlas.gpkg"
    gpkg.write_bytes(export_bytes(read_layers(), "gpkg"))
    res = subprocess.run([SYSTEM_PYTHON, "-c", SCRIPT, str(gpkg)], capture_output=True, text=True,
                         timeout=300, check=False, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["warnings"] == []
    layers = out["layers"]
    assert all(info["valid"] and info["count"] > 0 for info in layers.values())
    styled = {name: info for name, info in layers.items() if name not in ("place_clauses", "layer_styles")}
    for name, info in styled.items():
        assert info["renderer"] == "categorizedSymbol" and info["attr"] == "kind", name
        assert info["labels"] == "name", name
        assert all(color == kind_color(kind) for kind, color in info["colors"].items()), name
