"""Rules behind geo.extract: normalisation table, exclusion patterns, organisation heads, false friends.

Everything here is data or a small pure function over the *normalised* text (see
`geo.extract.normalize_for_matching`: NFKC half-width ASCII, dashes as "—", no whitespace). The
rules implement tests/data/ANNOTATION.md; the cases come from /work/shared/corpus-notes/summary.md
and from reading the corpus.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# --------------------------------------------------------------------------- normalisation

_DASHES = "-－–‐‑‒―─━"


def _char_map() -> dict[str, str]:
    out: dict[str, str] = {}
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII → half-width (as gazetteer.normalize_name)
        ch = chr(code)
        n = unicodedata.normalize("NFKC", ch)
        if len(n) == 1:
            out[ch] = n
    for ch in _DASHES:
        out[ch] = "—"
    out["〈"] = "<"
    out["〉"] = ">"
    out["［"] = "〔"
    out["］"] = "〕"
    return out


CHAR_MAP: dict[str, str] = _char_map()
TRANSLATE: dict[int, str] = str.maketrans(CHAR_MAP)

# --------------------------------------------------------------------------- vocabulary

ADMIN_KINDS: frozenset[str] = frozenset({"province", "prefecture", "county"})
# Kinds whose official names may carry a place-name prefix (江津珞璜港, 重庆两江新区).
PREFIXABLE_KINDS: frozenset[str] = frozenset(
    {"airport", "port", "hub", "station", "zone", "new_area", "platform"}
)

# Surface forms that are never a mention on their own (longer names containing them still match).
NOT_PLACES: frozenset[str] = frozenset(
    {
        "巴蜀",
        "中国",
        "西部",
        "西南",
        "中新",
        "三江",
        "全国",
        "天府",
        "金沙",
        "两江",
        "达成",
        "南部",
        "前锋",
        "巴山",
        "双核",
        "川渝两省市",
        "成渝地区双城经济圈规划范围",
        "现代产业创新走廊",
    }
)
# Gazetteer names ending like this are generic heads over a list, not a mention (成渝主轴节点城市).
GENERIC_NAME_ENDINGS: tuple[str, ...] = ("节点城市",)

# Extractor-only aliases: surface form → a gazetteer name it stands for (ANNOTATION.md: 成渝 = 成渝地区).
EXTRA_ALIASES: dict[str, str] = {
    "成渝": "成渝地区",
    "成昆": "成昆铁路",
    "万盛经开区": "万盛经济技术开发区",
    "成都市高新区": "成都高新区",
    "万州港区新田作业区": "新田港",
    "成都北中欧班列枢纽": "成都国际铁路港",
    "重庆市中心城区": "重庆中心城区",
    "渝东北城镇群": "渝东北三峡库区城镇群",
}

# Places outside 四川/重庆 whose bare short form is safe anywhere (others count only in route chains).
STRONG_OUTSIDE: frozenset[str] = frozenset(
    "北京 上海 天津 广州 深圳 西安 武汉 昆明 贵阳 南宁 兰州 长沙 杭州 南京 郑州 宜昌 遵义 汉中 "
    "贵州 云南 陕西 湖北 湖南 广西 西藏 甘肃 青海 新疆 宁夏 河南 广东 江苏 浙江 福建 海南 山东 香港 澳门 台湾".split()
)

# Two characters that form a word across the end of a match: the match ends one earlier (重庆港口).
BOUNDARY_WORDS: frozenset[str] = frozenset({"港口", "港湾"})
# Kinds whose gazetteer aliases may carry a locator prefix that is its own mention (江津四面山).
LOCATOR_SPLIT_KINDS: frozenset[str] = frozenset(
    {"mountain", "lake", "reservoir", "river", "site", "park", "town", "corridor"}
)
ADMIN_OR_REGION_KINDS: frozenset[str] = ADMIN_KINDS | {"composite", "metropolitan_area", "region"}
# Written forms whose mention is a shorter name (ANNOTATION.md decisions).
TRIM_TO: dict[str, str] = {
    "长江干线": "长江",
    "明月山山脉": "明月山",
    "长江航运": "长江",
    "綦江丁山核心区": "綦江丁山",
}
# Names of corridors that prefix a zone name; the two are separate mentions (ANNOTATION.md).
SPLIT_PREFIXES: tuple[str, ...] = ("西部陆海新通道",)

# --------------------------------------------------------------------------- excluded regions


_WENHAO_RE = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[(]\d{4}[〕\])]\d+号")
_RESP_RE = re.compile(r"\((?:责任单位|牵头单位|配合单位|责任部门|牵头部门|主要责任单位)[:：]")
_LEAD_RE = re.compile(r"\([^()]{1,40}(?:牵头|负责|配合)\)")
_SALUTATION_RE = re.compile(
    r"(?:^|(?<=[。;]))[^。;:]{0,240}?(?:人民政府|有关单位|各直属机构|教育行政部门|有关部门|管委会|办公厅)[^。;:]{0,60}?:"
)
_TITLE_PHRASE_RES = (
    re.compile(r"关于[^。;,]{0,80}?的[^。;,]{0,6}?(?:通知|批复|请示|意见|决定)"),
    re.compile(r"印发[^。;]{0,80}?的通知"),
    re.compile(r"[\u4e00-\u9fff]{2,12}?(?:建设规划纲要)"),
)
_ORG_NAME_RES = (
    re.compile(r"推动成渝地区双城经济圈建设(?:重庆四川)?(?:党政联席会议|联合办公室|领导小组)"),
    re.compile(r"成渝地区双城经济圈建设(?:领导小组|联合办公室)"),
    re.compile(r"重庆四川[^。;,、]{0,12}?会议"),
    re.compile(r"成渝金融法院"),
)
_BRAND_QUOTE_RE = re.compile(
    r"(?:“[^”]{1,60}”、?)+(?:等|[一二三四五六七八九十两]大)?(?:地域|区域|公共|农产品|特色|城市)?(?:名片|品牌)"
)
_SERVICE_RE = re.compile(r"(?:川渝|天府|渝)通办")


def _bracket_spans(s: str) -> list[tuple[int, int]]:
    """《…》 (nested 〈…〉 / <…> inside) as spans; an unclosed 《 runs to the end of its sentence."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(s)
    while i < n:
        if s[i] == "《":
            depth, j = 0, i
            while j < n:
                if s[j] == "《":
                    depth += 1
                elif s[j] == "》":
                    depth -= 1
                    if depth == 0:
                        break
                elif s[j] == "。" and j - i > 120:
                    break
                j += 1
            out.append((i, min(j + 1, n)))
            i = j + 1
        else:
            i += 1
    return out


