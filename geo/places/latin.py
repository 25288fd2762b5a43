"""Place names in Latin letters: tone-less pinyin (for search) and English (for labels and exports).

`pinyin(name)` reads a Chinese name with pypinyin, fixing the place-name readings it gets wrong
(都 is du in 丰都, 长 is chang in 长宁).

`english_name(name, table)` follows the usual rule for Chinese place names in English (as in GB/T
17693.1): the specific part in pinyin, the generic part translated — 万州区 → Wanzhou District,
岷江 → Minjiang River (a one-syllable specific keeps the generic's syllable), 酉阳土家族苗族自治县 →
Youyang Tujia Miao Autonomous County. The words come from the planner-editable table
data/gazetteer/english.csv (`EnglishNames`), with three kinds of row:
- `name`: a whole name's English, used as it is (成渝地区双城经济圈 → Chengdu–Chongqing Economic Circle);
- `generic`: a generic word at the end of a name (区 → District, 高铁 → High-speed Railway; empty for
  市, dropped);
- `term`: a word anywhere in a name (成渝 → Chengdu–Chongqing, 绿色 → Green).
The short forms of admin units (内江, 荣昌) are terms too, read in pinyin, so that names joining two
places come out as two words (内江荣昌… → Neijiang Rongchang …). What no row covers is read in pinyin,
one word per run of characters.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pypinyin import lazy_pinyin

from geo.errors import GazetteerError

__all__ = ["ENGLISH_FILE", "EnglishNames", "english_name", "load_english_names", "pinyin", "pinyin_word"]

ENGLISH_FILE = "english.csv"
ENGLISH_COLUMNS: tuple[str, ...] = ("chinese", "english", "role", "note")
ROLES: tuple[str, ...] = ("name", "generic", "term")

# Place-name readings pypinyin gets wrong (it reads 都 as dou in 丰都/新都, 长 as zhang in 长宁, 佛 as
# fu in 金佛山, 咀 as ju where place names write it for 嘴 …).
PINYIN_CHARS: dict[str, str] = {"都": "du", "长": "chang", "佛": "fo", "咀": "zui"}
PINYIN_PHRASES: dict[str, str] = {
    "什邡": "shi fang", "筠连": "jun lian", "荥经": "ying jing", "川藏": "chuan zang", "朝阳": "chao yang",
    "曾家": "zeng jia",
}

_CJK = ("\u4e00", "\u9fff")
# Brackets and dashes as written in English.
_PUNCT = {"（": " (", "）": ") ", "(": " (", ")": ") ", "—": "–", "－": "–", "-": "–", "、": ", ", "·": " "}


def _is_cjk(ch: str) -> bool:
    return _CJK[0] <= ch <= _CJK[1]


def _syllables(name: str, v_to_u: bool = False) -> list[str]:
    """One reading per character (non-Chinese characters kept as they are); ü as v unless `v_to_u`."""
    chars = list(name)
    syll = lazy_pinyin(name, errors=lambda chunk: list(chunk), v_to_u=v_to_u)
    if len(syll) != len(chars):  # should not happen; fall back to pypinyin's own grouping
        syll = [s for s in lazy_pinyin(name) if s.strip()]
        return syll if len(syll) == len(chars) else [lazy_pinyin(ch)[0] if _is_cjk(ch) else ch for ch in chars]
    for i, ch in enumerate(chars):
        if ch in PINYIN_CHARS:
            syll[i] = PINYIN_CHARS[ch]
    for phrase, reading in PINYIN_PHRASES.items():
        start = name.find(phrase)
        while start >= 0:
            syll[start : start + len(phrase)] = reading.split()
            start = name.find(phrase, start + len(phrase))
    return syll


def pinyin(name: str) -> str:
    """Tone-less pinyin of a Chinese name, syllables separated by spaces ("cheng du shi"), with
    place-name readings for common polyphones; other characters kept as they are ("G93 cheng yu")."""
    tokens: list[str] = []
    other = ""
    for ch, py in zip(name, _syllables(name), strict=True):
        if _is_cjk(ch):
            if other.strip():
                tokens.append(other.strip())
            other = ""
            tokens.append(py)
        else:
            other += ch
    if other.strip():
        tokens.append(other.strip())
    return " ".join(t for t in tokens if t)


def pinyin_word(chinese: str) -> str:
    """A run of Chinese characters as one capitalised pinyin word, with the apostrophe before a
    syllable that starts with a, o or e (西安 → Xi'an, 万州 → Wanzhou)."""
    out = ""
    for i, s in enumerate(_syllables(chinese, v_to_u=True)):
        if i and s[:1] in ("a", "o", "e"):
            out += "'"
        out += s
    return out[:1].upper() + out[1:]


@dataclass(frozen=True)
class EnglishNames:
    """The rows of english.csv, by role, plus the short forms of admin units (`places`, read in
    pinyin: a weaker kind of term that never leaves one character on its own)."""

    names: dict[str, str] = field(default_factory=dict)
    generics: dict[str, str] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)

    def with_places(self, short_forms: Iterable[str]) -> EnglishNames:
        """A copy that also knows these admin short forms (万州 → Wanzhou)."""
        return EnglishNames(self.names, self.generics, self.terms, {s: pinyin_word(s) for s in short_forms if len(s) >= 2})

    @cached_property
    def words(self) -> dict[str, str]:
        """Every Chinese word the table translates inside a name: terms over names over generics."""
        return {**{k: v for k, v in self.generics.items() if v}, **self.names, **self.terms}


