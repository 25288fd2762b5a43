"""geo.coverage: the gazetteer's to-do list on the real corpus.

Target (issue "Geoparser"): no place-like string that occurs twice or more stays unresolved.
The candidate finder is also checked on real sentences: a mountain the gazetteer may not know is
found, a designation without a place is not, and a known mention covers its own suffix.
"""

from __future__ import annotations

import pytest

from geo.corpus.load import load_corpus
from geo.places.coverage import candidates, coverage_report
from geo.places.gazetteer import load_gazetteer


@pytest.fixture(scope="module")
def rows():
    return coverage_report(min_count=1, corpus=load_corpus(), gazetteer=load_gazetteer())


def test_nothing_seen_twice_is_unresolved(rows) -> None:
    frequent = [(r.surface, r.count, r.clause_ids[:2]) for r in rows if r.count >= 2]
    assert frequent == [], f"add these to data/gazetteer/ (or decide they are not places): {frequent}"


def test_rows_point_at_real_clauses(rows) -> None:
    corpus = load_corpus()
    for r in rows[:20]:
        assert r.count >= len(r.clause_ids) >= 1
        for cid in r.clause_ids:
            corpus.clause(cid)  # raises UnknownClauseError if not a clause id


def _surfaces(text: str) -> list[str]:
    return [text[s:e] for s, e, _ in candidates(text)]


def test_candidates_on_real_sentences() -> None:
    # 003 L8058-8060 (P19 专栏5): natural features after a district locator
    got = _surfaces("5．生态游。綦江横山、万盛黑山、江津四面山、永川茶山竹海、大足龙水湖")
    assert any(s.endswith("四面山") for s in got)
    assert any(s.endswith("龙水湖") for s in got)
    # a designation is found as a candidate; coverage_report drops it when no place is inside
    got = _surfaces("积极申创国家级科创金融改革试验区")
    assert got and got[0].endswith("试验区")
