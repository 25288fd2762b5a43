"""Ask the plans: clause search, themes, timeline and comparison over layers/atlas.sqlite.

Where the data comes from: layers/atlas.sqlite, written by the layer build (geo.layers.atlas,
called from geo.layers.build_layers) from the same index as layers/index.json plus the theme
keyword table data/themes.csv (geo.layers.themes). Readers open it read-only through `AtlasStore`.
"""

from geo.query.compare import Comparison, compare, side_by_side
from geo.query.search import Filters, Hit, Query, SearchResult, iso_day, parse_query, search, term_spans
from geo.query.store import AtlasStore, atlas_path, open_store
from geo.query.themes_eval import (
    PART_LINES,
    PARTS,
    Agreement,
    AgreementRow,
    ThemeScore,
    agreement,
    agreement_report,
    evaluate_themes,
    format_agreement,
    format_scores,
    sample_path,
    second_sample_path,
)
from geo.query.timeline import (
    Period,
    dated_documents,
    first_named,
    new_in_period,
    places_up_to,
    timeline_dates,
)

__all__ = [
    "PART_LINES",
    "PARTS",
    "Agreement",
    "AgreementRow",
    "AtlasStore",
    "Comparison",
    "Filters",
    "Hit",
    "Period",
    "Query",
    "SearchResult",
    "ThemeScore",
    "atlas_path",
    "agreement",
    "agreement_report",
    "compare",
    "dated_documents",
    "evaluate_themes",
    "first_named",
    "format_agreement",
    "format_scores",
    "iso_day",
    "new_in_period",
    "open_store",
    "parse_query",
    "places_up_to",
    "sample_path",
    "search",
    "second_sample_path",
    "side_by_side",
    "term_spans",
    "timeline_dates",
]