def load_english_names(path: Path) -> EnglishNames:
    """Read english.csv (an empty table when the file is missing). Raises GazetteerError naming the
    file and line of a bad row."""
    names: dict[str, str] = {}
    generics: dict[str, str] = {}
    terms: dict[str, str] = {}
    if not path.is_file():
        return EnglishNames()
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ENGLISH_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise GazetteerError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(ENGLISH_COLUMNS)}")
        for line, row in enumerate(reader, start=2):
            zh, en, role = (row.get("chinese") or "").strip(), (row.get("english") or "").strip(), row.get("role")
            if not zh:
                raise GazetteerError(f"{path} line {line}: column chinese is empty")
            if role not in ROLES:
                raise GazetteerError(f"{path} line {line}: role {role!r} is not one of {', '.join(ROLES)}")
            if not en and role != "generic":
                raise GazetteerError(f"{path} line {line}: column english is empty (only a generic may be empty)")
            table = {"name": names, "generic": generics, "term": terms}[role]
            if zh in table:
                raise GazetteerError(f"{path} line {line}: {zh} is already a {role} row")
            table[zh] = en
    return EnglishNames(names, generics, terms)


def _match(text: str, i: int, words: dict[str, str], longest: int) -> str:
    return next((text[i : i + n] for n in range(min(longest, len(text) - i), 1, -1) if text[i : i + n] in words), "")


def _tokens(text: str, table: EnglishNames) -> list[list[str]]:
    """The words of `text`: table words by longest match, admin short forms, other Chinese runs
    as pinyin words (a short form that would leave a single character beside it is not split off:
    朝天门 is Chaotianmen, not Chaotian Men)."""
    words = table.words
    longest = max((len(k) for k in words), default=2)
    longest_place = max((len(k) for k in table.places), default=2)
    # [chinese, english ("" for a pinyin run), flag: "soft" a short form, "run" merged pinyin,
    # "latin"/"punct" other characters, "" a table word or a plain run]
    tokens: list[list[str]] = []
    i = 0
    while i < len(text):
        hit = _match(text, i, words, longest)
        if hit:
            tokens.append([hit, words[hit], ""])
            i += len(hit)
            continue
        hit = _match(text, i, table.places, longest_place)
        if hit:
            tokens.append([hit, table.places[hit], "soft"])
            i += len(hit)
            continue
        ch = text[i]
        if _is_cjk(ch):
            if tokens and tokens[-1][1] == "" and tokens[-1][2] == "":
                tokens[-1][0] += ch
            else:
                tokens.append([ch, "", ""])
        elif ch in _PUNCT:
            tokens.append([ch, _PUNCT[ch], "punct"])
        elif tokens and tokens[-1][2] == "latin":  # G318, 5G: one word
            tokens[-1][0] += ch
            tokens[-1][1] += ch
        else:
            tokens.append([ch, ch, "latin" if ch.strip() else "punct"])
        i += 1
    merged: list[list[str]] = []
    for tok in tokens:  # a lone character beside a short form joins it in one pinyin run
        prev = merged[-1] if merged else None
        lone = len(tok[0]) == 1 and tok[1] == "" and _is_cjk(tok[0])
        if prev and ((lone and prev[2] in ("soft", "run")) or (tok[2] == "soft" and prev[1] == "" and len(prev[0]) == 1)
                     or (tok[1] == "" and prev[2] == "run")):
            merged[-1] = [prev[0] + tok[0], "", "run"]
        else:
            merged.append(list(tok))
    return merged


def _join(words: Iterable[str]) -> str:
    text = ""
    for w in words:
        if not w:
            continue
        if not text or text.endswith(("(", "–", " ")) or w.startswith((")", " ", "–", ",")):
            text += w
        else:
            text += " " + w
    return " ".join(text.replace("( ", "(").replace(" )", ")").split())


# The generics an admin unit's name ends with (its kind is known: 璧山区 is not a 山区).
ADMIN_GENERICS: tuple[str, ...] = ("省", "市", "区", "县", "自治州", "自治县", "自治区", "特别行政区", "州", "盟", "旗")


def english_name(name: str, table: EnglishNames, admin: bool = False) -> str:
    """The English name of a Chinese place name (see the module docstring); `admin` for the name
    of an admin unit, which ends in an admin generic only."""
    name = name.strip()
    if name in table.names:
        return table.names[name]
    if not any(_is_cjk(ch) for ch in name):
        return name
    generics = {k: v for k, v in table.generics.items() if k in ADMIN_GENERICS} if admin else table.generics
    generic = next((name[-n:] for n in range(len(name) - 1, 0, -1) if name[-n:] in generics), "")
    whole = next((name[-n:] for n in range(len(name) - 1, 1, -1) if name[-n:] in table.terms or name[-n:] in table.names), "")
    if len(whole) > len(generic):  # 川陕革命老区: the term 革命老区, not the generic 区
        generic = ""
    rest = name[: len(name) - len(generic)]
    tail = [generics[generic]] if generic else []
    if rest in table.names:
        words = [table.names[rest]]
    elif len(rest) == 1 and _is_cjk(rest) and len(generic) == 1 and tail[0]:
        words = [pinyin_word(rest + generic)]  # 岷江 → Minjiang River, 忠县 → Zhongxian County
    else:
        tokens = _tokens(rest, table)
        last = tokens[-1] if tokens else None
        if len(generic) == 1 and tail[0] and last and last[1] == "" and len(last[0]) == 1 and len(tokens) > 1:
            tokens[-1] = [last[0] + generic, "", "run"]  # 綦江丁山 → Qijiang Dingshan Mountain
        words = [pinyin_word(t[0]) if t[1] == "" else t[1] for t in tokens]
    return _join([*words, *tail])