def _paren_run(s: str, start: int) -> int:
    """End (exclusive) of the parenthesis opened at or before `start` (to the end if unclosed)."""
    depth = 0
    for j in range(start, len(s)):
        if s[j] == "(":
            depth += 1
        elif s[j] == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(s)


# (pattern, literals one of which must occur for the pattern to match): a cheap prefilter.
_GUARDED: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (_WENHAO_RE, ("号",)),
    (_LEAD_RE, ("牵头", "负责", "配合")),
    (_BRAND_QUOTE_RE, ("名片", "品牌")),
    (_SERVICE_RE, ("通办",)),
    (_TITLE_PHRASE_RES[0], ("关于",)),
    (_TITLE_PHRASE_RES[1], ("印发",)),
    (_TITLE_PHRASE_RES[2], ("建设规划纲要",)),
    (_ORG_NAME_RES[0], ("推动成渝地区双城经济圈建设",)),
    (_ORG_NAME_RES[1], ("领导小组", "联合办公室")),
    (_ORG_NAME_RES[2], ("重庆四川",)),
    (_ORG_NAME_RES[3], ("成渝金融法院",)),
)
_SALUTATION_WORDS = ("人民政府", "有关单位", "各直属机构", "教育行政部门", "有关部门", "管委会", "办公厅")


def excluded_regions(s: str) -> list[tuple[int, int]]:
    """Spans of the normalised text where no mention may start: titles, 文号, agency lists, org names …"""
    spans = _bracket_spans(s) if ("《" in s or "<" in s) else []
    for rx, needles in _GUARDED:
        if any(n in s for n in needles):
            spans.extend(m.span() for m in rx.finditer(s))
    if "单位" in s or "部门" in s:
        for m in _RESP_RE.finditer(s):
            spans.append((m.start(), _paren_run(s, m.start())))
    if ":" in s and any(w in s for w in _SALUTATION_WORDS):
        for m in _SALUTATION_RE.finditer(s):
            spans.append(m.span())
    return spans


