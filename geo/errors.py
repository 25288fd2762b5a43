"""Specific exceptions with messages a user can act on.

Every error raised to the CLI or the app is a `PlanAtlasError`; the CLI prints its message
(no traceback) and exits with status 1 (2 for usage errors, which argparse handles).
"""

from __future__ import annotations


class PlanAtlasError(Exception):
    """Base class: the message says what went wrong and what to do about it."""


class InputFileError(PlanAtlasError):
    """A document file cannot be read: missing, empty, too large, not text, corrupt, wrong type."""


class UnknownDocumentError(PlanAtlasError):
    """A document id that is not in the corpus."""


class UnknownClauseError(PlanAtlasError):
    """A clause id that is not in the corpus."""


class UnknownPlaceError(PlanAtlasError):
    """A place name or id that is not in the gazetteer."""


class GazetteerError(PlanAtlasError):
    """The curated gazetteer tables are malformed (the message names the file, row and field)."""


class LayersError(PlanAtlasError):
    """layers/ is missing, stale or invalid, or a build/export failed."""


class RenderError(PlanAtlasError):
    """A thematic map or map image cannot be made: bad classification, unknown view, no CJK font, bad size."""


class QueryError(PlanAtlasError):
    """A search query or filter that cannot be run (empty, only exclusions, bad date, unknown theme)."""


class ThemesError(PlanAtlasError):
    """data/themes.csv is missing or malformed (the message names the file and row)."""


class ReaderError(PlanAtlasError):
    """A registered reader cannot run where it must: its function cannot be loaded by name in the
    bounded reader process (geo.corpus.bounded)."""
