"""The downloads the app offers, named for people: label (via i18n keys), file name, MIME type, size.

Where the data comes from: the format registry (geo.export.registry: one "whole" download per
registered format) and the export layers (geo.export.plan: one GeoJSON per layer), applied to a
`LayerSet`; plus the current filter and selection when given.

Bytes are made on first use and kept per layers/ build and request (a small in-process cache with a
byte budget, `CACHE_BYTES`), so a size costs one export. The whole-set exports take seconds together (the GeoPackage about one), so
`warm()` makes them in a background thread: the app shows a size once it is known
(`Download.size_if_ready`) and never waits for it; a click makes the file if it is not ready yet.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from geo.errors import PlanAtlasError
from geo.export.plan import EXPORT_LAYERS, layer_plan, layers_key
from geo.export.registry import FORMATS, get_format
from geo.layers import LayerSet

Translate = Callable[..., str]  # (key, **fields) -> text, e.g. lambda k, **kw: i18n.t(k, lang, **kw)
Request = tuple[str, str, tuple[str, ...], tuple[str, ...] | None]  # layers key, format, layers, place ids
_CACHE: OrderedDict[Request, bytes] = OrderedDict()
_CACHE_SIZE = 48
# the cache's byte budget: made files are kept while they fit (a large corpus's whole-set exports are
# made again on the next click instead of staying in the server's memory)
CACHE_BYTES: int = 64 * 2**20
_LOCK = threading.Lock()
_WARMING: set[Request] = set()


def _cached(request: Request) -> bytes | None:
    with _LOCK:
        if request in _CACHE:
            _CACHE.move_to_end(request)
            return _CACHE[request]
    return None


def _export(layerset: LayerSet, request: Request) -> bytes:
    from geo.export import export_bytes

    data = _cached(request)
    if data is not None:
        return data
    _, fmt, layers, place_ids = request
    data = export_bytes(layerset, fmt, place_ids=place_ids, layers=layers or None)
    _remember(request, data)
    return data


def _remember(request: Request, data: bytes) -> None:
    """Keep a made file while the cache holds at most `_CACHE_SIZE` files and `CACHE_BYTES` bytes
    (oldest out first); a file larger than half the budget is not kept."""
    if len(data) > CACHE_BYTES // 2:
        return
    with _LOCK:
        _CACHE[request] = data
        _CACHE.move_to_end(request)
        total = sum(len(v) for v in _CACHE.values())
        while len(_CACHE) > _CACHE_SIZE or total > CACHE_BYTES:
            _, old = _CACHE.popitem(last=False)
            total -= len(old)


@dataclass(frozen=True)
class Download:
    """One download button: key (stable widget key), label, file name, MIME type, bytes on demand."""

    key: str
    label: str
    filename: str
    mime: str
    layerset: LayerSet = field(repr=False, compare=False)
    request: Request = field(repr=False)

    def data(self) -> bytes:
        """The file's bytes (made once per layers/ build and request). Raises PlanAtlasError."""
        return _export(self.layerset, self.request)

    @property
    def size(self) -> int:
        """The file's size in bytes (makes the file if needed)."""
        return len(self.data())

    @property
    def size_if_ready(self) -> int | None:
        """The size when the file is already made, else None (never waits)."""
        data = _cached(self.request)
        return None if data is None else len(data)


def human_size(n: int) -> str:
    """"532 kB", "4.1 MB": decimal units, like file managers."""
    if n < 1000:
        return f"{n} B"
    if n < 1_000_000:
        return f"{n / 1000:.0f} kB"
    return f"{n / 1_000_000:.1f} MB"


def warm(downloads: Iterable[Download], delay: float = 0.0) -> threading.Thread | None:
    """Make the downloads' bytes in a background thread (each request once, even when called on
    every rerun), after `delay` seconds and at a lower CPU priority where the system allows it (so a
    page being drawn keeps the CPU); returns the thread, or None when there is nothing left to make."""
    with _LOCK:
        items = [d for d in downloads if d.request not in _CACHE and d.request not in _WARMING]
        _WARMING.update(d.request for d in items)
    if not items:
        return None

    def run() -> None:
        time.sleep(delay)
        with contextlib.suppress(AttributeError, OSError):  # Linux: a thread is a task with its own nice
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        for d in items:
            try:
                d.data()
            except PlanAtlasError:  # e.g. an empty subset: the button says so when clicked
                pass
            finally:
                with _LOCK:
                    _WARMING.discard(d.request)

    thread = threading.Thread(target=run, name="plan-atlas-downloads", daemon=True)
    thread.start()
    return thread


def download_list(
    layerset: LayerSet,
    t: Translate,
    filter_ids: Sequence[str] | None = None,
    selection_ids: Sequence[str] | None = None,
) -> list[Download]:
    """The app's downloads, in order: each export layer as GeoJSON (one geometry type each), every
    registered format offered for the whole set, then the current filter and selection (GeoJSON, or
    a zip with a file per layer when they span several layers)."""
    key = layers_key(layerset.collections, layerset.manifest)
    plan = layer_plan(layerset.collections, key)
    present = set(plan.assignment.values())
    geojson = get_format("geojson")
    out = [
        Download(f"layer:{layer.name}", t("download_item", what=t(layer.label_key), fmt=t(geojson.label_key)),
                 f"plan-atlas_{layer.name}{geojson.extension}", geojson.mime, layerset,
                 (key, "geojson", (layer.name,), None))
        for layer in EXPORT_LAYERS
        if layer.name in present
    ]
    for fmt in (f for f in FORMATS.values() if f.whole):
        stem = "plan-atlas-mentions" if fmt.scope_key == "download_scope_mentions" else "plan-atlas"
        out.append(Download(f"all:{fmt.name}", t("download_item", what=t(fmt.scope_key), fmt=t(fmt.label_key)),
                            stem + fmt.extension, fmt.mime, layerset, (key, fmt.name, (), None)))
    for item_key, scope, ids in (("filter", "download_scope_filter", filter_ids),
                                 ("selection", "download_scope_selection", selection_ids)):
        if not ids:
            continue
        by_id = {fid: target for (_, fid), target in plan.assignment.items()}
        spans = {by_id[i] for i in ids if i in by_id}
        if not spans:
            continue
        fmt = get_format("geojson" if len(spans) == 1 else "geojson-zip")
        out.append(Download(item_key, t("download_item", what=t(scope), fmt=t(fmt.label_key)),
                            f"plan-atlas-{item_key}{fmt.extension}", fmt.mime, layerset,
                            (key, fmt.name, (), tuple(sorted(ids)))))
    return out