# --------------------------------------------------------------------------- organisations

_ORG_PREFIX_RE = re.compile(r"(?:人行|人民银行|中国人民银行|中铁|中国铁路|外汇局|国网|国家电网)$")
_ORG_WORDS = (
    r"人民政府|政府|党委|市委|省委|^委|委员会|办公厅|办公室|发展改革委?|[\u4e00-\u9fff]委(?!托)|[\u4e00-\u9fff]厅|"
    r"(?<![格布大全结开新当])局|口岸物流办|职转办|合作办|海关|分行|支行|营管部|管理部|分局|管委会|集团|公司|法院|"
    r"检察院|大学|学院|医院|银行|联席会议|协调会议|领导小组|联合办公室|联盟|部门|单位|大会|推进会|论坛|博览会|"
    r"研究院|协会|商会|学会|交易所|证券|股份"
)
_ORG_SEARCH_RE = re.compile(r"^[^,;:。、，；：“”\"()（）《》<>的等]{0,10}?(?:" + _ORG_WORDS + ")")


# A verb between the place and an organisation word: the place is not part of the name
# (在成渝地区开展跨国企业集团… , 在成渝地区设立分支机构).
_ORG_VERB_RE = re.compile(
    r"开展|建设|设立|推动|支持|建立|组建|成立|引进|吸引|培育|打造|鼓励|依托|实施|推进|落户|布局"
)


def is_org(tail: str, head: str) -> bool:
    """True if a place followed by `tail` (up to the next place) and preceded by `head` names an organisation."""
    if _ORG_PREFIX_RE.search(head):
        return True
    m = _ORG_SEARCH_RE.search(tail)
    return bool(m) and not _ORG_VERB_RE.search(m.group())


# Gap between two items of a list or address chain (an organisation head covers all of them).
LIST_GAP_RE = re.compile(r"|、|和|及|与")

# --------------------------------------------------------------------------- products, false friends

_PRODUCT_RE = re.compile(
    r"^(?:榨菜|豆瓣|花椒|青花椒|豆豉|辣椒|彩灯|夏布|龙舞|泡菜|冬菜|芽菜|柠檬|脐橙|晚熟柑橘|红茶|绿茶|沱茶|白酒|酱油|"
    r"枇杷|蓝莓|沙田柚|血脐|大雅柑|茶叶|麻花|米粉|豆花|腊肉|黄酒|"
    r"知识价值信用贷|科创贷|电子证照|通办|火锅|小面|保卫战|战役|公共信息平台|发展指数|"
    r"乌梅|苎麻|曲艺|石雕|竹编|蜀绣|血橙|蜜柚|制造”|加工”)"
    r"(?!产区|基地|产业|种植|生产)"  # 大足柠檬产区 is an area, not a product
)
_PRODUCT_CHAR_RE = re.compile(r"^[竹龙茶酒](?=[、，,等])")  # 宜宾竹、铜梁龙 (listed products)
_TOWN_AFTER_RE = re.compile(r"^[镇乡](?![村土愁亲情镇野])")

_FalseFriend = Callable[[str, str], bool]
FALSE_FRIENDS: dict[str, _FalseFriend] = {
    "通江": lambda b, a: a.startswith(("达海", "海")) or b.endswith("畅"),
    "安居": lambda b, a: a.startswith("乐业"),
    "长寿": lambda b, a: b.endswith(("健康", "幸福")),
    "天全": lambda b, a: b.endswith("今"),
    "江安": lambda b, a: b.endswith("长"),
    "东坡": lambda b, a: b.endswith("苏"),
    "高县": lambda b, a: b.endswith("提"),
    "大安": lambda b, a: b.endswith("重"),
    "新都": lambda b, a: a.startswith("市"),
    "朝天": lambda b, a: a.startswith("门"),
    "九龙": lambda b, a: a.startswith("坡"),
    "合江": lambda b, a: b.endswith("联"),
    "渝北": lambda b, a: a.startswith("部"),
    "通川": lambda b, a: b.endswith("畅"),
    "渝中": lambda b, a: b.endswith(("成", "川")) or a.startswith(("线", "部", "心", "华")),
    "渝合": lambda b, a: b.endswith("川") or not a.startswith("高速"),
    "名山": lambda b, a: b.endswith(("知", "丰都")),
    "嘉陵": lambda b, a: not a.startswith("区"),
    "锦江": lambda b, a: b.endswith("游"),
    "江口": lambda b, a: not (b.endswith("云阳") or a.startswith("镇")),
    "川陕": lambda b, a: a.startswith(("革命根据地", "渝")),
    "石棉": lambda b, a: not a.startswith(("县", "等")),
}


