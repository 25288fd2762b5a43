"""Themes of clauses (交通, 产业, 科技创新 …) from their heading path and a keyword table.

Where the data comes from: the planner-editable table data/themes.csv (columns `theme`,
`kind`, `heading_keywords`, `text_keywords`, `strong_keywords`; keywords separated by 、 or |;
one row per theme, in the order the viewer lists them; kind is "topic" (what a clause is about),
"frame" (what part of a plan it is: 总体要求, 组织实施) or "layout" (a topic that a section heading
gives to each of its items: 空间格局)) and each clause's heading path and text (layers/index.json shape:
`path`, `text`). The layer build (geo.layers.atlas) stores the assignment in layers/atlas.sqlite;
`python -m geo themes-eval` measures it against the hand-annotated tests/data/themes_sample.jsonl.

Keywords of all themes are matched together, left to right, the longest first and without
overlap: a keyword inside a longer one of the same column does not count (工业互联网 is
数字经济's, not also 产业's 工业; 能源消费 is not also 产业's 消费), so a planner resolves a clash by
adding the longer phrase to the theme it belongs to.

How a clause gets its themes (every clause gets at least one):
1. heading: frame themes whose heading keywords occur in any heading of the path or the lead
   title; layout themes named by the innermost heading ("第四节 多线连通", "（四）空间布局");
   topic themes whose heading keywords occur in the clause's lead sentence when that is a
   short title ("推动化石能源清洁利用。…"), in the whole clause when it is one short sentence (a
   goal or positioning item: "西部农业科技创新示范区"; see `_short_item`), in the title of the plan
   a notice issues ("现将《…交通…方案》（以下简称《方案》）印发给你们", "《…》已经…同意，现印发") or in
   a preamble's purpose ("为…，提高…便捷生活水平，制定本行动方案"); when those name none, the
   innermost heading's; then the next heading outwards, and so on (a chapter title speaks only for
   clauses whose own headings say nothing). Other titles in 《》 are left out;
2. strong keywords: one occurrence in the innermost heading or the text applies the theme
   ("收悉", "习近平新时代中国特色社会主义思想"). A row of a 川渝通办 or licence list (a heading names
   one of `LIST_HEADINGS`, the text has no sentence end) stops here: an administrative service
   whatever it is about ("个人住房公积金贷款提取…" is 体制机制, not 公共服务);
3. text: a topic whose text keywords occur at least min(`TEXT_MIN_HITS`, 2 + length /
   `TEXT_CHARS_PER_HIT`) times in the text (《》 titles and the departments named as responsible,
   "重庆市生态环境局", left out), and at least `TEXT_SHARE` times
   as often as the most frequent theme's, applies. In a clause that already has a frame theme
   (a principle, a goal, an implementation measure), where topics are mostly named in passing,
   it needs at least min(`FRAME_TEXT_MIN_HITS`, 2 + length / `FRAME_CHARS_PER_HIT`);
4. if nothing applied, the theme with the most text keyword hits, else (no hits, or several
   themes named once each: a list in passing) the fallback theme (the last row of the table).

The constants were set, and the table edited, looking only at the "tuned" part of the annotated
sample (lines 1-970; the "test" part, lines 971-1220, was scored once at the end; see
tests/data/THEMES_ANNOTATION.md).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from geo import settings
from geo.errors import ThemesError

__all__ = [
    "FRAME_CHARS_PER_HIT",
    "FRAME_TEXT_MIN_HITS",
    "LIST_HEADINGS",
    "TEXT_CHARS_PER_HIT",
    "TEXT_MIN_HITS",
    "TEXT_SHARE",
    "Theme",
    "ThemeTable",
    "ThemesError",
    "load_themes",
    "themes_path",
]

TEXT_MIN_HITS: int = 3
TEXT_SHARE: float = 0.7
TEXT_CHARS_PER_HIT: int = 200
FRAME_TEXT_MIN_HITS: int = 3
FRAME_CHARS_PER_HIT: int = 100
LEAD_MAX_CHARS: int = 40
KINDS: tuple[str, ...] = ("topic", "frame", "layout")
_SPLIT = re.compile(r"[、|,，;；\s]+")
_TITLE = re.compile(r"《[^》]*》")
# "现将《…》（以下简称《规划》）印发给你们", "《…》已经重庆市政府和四川省政府同意，现印发给你们"
_ISSUED = re.compile(r"《([^》]*)》(?:（以下简称《[^》]*》）)?[^《》。]{0,24}印发")
# a preamble's purpose: "为…，提高川渝两地人民群众便捷生活水平，（特）制定本行动方案"
_PURPOSE = re.compile(r"^为([^。]*?)，(?:特)?制定本")
# a government department named as the one responsible ("重庆市生态环境局四川省生态环境厅" in a task-list
# row, "四川省教育厅" in a contact line): who does it, not what it is about
_AGENCY = re.compile(
    r"(?:重庆市|四川省|成都市|重庆|四川)(?:人民政府)?[\u4e00-\u9fa5]{1,10}?(?<![格布全大结当开时])(?:局|厅|委员会|委|办公室)"
)
# the headings of lists whose rows are administrative services whatever the service is about (the
# 川渝通办 list, the list of electronic licences recognised in both provinces): a row ("个人住房公积金贷款提取
# 重庆市住房城乡建委…", no sentence end) takes its heading's themes only
LIST_HEADINGS: tuple[str, ...] = ("通办", "证照")
_SENTENCE_END = re.compile(r"[。；！？]")
_LEAD = re.compile(rf"^[^。；！？\n]{{2,{LEAD_MAX_CHARS}}}[。；]")


def themes_path() -> Path:
    """The keyword table: data/themes.csv (under `PLAN_ATLAS_ROOT` when set)."""
    return settings.DATA_DIR / "themes.csv"


@dataclass(frozen=True)
class Theme:
    """One row of data/themes.csv."""

    name: str
    heading_keywords: tuple[str, ...]
    text_keywords: tuple[str, ...]
    strong_keywords: tuple[str, ...] = ()
    frame: bool = False  # kind "frame" (总体要求, 组织实施): its heading keywords count at every level
    layout: bool = False  # kind "layout" (空间格局): a topic whose innermost heading also counts under a lead title


def _keywords(cell: str | None) -> tuple[str, ...]:
    return tuple(k for k in _SPLIT.split((cell or "").strip()) if k)


class _Matcher:
    """Finds keywords of all themes at once, left to right, the longest keyword first and
    without overlap: a keyword inside a longer one does not count ("工业互联网" is not also
    "工业", "生态环境保护" is one occurrence of 生态环境, not also of 生态 and 环境保护)."""

    def __init__(self, keywords: dict[str, set[str]]) -> None:
        self._owners = keywords  # keyword -> names of the themes that list it
        alternatives = sorted(keywords, key=lambda k: (-len(k), k))
        self._pattern = re.compile("|".join(map(re.escape, alternatives))) if alternatives else None

    def counts(self, text: str) -> dict[str, int]:
        """Occurrences per theme name (themes with none left out)."""
        out: dict[str, int] = {}
        for m in self._pattern.finditer(text) if self._pattern else ():
            for name in self._owners[m.group(0)]:
                out[name] = out.get(name, 0) + 1
        return out


def _matcher(themes: Iterable[Theme], column: str) -> _Matcher:
    owners: dict[str, set[str]] = {}
    for t in themes:
        for k in getattr(t, column):
            owners.setdefault(k, set()).add(t.name)
    return _Matcher(owners)


def lead_title(text: str) -> str:
    """The clause's lead sentence when it is a short title ("加强组织领导。…"), else ""."""
    m = _LEAD.match(text)
    return m.group(0) if m and len(m.group(0)) < len(text) else ""


