"""Status of railways and highways (existing / under construction / planned), from the plans' wording.

Where it comes from, in order:
1. the curated in-service list of geo.places.courses (`IN_SERVICE`: lines open today, routed on
   the real network) → "existing";
2. the plans' own wording around a mention of the line (data/docs/, via the build's mentions):
   the status verb nearest before the mention in its sentence (加快建设, 开工建设 → under
   construction; 规划建设, 研究论证, 前期工作 … → planned; 既有, 改造, 建成通车 → existing), in the
   latest dated document that says anything; the clause id and the words are cited;
3. the gazetteer: the same rules on the place's provenance quote (data/gazetteer/lines.csv);
4. otherwise "planned" ("no status wording found"), since the line is not in the in-service list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from geo.models import Document, Mention, Place

EXISTING = "existing"
UNDER_CONSTRUCTION = "under construction"
PLANNED = "planned"
STATUSES: tuple[str, ...] = (EXISTING, UNDER_CONSTRUCTION, PLANNED)
STATUS_KINDS: frozenset[str] = frozenset({"railway", "highway"})

# Longer phrases first: 规划建设 must win over 建设.
WORDING: tuple[tuple[str, str], ...] = (
    ("规划建设", PLANNED),
    ("研究论证", PLANNED),
    ("论证研究", PLANNED),
    ("研究规划", PLANNED),
    ("规划研究", PLANNED),
    ("研究推进", PLANNED),
    ("前期工作", PLANNED),
    ("前期研究", PLANNED),
    ("适时推动", PLANNED),
    ("适时启动", PLANNED),
    ("谋划", PLANNED),
    ("积极推进", PLANNED),  # pushing a project forward: not yet being built
    ("争取纳入", PLANNED),
    ("加快建设", UNDER_CONSTRUCTION),
    ("加快推进", UNDER_CONSTRUCTION),
    ("开工建设", UNDER_CONSTRUCTION),
    ("启动建设", UNDER_CONSTRUCTION),
    ("建成投用", UNDER_CONSTRUCTION),  # a target: "建成…" in a plan is not yet done
    ("续建", UNDER_CONSTRUCTION),
    ("在建", UNDER_CONSTRUCTION),
    ("推进建设", UNDER_CONSTRUCTION),
    ("加快实施", UNDER_CONSTRUCTION),
    ("既有", EXISTING),
    ("扩能改造", EXISTING),
    ("提质改造", EXISTING),
    ("建成通车", EXISTING),
)
_PATTERN = re.compile("|".join(re.escape(w) for w, _ in WORDING))
_STATUS_OF = dict(WORDING)
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
QUOTE_CONTEXT = 24  # characters of the sentence either side of the wording, in the citation


@dataclass(frozen=True)
class Status:
    """A line's status and where it was read: `source` cites a clause id and its words, the
    gazetteer row, the in-service list, or says that nothing was found."""

    status: str
    source: str


def wording_in(text: str, start: int, end: int) -> tuple[str, str] | None:
    """(status, quote) for the mention text[start:end]: the status word nearest before it in its
    sentence, else the first one after it up to the next comma; None when there is none."""
    a = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    tail = _SENTENCE_END.search(text, end)
    b = tail.start() if tail else len(text)
    before = [m for m in _PATTERN.finditer(text, a, start)]
    comma = re.compile(r"[，,、]").search(text, end, b)
    after = [m for m in _PATTERN.finditer(text, end, comma.start() if comma else b)]
    hit = before[-1] if before else (after[0] if after else None)
    if hit is None:
        return None
    qa, qb = max(a, min(hit.start(), start) - QUOTE_CONTEXT), min(b, max(hit.end(), end) + QUOTE_CONTEXT)
    return _STATUS_OF[hit.group(0)], text[qa:qb]


def line_status(
    place: Place,
    documents: Iterable[Document],
    mentions: dict[str, list[Mention]],
    in_service: dict[str, str],
) -> Status | None:
    """The status of a railway or highway place (None for other kinds); see the module docstring."""
    if place.kind not in STATUS_KINDS:
        return None
    if place.id in in_service:
        return Status(EXISTING, f"in service: {in_service[place.id]} (curated list, geo/places/courses.py)")
    dated = sorted(documents, key=lambda d: (d.date, d.id), reverse=True)
    for doc in dated:
        for clause in doc.clauses:
            for m in mentions.get(clause.id, []):
                if m.place_id != place.id:
                    continue
                found = wording_in(clause.text, m.start, m.end)
                if found is not None:
                    return Status(found[0], f"{clause.id}: {found[1]}")
    prov = place.provenance
    hit = None
    for name in (place.name, *place.aliases):
        i = prov.find(name)
        if i >= 0:
            hit = wording_in(prov, i, i + len(name))
            break
    if hit is None:
        m = _PATTERN.search(prov)
        hit = (_STATUS_OF[m.group(0)], prov) if m else None
    if hit is not None:
        return Status(hit[0], f"gazetteer provenance: {hit[1]}")
    return Status(PLANNED, "no status wording found in the plans or the gazetteer; not in the in-service list")