def is_not_place_here(surface: str, before: str, after: str) -> bool:
    """True if this match is a product/service name, a county form heading a town name, or a false friend."""
    if _PRODUCT_RE.match(after) or _PRODUCT_CHAR_RE.match(after):
        return True
    if _TOWN_AFTER_RE.match(after) and surface[-1:] not in ("镇", "乡"):  # 纳溪区大渡口镇: a town
        return True
    rule = FALSE_FRIENDS.get(surface)
    return bool(rule and rule(before, after))


# --------------------------------------------------------------------------- lists, heads, chains

LIST_SEPARATORS: frozenset[str] = frozenset({"、"})
SHARED_HEAD_RE = re.compile(
    r"(?P<deng>等)?(?:一批|一系列|重点|\d+个|[一二三四五六七八九十]+个)?"
    r"(?P<head>支线机场|机场|综合保税区|综保区|港口|港区|港|高新区|经开区|经济技术开发区)"
)
HEAD_SUFFIXES: dict[str, tuple[str, ...]] = {
    "支线机场": ("机场",),
    "机场": ("机场",),
    "综合保税区": ("综合保税区", "综保区", "港综合保税区"),
    "综保区": ("综合保税区", "综保区"),
    "港口": ("港",),
    "港区": ("港区", "港"),
    "港": ("港",),
    "高新区": ("高新区", "高新技术产业开发区"),
    "经开区": ("经开区", "经济技术开发区"),
    "经济技术开发区": ("经济技术开发区", "经开区"),
}
# Gazetteer names written as routes are split into their nodes when they describe a corridor or a
# composite (成都经泸州（宜宾）、百色至北部湾西线铁路通道, 綦江—万盛). A named railway, highway or
# waterway written as its route (成都至达州至万州高速铁路 = 成达万高铁) is one mention of the line
# (ANNOTATION.md: a chain that is itself a gazetteer name is one mention), so the line links to its clauses.
ROUTE_JOINER_RE = re.compile(r"[\u4e00-\u9fff](?:至|—|经(?![济开营贸验典过]))[\u4e00-\u9fff]")
# Kinds whose route-shaped names are split into nodes (not sites: 峨眉山—乐山大佛; not named lines).
ROUTE_KINDS: frozenset[str] = frozenset({"corridor", "axis", "composite"})
ROUTE_SPLIT_RE = re.compile(r"[至经、()—]")
# Lists of bare line abbreviations before a shared head (襄渝、成达、渝万等铁路; web texts: 襄渝,成达等铁路).
LINE_LIST_RE = re.compile(
    r"(?P<items>[\u4e00-\u9fff]{2,4}(?:(?:、[\u4e00-\u9fff]{2,4})+|(?:,[\u4e00-\u9fff]{2,4})+))"
    r"等(?P<head>铁路|高铁|高速公路|高速|城际铁路)"
)
LINE_LIST_GUARDS: tuple[str, ...] = ("等铁路", "等高铁", "等高速", "等城际")
LINE_HEAD_SUFFIXES: dict[str, tuple[str, ...]] = {
    "铁路": ("铁路", "高铁", "线"),
    "高铁": ("高铁", "铁路"),
    "城际铁路": ("城际铁路", "城际", "铁路"),
    "高速公路": ("高速公路", "高速"),
    "高速": ("高速", "高速公路"),
}
# A place followed by a service-platform head is the platform's name, not a mention (propagated over lists).
SERVICE_HEAD_RE = re.compile(r"^(?:网上政务服务平台|政务服务平台|政务服务网|网上办事大厅)")
CHAIN_JOINERS: frozenset[str] = frozenset({"至", "经", "—", "/", "到"})

# 合(川)广(安)长(寿): two or more "character + parenthesised completion" units.
EXPANSION_RE = re.compile(r"(?:[\u4e00-\u9fff]\([\u4e00-\u9fff]{1,3}\)){2,}")
EXPANSION_PART_RE = re.compile(r"([\u4e00-\u9fff])\(([\u4e00-\u9fff]{1,3})\)")
