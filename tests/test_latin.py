"""English names and pinyin of places (geo.places.latin), on the real gazetteer and layers/:
the usual rule (specific in pinyin, generic translated), the table's rows, its errors, and that every
drawn place has an English name in Latin letters."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geo.errors import GazetteerError
from geo.places import load_gazetteer
from geo.places.latin import EnglishNames, english_name, load_english_names, pinyin, pinyin_word
from geo.viewer.data import default_layers_dir

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.mark.parametrize(
    ("place_id", "expected"),
    [
        ("adm:500101", "Wanzhou District"),  # admin generic translated
        ("adm:510100", "Chengdu"),  # 市 dropped
        ("adm:610100", "Xi'an"),  # apostrophe before a syllable starting with a vowel
        ("adm:500120", "Bishan District"),  # an admin unit: 区, not the generic 山区
        ("adm:500233", "Zhongxian County"),  # one-syllable specific keeps the generic's syllable
        ("adm:500242", "Youyang Tujia Miao Autonomous County"),
        ("adm:510000", "Sichuan Province"),
        ("new_area:liangjiang", "Liangjiang New Area"),
        ("airport:ckg", "Chongqing Jiangbei International Airport"),  # short forms read in pinyin
        ("composite:chengyu-circle", "Chengdu–Chongqing Economic Circle"),  # a name row
    ],
)
def test_english_names_of_real_places(gaz, place_id: str, expected: str) -> None:
    assert gaz.english_name(gaz.get(place_id)) == expected


def test_english_name_rules_on_real_names(gaz) -> None:
    t = gaz.english
    assert english_name("岷江", t) == "Minjiang River"
    assert english_name("嘉陵江", t) == "Jialing River"
    assert english_name("朝天门", t) == "Chaotianmen"  # a short form (朝天) never leaves one character alone
    assert english_name("内江荣昌现代农业高新技术产业示范区", t).startswith("Neijiang Rongchang Modern Agriculture")
    assert english_name("川陕革命老区", t) == "Sichuan–Shaanxi Old Revolutionary Base Area"
    assert english_name("G318川藏公路", t) == "G318 Sichuan–Tibet Highway"
    assert english_name("西部（重庆）科学城", t) == "Western (Chongqing) Science City"
    assert english_name("仙女山", t) == "Xiannü Mountain"
    assert english_name("金佛山", t) == "Jinfo Mountain"  # place-name readings: 佛 fo, 咀 zui, 朝阳 chaoyang
    assert english_name("渠河咀", t) == "Quhezui" and english_name("朝阳湖", t) == "Chaoyang Lake"
    assert english_name("渝西高铁", t) == "Chongqing–Xi'an High-speed Railway"  # a name row beats the term 渝西
    assert english_name("Duisburg", t) == "Duisburg"


def test_without_a_table_names_are_pinyin_words() -> None:
    assert english_name("万州区", EnglishNames()) == "Wanzhouqu"
    assert pinyin_word("西安") == "Xi'an"
    assert pinyin("丰都县") == "feng du xian"  # the place-name reading of 都
    assert pinyin("金佛山") == "jin fo shan" and pinyin("曾家岩") == "zeng jia yan"


def test_every_drawn_place_has_an_english_name_in_latin_letters() -> None:
    missing = []
    for path in sorted(default_layers_dir().glob("*.geojson")):
        for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
            en = f["properties"].get("name_en") or ""
            if not en or CJK.search(en):
                missing.append((f["id"], f["properties"]["name"], en))
    assert not missing


def test_the_table_refuses_bad_rows(tmp_path: Path) -> None:
    head = "chinese,english,role,note\n"
    cases = {
        "成渝,Chengdu–Chongqing,word,\n": "line 2: role 'word'",
        "成渝,,term,\n": "line 2: column english is empty",
        "高铁,HSR,generic,\n高铁,High-speed Railway,generic,\n": "line 3: 高铁 is already a generic row",
    }
    for rows, message in cases.items():
        path = tmp_path / "english.csv"
        path.write_text(head + rows, encoding="utf-8")
        with pytest.raises(GazetteerError, match=re.escape(message)):
            load_english_names(path)
    (tmp_path / "english.csv").write_text("chinese,english\n成渝,x\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="missing column"):
        load_english_names(tmp_path / "english.csv")
    assert load_english_names(tmp_path / "none.csv") == EnglishNames()


def test_a_row_changes_the_name_and_the_gazetteer_loads_the_table(tmp_path: Path) -> None:
    """A planner's row in english.csv reaches the gazetteer's English names (and only them)."""
    import shutil

    from geo import settings

    gdir = tmp_path / "gazetteer"
    shutil.copytree(settings.GAZETTEER_DIR, gdir)
    with (gdir / "english.csv").open("a", encoding="utf-8") as fh:
        fh.write("两江新区,Liangjiang New Area of Chongqing,name,test\n")
    g = load_gazetteer(gdir)
    assert g.english_name(g.get("new_area:liangjiang")) == "Liangjiang New Area of Chongqing"
    assert len(g.places) == len(load_gazetteer().places)


def test_the_viewer_finds_and_shows_places_by_their_english_names() -> None:
    from geo.layers import read_layers
    from geo.viewer.data import Catalog
    from geo.viewer.state import build_search_index, search_places

    catalog = Catalog.from_layerset(read_layers(default_layers_dir()))
    idx = build_search_index(catalog)
    assert search_places(idx, "Liangjiang New Area")[0] == "new_area:liangjiang"
    assert search_places(idx, "wanzhou district")[0] == "adm:500101"
    hits = search_places(idx, "three gorges")
    assert hits and all("Three Gorges" in catalog.places[h].name_en for h in hits)
    wz = catalog.places["adm:500101"]
    assert (wz.display_name("en"), wz.display_name("zh")) == ("Wanzhou District", "万州区")
    assert (wz.title("en"), wz.title("zh")) == ("Wanzhou District 万州区", "万州区")
