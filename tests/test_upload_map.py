"""The upload view (issue 11, item 8) without a browser: a plan uploaded in the session flies the map
to its places, draws them as their own layer, and a click on one shows the plan's own clauses beside
the corpus clauses. The upload is analysed for real (geo.ingest.analyse_upload on the real layers/);
the map is tests.test_app's FakeMap."""

from __future__ import annotations

from html import escape

import pytest
from streamlit.testing.v1 import AppTest

from geo.ingest import analyse_upload
from geo.layers.build import read_layers
from geo.viewer import mapview, upload_map
from geo.viewer.data import bbox, default_layers_dir
from tests.support.apptest import APP, FakeMap, markdown_text

PLAN = "第一章 总体要求\n一、发展目标\n支持宜宾港建设，推动万州区与达州市协同发展。\n二、交通\n建设成渝中线高铁。\n"


@pytest.fixture(scope="module")
def result():  # noqa: ANN201
    return analyse_upload("plan.txt", PLAN.encode(), layerset=read_layers(default_layers_dir(), index=False))


def _upload_app(result, lang: str = "zh") -> AppTest:  # noqa: ANN001
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["view"] = "upload"
    at.query_params["lang"] = lang
    at.session_state["upload:result"] = (("plan.txt", result.sha256), result)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_map_flies_to_the_uploaded_places(fake: FakeMap, result) -> None:  # noqa: ANN001
    _upload_app(result)
    layers = read_layers(default_layers_dir(), index=False).collections
    feats = {f["id"]: f for fc in layers.values() for f in fc["features"]}
    ids = {"adm:500101", "adm:511700", "port:yibin"}  # 万州区, 达州市, 宜宾港 (and the railway)
    assert ids <= {f["id"] for f in result.feature_collection["features"]}
    lat, lon = fake.last["center"]
    for pid in ids:  # each uploaded place's centre is inside the view the map flies to
        w, s, e, n = bbox(feats[pid]["geometry"])
        span = 360 / 2 ** fake.last["zoom"] * 3
        assert abs((w + e) / 2 - lon) <= span / 2 and abs((s + n) / 2 - lat) <= span / 2
    assert 5 <= fake.last["zoom"] <= 9
    # drawn as their own layer, in the session colour
    groups = {g.layer_name: g for g in fake.last["feature_group_to_add"]}
    assert list(groups) == ["selection", "upload", "review", "thematic"]
    m = fake.last["fig"]
    groups["upload"].add_to(m)
    assert mapview.SESSION_COLOR in m.get_root().render()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_click_on_an_uploaded_place_shows_its_own_and_the_corpus_clauses(
        fake: FakeMap, result, lang: str) -> None:  # noqa: ANN001
    at = _upload_app(result, lang)
    fake.click("adm:500101", lat=30.8, lng=108.4)
    at.run()
    assert not at.exception
    md = markdown_text(at)
    assert 'data-testid="pa-upload-clauses"' in md
    assert '<div class="pa-doc pa-updoc">plan.txt</div>' in md  # untitled: its file name, not an internal id
    assert '推动<mark data-place="adm:500101">万州区</mark>' in md.replace('<mark data-place="adm:500101" class="sel">',
                                                                     '<mark data-place="adm:500101">')
    assert escape("上传的规划中提及此地的条款（1 条）" if lang == "zh" else "The uploaded plan's clauses about this place (1)") in md
    # the corpus clauses about 万州区 are there too
    corpus = [c for c in read_layers(default_layers_dir()).index["clauses"]
              if any(m[2] == "adm:500101" for m in c.get("mentions") or [])]
    assert len(corpus) >= 10
    assert md.count('<div class="pa-clause">') >= min(len(corpus), 40) + 1


def test_upload_clauses_name_only_the_place(result) -> None:  # noqa: ANN001
    groups = upload_map.upload_clauses(result, "railway:chengyu-middle-hsr")
    assert [len(cl) for _, cl in groups] == [1] and "成渝中线高铁" in groups[0][1][0]["text"]
    assert upload_map.upload_clauses(result, "adm:510100") == []  # 成都 is not in the plan
    assert upload_map.upload_clauses_html(result, "adm:510100", "zh") == ""
