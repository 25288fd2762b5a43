"""Display colours of place kinds, one table for the map (geo.viewer.mapview, geo.viewer.legend) and
the exports (geo.export: QML/SLD styles, KML).

Kinds are grouped into families, each drawn in one colour-blind-safe hue: the Okabe & Ito (2008)
"Color Universal Design" palette, a quiet grey for administrative units (they are the basemap) and
olive (Tol) for outside places. Kinds within a family are told apart by symbol (geo.viewer.legend).
A kind without a family gets a stable grey shade. Data: none (constants). Pure, no imports of the viewer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

__all__ = ["BY_KIND", "FAMILIES", "OTHER", "Family", "kind_color", "kind_family"]


@dataclass(frozen=True)
class Family:
    """A family of kinds drawn in one hue."""

    id: str
    color: str
    kinds: tuple[str, ...]


# Okabe & Ito (2008) "Color Universal Design" palette; admin grey; olive (Tol) for outside places
FAMILIES: tuple[Family, ...] = (
    Family("admin", "#5d6d7e", ("province", "prefecture", "county")),
    Family("composite", "#d55e00", ("composite", "metro", "metropolitan_area", "region")),
    Family("zones", "#cc79a7", ("zone", "new_area", "platform", "park")),
    Family("transport_lines", "#0072b2", ("railway", "highway", "corridor", "axis", "waterway")),
    Family("transport_points", "#e69f00", ("airport", "port", "hub", "station")),
    Family("water", "#56b4e9", ("river", "lake", "reservoir", "hydro")),
    Family("sites", "#009e73", ("site", "mountain", "town", "city", "structure", "energy")),
    Family("outside", "#999933", ("outside", "country", "bloc")),
)
OTHER = Family("other", "#444444", ())
BY_KIND: dict[str, tuple[Family, int]] = {k: (f, i) for f in FAMILIES for i, k in enumerate(f.kinds)}


def kind_family(kind: str) -> Family:
    """The family of a kind (unknown kinds: 'other')."""
    return BY_KIND.get(kind, (OTHER, 0))[0]


def kind_color(kind: str) -> str:
    """The display colour of a kind: its family's hue (an unknown kind: a stable grey shade)."""
    if kind in BY_KIND:
        return BY_KIND[kind][0].color
    shade = 0x40 + int(hashlib.md5(kind.encode()).hexdigest(), 16) % 0x40
    return f"#{shade:02x}{shade:02x}{shade:02x}"


