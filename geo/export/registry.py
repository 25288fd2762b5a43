"""The one registry of export formats: each `Format` names its extension, MIME type, i18n label key
and writer. The CLI (`geo export --format …`) and the app's download list read this registry, so a
format registered here (in a few lines, see ARCHITECTURE.md) appears in both.

Where the data comes from: nothing here reads data; a writer receives a `geo.export.select.Selection`
(features of layers/ narrowed by document, kind or place) and returns the file's bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geo.errors import LayersError

if TYPE_CHECKING:
    from geo.export.select import Selection


@dataclass(frozen=True)
class Format:
    """An export format.

    name: the CLI name (`--format NAME`) and registry key, e.g. "gpkg".
    extension: the file extension with its dot, e.g. ".gpkg".
    mime: the MIME type of the bytes.
    label_key: i18n key of the format's short human label ("GeoPackage（QGIS）").
    writer: Selection → bytes; raises LayersError ("nothing to export …") on an empty selection.
    scope_key: i18n key of what a whole export of this format holds ("全部图层", "地点提及表").
    description: one line for `geo export --help`.
    text: True when the bytes are text (the CLI then writes to a pipe by default).
    whole: the app offers it for the whole layer set (False for plain GeoJSON, whose whole export
    mixes geometry types: the app offers one GeoJSON per layer and the GeoJSON zip instead).
    """

    name: str
    extension: str
    mime: str
    label_key: str
    writer: Callable[[Selection], bytes]
    scope_key: str = "download_scope_all"
    description: str = ""
    text: bool = False
    whole: bool = True


# name → Format, in registration order (the order of the CLI help and of the app's download list).
FORMATS: dict[str, Format] = {}


def register(fmt: Format, *, replace: bool = False) -> Format:
    """Add a format to the registry (an existing name is an error unless `replace`); returns it."""
    if not fmt.name or fmt.name != fmt.name.strip().lower():
        raise LayersError(f"export format names are lower-case words, got {fmt.name!r}")
    if not fmt.extension.startswith("."):
        raise LayersError(f"format {fmt.name!r}: extension must start with a dot, got {fmt.extension!r}")
    if fmt.name in FORMATS and not replace:
        raise LayersError(f"export format {fmt.name!r} is already registered")
    FORMATS[fmt.name] = fmt
    return fmt


def unregister(name: str) -> None:
    """Remove a format (no error when it is not registered); for tests and plug-ins."""
    FORMATS.pop(name, None)


def format_names() -> tuple[str, ...]:
    """The registered format names, in registration order."""
    return tuple(FORMATS)


def get_format(name: str) -> Format:
    """The format called `name` (case and spaces ignored); LayersError naming the formats otherwise."""
    key = name.lower().strip()
    if key not in FORMATS:
        raise LayersError(f"unknown export format {name!r}; formats: {', '.join(FORMATS)}")
    return FORMATS[key]
