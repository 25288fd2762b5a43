"""The document view (issue 11, item 4) without a browser: the 万达开 plan chosen in the sidebar or
from the reader lists its places by kind with mention counts, highlights them all (its admin units
included) and flies the map to fit them. Real corpus (layers/); the map is tests.test_app's FakeMap."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from geo.layers.build import read_layers
from geo.viewer import docview
from geo.viewer.data import Catalog, default_layers_dir
from tests.support.apptest import FakeMap, markdown_text, run_app

WDK = "2023-wandakai-plan"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.from_layerset(read_layers(default_layers_dir()))


@pytest.fixture(scope="module")
def index() -> dict:
    return read_layers(default_layers_dir()).index


def _mentions(index: dict, doc_id: str) -> Counter:
    """Mentions per place in the document's clauses, read from index.json (not the viewer's store)."""
    return Counter(m[2] for c in index["clauses"] if c["doc_id"] == doc_id for m in c.get("mentions") or [])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_choosing_the_wandakai_plan_lists_highlights_and_fits_its_places(
        fake: FakeMap, index: dict, lang: str) -> None:
    at = run_app({"lang": lang})
    at.multiselect(key="w_docs").set_value([WDK]).run()
    assert not at.exception
    md = markdown_text(at)
    listed = re.findall(r'<span class="pa-docplace" data-place="([^"]+)" title="[^"]*">[^<]*<sup>(\d+)</sup>', md)
    counts = _mentions(index, WDK)
    assert 55 <= len(listed) == len(counts)  # the ~61 places the issue counted, each once
    assert {p: int(n) for p, n in listed} == dict(counts)  # with their mention counts
    kinds = re.findall(r'<div class="pa-dockind" data-kind="([^"]+)">', md)
    places = index["places"]
    assert len(kinds) == len(set(kinds)) == len({places[p]["kind"] for p in counts})  # grouped by kind
    assert ("万州区" if lang == "zh" else "Wanzhou District") in md
    assert ("提及 13 次" if lang == "zh" else "万州区 · mentioned 13 times") in md
    title = next(d["title" if lang == "zh" else "title_en"] for d in index["documents"] if d["id"] == WDK)
    assert any(title in e.label for e in at.expander)
    # every place is highlighted, the ten prefectures and counties it names among them
    admin = {places[p]["name"] for p in counts if places[p]["layer"] in ("admin_county", "admin_prefecture")}
    assert len(admin) == 10
    names = set(fake.highlighted_names())
    assert admin <= names and len(names) >= 55
    # the map flies to the document's places: the 万达开 area inside, the whole of Asia not
    lat, lon = fake.last["center"]
    w, s, e, n = (106.7, 30.3, 108.9, 32.3)  # 万达开 (layers/ composite:wandakai, rounded inwards)
    span = 360 / 2 ** fake.last["zoom"] * 3  # the map is about three tiles wide
    assert lon - span / 2 <= w and lon + span / 2 >= e and s - 1 <= lat <= n + 1
    assert fake.last["zoom"] >= 6


def test_the_fit_holds_the_wandakai_area_not_one_mention_of_asean(catalog: Catalog) -> None:
    view = docview.document_places(catalog, WDK)
    w, s, e, n = view.bbox
    cw, cs, ce, cn = catalog.places["composite:wandakai"].bbox
    assert w <= cw and s <= cs and e >= ce and n >= cn
    aw, as_, ae, an = catalog.places["bloc:asean"].bbox
    assert e - w < (ae - aw) / 2 and s > as_


def test_the_reader_opens_the_document_view(fake: FakeMap, index: dict) -> None:
    at = run_app({"view": "reader", "doc": WDK})
    at.button(key=f"docmap:{WDK}").click().run()
    assert not at.exception
    assert at.query_params["docs"] == WDK and "view" not in at.query_params
    assert 'data-testid="pa-docplaces"' in markdown_text(at)
    # a place picked from the list is selected: its clauses in the panel
    at.selectbox(key=f"docpick:{WDK}").set_value("adm:500101").run()
    assert not at.exception
    assert at.query_params["sel"] == "adm:500101" and "<h3>万州区</h3>" in markdown_text(at)


def test_two_documents_are_no_document_view(fake: FakeMap, index: dict) -> None:
    other = next(d["id"] for d in index["documents"] if d["id"] != WDK)
    at = run_app({"docs": f"{WDK},{other}"})
    assert 'data-testid="pa-docplaces"' not in markdown_text(at)
