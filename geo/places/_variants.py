"""Spelling robustness for geo.places.extract: Traditional characters and common variant characters/typos.

- Traditional → Simplified, one character for one character (so offsets into the original text stay
  valid): the table is built once from the PyPI package `opencc` (its `t2s` conversion applied to every
  CJK unified ideograph, U+4E00–U+9FFF, keeping only 1:1 results). Phrase-level conversions are not
  used on purpose: they could change the length of the text.
- Variant characters: `VARIANT_CHARS` lists characters of place names that web texts commonly write
  with a homophone or a look-alike (泸 → 卢/沪 in 成自卢赤, 璧 → 壁 in 壁山区 …). `variant_keys` makes
  one-substitution variants of gazetteer surface forms; the extractor matches them at a lower
  confidence (rule "variant"). The list is curated from typos seen in web copies of the plans and
  from the usual confusions of the region's rare place-name characters.

Where data come from: opencc's bundled dictionaries; VARIANT_CHARS is hand-written here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["VARIANT_CHARS", "t2s_table", "traditional_re", "variant_keys"]

# standard character in a place name → variants written for it (homophones, look-alikes).
VARIANT_CHARS: dict[str, str] = {
    "泸": "卢沪芦",
    "璧": "壁",
    "蓥": "莹",
    "崃": "莱",
    "邡": "方",
    "綦": "棋",
    "阆": "郎",
    "涪": "浯",
    "郫": "陴",
    "犍": "健",
    "邛": "卭",
    "潼": "童",
    "荥": "荧",
    "珙": "拱",
    "筠": "均",
    "旌": "菁",
}
# Variants are only generated for surface forms at least this long (卢州 alone is too weak a clue).
MIN_VARIANT_KEY = 3


@lru_cache(maxsize=1)
def t2s_table() -> dict[int, str]:
    """str.translate table: Traditional CJK character → its Simplified form (1:1 only), from opencc."""
    import opencc

    chars = [chr(c) for c in range(0x4E00, 0xA000)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - opencc never merges lines
        return {}
    return {ord(a): b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1}


@lru_cache(maxsize=1)
def traditional_re() -> re.Pattern[str]:
    """A character class matching any character that t2s_table converts."""
    chars = "".join(sorted(chr(c) for c in t2s_table()))
    return re.compile("[" + re.escape(chars) + "]") if chars else re.compile(r"(?!x)x")


def variant_keys(keys: Iterable[str]) -> dict[str, str]:
    """One-substitution variants of `keys` (normalised surface forms) → the key they stand for.

    A variant that is itself a key, or that two different keys produce, is left out.
    """
    known = set(keys)
    out: dict[str, str] = {}
    clash: set[str] = set()
    for key in sorted(known):
        if len(key) < MIN_VARIANT_KEY:
            continue
        for i, ch in enumerate(key):
            for v in VARIANT_CHARS.get(ch, ""):
                var = key[:i] + v + key[i + 1 :]
                if var in known:
                    continue
                if var in out and out[var] != key:
                    clash.add(var)
                out.setdefault(var, key)
    for var in clash:
        del out[var]
    return out