def _short_item(text: str, under_frame: bool) -> bool:
    """One short sentence that is a whole clause, read as its own title: a goal or positioning item
    under a frame heading ("西部农业科技创新示范区"), or a sentence ending in 。 ("建设层次分明、覆盖广泛的
    道路网络。"); not a row of a task list ("个人住房公积金贷款提取重庆市住房城乡建委…", no 。) nor a
    "label：value" line (a contact, an attachment: "四川省教育厅发展规划处：…", "附件：…")."""
    one = len(text) <= LEAD_MAX_CHARS and "：" not in text and not _SENTENCE_END.search(text.rstrip("。；"))
    return one and (under_frame or text.endswith("。"))


def _list_row(path: Sequence[str], text: str) -> bool:
    """A row of a 川渝通办 or licence list (see `LIST_HEADINGS`): no sentence end in its text."""
    return any(k in h for h in path for k in LIST_HEADINGS) and not _SENTENCE_END.search(text)


@dataclass(frozen=True)
class ThemeTable:
    """The keyword table, and the assignment of themes to a clause."""

    themes: tuple[Theme, ...]

    @property
    def names(self) -> list[str]:
        """Theme names in table order."""
        return [t.name for t in self.themes]

    @cached_property
    def _heading_matcher(self) -> _Matcher:
        return _matcher(self.themes, "heading_keywords")

    @cached_property
    def _text_matcher(self) -> _Matcher:
        return _matcher(self.themes, "text_keywords")

    @cached_property
    def _layouts(self) -> frozenset[str]:
        return frozenset(t.name for t in self.themes if t.layout)

    @cached_property
    def _frames(self) -> frozenset[str]:
        return frozenset(t.name for t in self.themes if t.frame)

    def text_hits(self, text: str) -> dict[str, int]:
        """Occurrences of each theme's text keywords in `text` (themes with none left out), all
        themes' keywords matched together, longest first, without overlap (see `_Matcher`)."""
        return self._text_matcher.counts(text)

    def _named(self, heading: str, frame: bool) -> set[str]:
        return {n for n in self._heading_matcher.counts(heading) if (n in self._frames) == frame}

    def heading_themes(self, path: Sequence[str], text: str) -> set[str]:
        """Topic themes named by the lead title, else by the innermost heading that names any,
        plus frame themes named at any level and layout themes named by the innermost heading
        (titles of other documents in 《》 left out)."""
        headings = [_TITLE.sub("", h) for h in reversed(path)]  # innermost first
        found = {n for h in headings for n in self._named(h, frame=True)}
        lead = lead_title(text) or (text if _short_item(text, bool(found)) else "")
        # the lead title, with the title of the plan a notice issues and a preamble's purpose
        head = " ".join([_TITLE.sub("", lead), *_ISSUED.findall(text), *_PURPOSE.findall(_TITLE.sub("", text))])
        levels = [head, *headings]
        found |= self._named(head, frame=True)
        found |= {n for n in self._named(headings[0] if headings else "", frame=False) if n in self._layouts}
        for heading in levels:
            topics = self._named(heading, frame=False)
            if topics:
                return found | topics
        return found

    def assign(self, path: Sequence[str], text: str) -> list[str]:
        """Themes of one clause (table order, never empty); see the module docstring."""
        chosen = self.heading_themes(path, text)
        inner = (path[-1] if path else "") + " " + text
        chosen |= {t.name for t in self.themes if any(k in inner for k in t.strong_keywords)}
        if chosen and _list_row(path, text):
            return [n for n in self.names if n in chosen]
        hits = self.text_hits(_AGENCY.sub("", _TITLE.sub("", text)))
        top = max(hits.values(), default=0)
        need = min(TEXT_MIN_HITS, 2 + len(text) // TEXT_CHARS_PER_HIT)
        if chosen & self._frames:
            need = max(need, min(FRAME_TEXT_MIN_HITS, 2 + len(text) // FRAME_CHARS_PER_HIT))
        chosen |= {n for n, c in hits.items() if c >= need and c >= TEXT_SHARE * top}
        if not chosen:
            if top > 1 or len(hits) == 1:  # not a list of topics each named once in passing
                chosen = {max(hits, key=lambda n: (hits[n], -self.names.index(n)))}
            else:
                chosen = {self.themes[-1].name}
        return [n for n in self.names if n in chosen]


def _kind(kind: str | None, path: Path, row: int) -> str:
    k = (kind or "topic").strip() or "topic"
    if k not in KINDS:
        raise ThemesError(f"{path} row {row}: kind {k!r} must be one of {', '.join(KINDS)}")
    return k


def load_themes(path: Path | str | None = None) -> ThemeTable:
    """Read the keyword table (default data/themes.csv). Raises ThemesError naming the row."""
    p = Path(path) if path is not None else themes_path()
    try:
        with p.open("r", encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except FileNotFoundError as exc:
        raise ThemesError(f"{p} is missing: the theme keyword table is needed to build layers/") from exc
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ThemesError(f"{p} cannot be read ({exc}); it must be UTF-8 CSV") from exc
    themes: list[Theme] = []
    seen: set[str] = set()
    for i, row in enumerate(rows, start=2):
        name = (row.get("theme") or "").strip()
        if not name:
            raise ThemesError(f"{p} row {i}: empty theme name (columns: theme, heading_keywords, text_keywords)")
        if name in seen:
            raise ThemesError(f"{p} row {i}: theme {name!r} appears twice; merge the rows")
        seen.add(name)
        kind = _kind(row.get("kind"), p, i)
        themes.append(
            Theme(
                name,
                _keywords(row.get("heading_keywords")),
                _keywords(row.get("text_keywords")),
                _keywords(row.get("strong_keywords")),
                kind == "frame",
                kind == "layout",
            )
        )
    if not themes:
        raise ThemesError(f"{p} has no themes (columns: theme, heading_keywords, text_keywords)")
    return ThemeTable(tuple(themes))


def assign_all(table: ThemeTable, clauses: Iterable[dict]) -> dict[str, list[str]]:
    """clause id → themes, for clauses in the layers/index.json shape (`id`, `path`, `text`)."""
    return {c["id"]: table.assign(c.get("path") or [], c["text"]) for c in clauses}
