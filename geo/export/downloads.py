"""The downloads the app offers, named for people: label (via i18n keys), file name, MIME type, size.

Where the data comes from: the format registry (geo.export.registry: one "whole" download per
registered format) and the export layers (geo.export.plan: one GeoJSON per layer), applied to a
`LayerSet`; plus the current filter and selection when given. Bytes are made on first use and
cached per layers/ build (keyed on the manifest's checksums), so sizes cost one export each.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from geo.export.plan import EXPORT_LAYERS, Router
from geo.export.registry import FORMATS, get_format
from geo.layers import LayerSet

Translate = Callable[..., str]  # (key, **fields) -> text, e.g. lambda k, **kw: i18n.t(k, lang, **kw)
_CACHE: OrderedDict[tuple, bytes] = OrderedDict()
_CACHE_SIZE = 48


@dataclass(frozen=True)
class Download:
    """One download button: key (stable widget key), label, file name, MIME type, bytes on demand."""

    key: str
    label: str
    filename: str
    mime: str
    make: Callable[[], bytes] = field(repr=False, compare=False)

    def data(self) -> bytes:
        """The file's bytes (cached per layers/ build and request)."""
        return self.make()

    @property
    def size(self) -> int:
        """The file's size in bytes."""
        return len(self.make())


def human_size(n: int) -> str:
    """"532 kB", "4.1 MB": decimal units, like file managers."""
    if n < 1000:
        return f"{n} B"
    if n < 1_000_000:
        return f"{n / 1000:.0f} kB"
    return f"{n / 1_000_000:.1f} MB"


def layers_key(layerset: LayerSet) -> str:
    """A short key of a layers/ build (its manifest checksums), for caches."""
    entries = {k: v.get("sha256") for k, v in sorted(layerset.manifest.get("layers", {}).items())}
    if not entries or not all(entries.values()):  # no checksums (a synthetic set): hash the content
        return hashlib.sha256(json.dumps(layerset.collections, sort_keys=True).encode()).hexdigest()[:16]
    entries["index"] = layerset.manifest.get("index", {}).get("sha256")
    return hashlib.sha256(json.dumps(entries).encode()).hexdigest()[:16]


def cached_export(
    layerset: LayerSet,
    fmt: str,
    layers: Sequence[str] | None = None,
    place_ids: Sequence[str] | None = None,
) -> bytes:
    """export_bytes, remembered for the last few requests of a layers/ build."""
    from geo.export import export_bytes

    key = (layers_key(layerset), fmt, tuple(layers or ()), None if place_ids is None else tuple(place_ids))
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    data = export_bytes(layerset, fmt, place_ids=place_ids, layers=layers)
    _CACHE[key] = data
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return data


_ROUTERS: OrderedDict[str, Router] = OrderedDict()


def _router(layerset: LayerSet) -> Router:
    key = layers_key(layerset)
    if key not in _ROUTERS:
        _ROUTERS[key] = Router(layerset.collections)
        while len(_ROUTERS) > 4:
            _ROUTERS.popitem(last=False)
    return _ROUTERS[key]


def _spans_layers(layerset: LayerSet, router: Router, place_ids: Sequence[str]) -> set[str]:
    out = set()
    for pid in place_ids:
        f = layerset.feature(pid)
        if f is not None:
            out.add(router.route(f["properties"].get("layer", ""), f))
    return out


def _subset(
    layerset: LayerSet, router: Router, t: Translate, key: str, scope_key: str, stem: str,
    place_ids: Sequence[str],
) -> Download | None:
    spans = _spans_layers(layerset, router, place_ids)
    if not spans:
        return None
    fmt = get_format("geojson" if len(spans) == 1 else "geojson-zip")
    ids = tuple(sorted(place_ids))
    return Download(key, t("download_item", what=t(scope_key), fmt=t(fmt.label_key)),
                    f"plan-atlas-{stem}{fmt.extension}", fmt.mime,
                    lambda: cached_export(layerset, fmt.name, place_ids=ids))


def download_list(
    layerset: LayerSet,
    t: Translate,
    filter_ids: Sequence[str] | None = None,
    selection_ids: Sequence[str] | None = None,
) -> list[Download]:
    """The app's downloads, in order: each export layer as GeoJSON (one geometry type each), every
    registered format for the whole set, then the current filter and selection (GeoJSON, or a zip
    with a file per layer when they span several layers)."""
    router = _router(layerset)
    present = {router.route(name, f) for name, fc in layerset.collections.items() for f in fc["features"]}
    geojson = get_format("geojson")
    out = [
        Download(f"layer:{layer.name}", t("download_item", what=t(layer.label_key), fmt=t(geojson.label_key)),
                 f"plan-atlas_{layer.name}{geojson.extension}", geojson.mime,
                 lambda name=layer.name: cached_export(layerset, "geojson", layers=(name,)))
        for layer in EXPORT_LAYERS
        if layer.name in present
    ]
    for fmt in (f for f in FORMATS.values() if f.whole):
        stem = "plan-atlas-mentions" if fmt.scope_key == "download_scope_mentions" else "plan-atlas"
        out.append(Download(f"all:{fmt.name}", t("download_item", what=t(fmt.scope_key), fmt=t(fmt.label_key)),
                            stem + fmt.extension, fmt.mime,
                            lambda name=fmt.name: cached_export(layerset, name)))
    for key, scope, stem, ids in (("filter", "download_scope_filter", "filter", filter_ids),
                                  ("selection", "download_scope_selection", "selection", selection_ids)):
        if ids:
            item = _subset(layerset, router, t, key, scope, stem, ids)
            if item is not None:
                out.append(item)
    return out


