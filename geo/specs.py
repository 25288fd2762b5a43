"""The one registry of layer kinds: every layers/<name>.geojson file and how it is built and drawn.

A layer kind is registered here once (`LayerSpec`), and everything else reads it: the gazetteer
validates a place's layer against `LAYERS`, the layer build takes its simplification tolerance and
whether it belongs to the default view, the viewer its drawing order and outline style, the exports
its colour. Data: none (constants of the project).

How to add a layer kind: append a `LayerSpec` to `LAYER_SPECS` below (or call `register_layer`),
then give places that layer in data/gazetteer/ and rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LAYERS", "LAYER_SPECS", "LayerSpec", "admin_layers", "default_view", "draw_order", "layer_spec", "register_layer"]


@dataclass(frozen=True)
class LayerSpec:
    """One layer kind.

    name: file stem under layers/ and the `layer` of a Place. geometry: the GeoJSON geometry family
    ("polygon", "point" or "line"). tolerance: simplification in degrees (None: not simplified by
    coverage). draw_order: bottom (0) to top. admin: an administrative layer (drawn as the offline
    basemap, simplified as a coverage). default_view: loaded by the viewer at start. outline_weight:
    the outline width in px on the map. color: the layer's colour (exports' fallback, #rrggbb).
    """

    name: str
    geometry: str
    draw_order: int
    tolerance: float | None = None
    admin: bool = False
    default_view: bool = False
    outline_weight: float = 1.0
    color: str = "#3366cc"


LAYER_SPECS: dict[str, LayerSpec] = {}


def register_layer(spec: LayerSpec) -> LayerSpec:
    """Register a layer kind (its name must be new); returns it."""
    if spec.name in LAYER_SPECS:
        raise ValueError(f"layer kind {spec.name!r} is already registered")
    if spec.geometry not in ("polygon", "point", "line"):
        raise ValueError(f"layer kind {spec.name!r}: geometry must be polygon, point or line, not {spec.geometry!r}")
    LAYER_SPECS[spec.name] = spec
    return spec


for _spec in (
    LayerSpec("admin_province", "polygon", 0, 0.08, admin=True, default_view=True, outline_weight=1.6, color="#7f7f7f"),
    LayerSpec("admin_prefecture", "polygon", 1, 0.012, admin=True, outline_weight=1.0, color="#336699"),
    LayerSpec("admin_county", "polygon", 2, 0.002, admin=True, outline_weight=0.5, color="#6699cc"),
    # composites, metropolitan areas, zone polygons; larger areas get a larger tolerance (see layers)
    LayerSpec("regions", "polygon", 3, 0.006, default_view=True, color="#cc6633"),
    # zones, airports, ports, hubs, stations, sites, outside places
    LayerSpec("points", "point", 5, default_view=True, color="#cc0000"),
    # railways, highways, corridors, axes, rivers
    LayerSpec("lines", "line", 4, default_view=True, color="#ffaa00"),
):
    register_layer(_spec)


def layer_spec(name: str) -> LayerSpec:
    """The registered spec of layer `name` (KeyError naming the known layers if absent)."""
    try:
        return LAYER_SPECS[name]
    except KeyError:
        raise KeyError(f"unknown layer {name!r}; layers: {', '.join(LAYER_SPECS)}") from None


def admin_layers() -> tuple[str, ...]:
    """The administrative layers, in registration order."""
    return tuple(s.name for s in LAYER_SPECS.values() if s.admin)


def default_view() -> tuple[str, ...]:
    """The layers the viewer loads first, in registration order."""
    return tuple(s.name for s in LAYER_SPECS.values() if s.default_view)


def draw_order() -> tuple[str, ...]:
    """Layer names bottom to top."""
    return tuple(s.name for s in sorted(LAYER_SPECS.values(), key=lambda s: (s.draw_order, s.name)))


# Layer names in registration order (the order of layers/ files in the manifest and exports).
LAYERS: tuple[str, ...] = tuple(LAYER_SPECS)
