"""Score geo.extract against the hand-annotated devset (tests/data/devset.jsonl).

The devset and its rules are in tests/data/ (ANNOTATION.md). A predicted mention is correct when
its span equals a gold span exactly. Per-kind figures use the gold kind for gold spans and the
predicted place's kind (mapped onto the devset kinds by `devset_kind`) for false alarms.
Resolution is reported separately: of the correct spans, how many resolve to the gold place.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from geo import settings
from geo.errors import InputFileError
from geo.models import Mention, Place

DEVSET_PATH: Path = settings.ROOT / "tests" / "data" / "devset.jsonl"

_KIND_MAP: dict[str, str] = {
    "new_area": "zone",
    "platform": "zone",
    "composite": "region",
    "metropolitan_area": "region",
    "station": "hub",
    "waterway": "corridor",
    "axis": "corridor",
    "reservoir": "lake",
    "park": "site",
    "country": "outside",
    "bloc": "outside",
    "city": "outside",
    "hydro": "hub",
    "energy": "site",
    "structure": "site",
}


def devset_kind(place: Place) -> str:
    """The devset kind (ANNOTATION.md) of a gazetteer place."""
    if place.kind in ("province", "prefecture", "county"):
        code = place.adcode or place.id.removeprefix("adm:")
        if code[:2] not in ("50", "51"):
            return "outside"
    return _KIND_MAP.get(place.kind, place.kind)


@dataclass
class Record:
    id: str
    text: str
    source: str
    gold: list[dict]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    overall: Score
    per_kind: dict[str, Score]
    false_positives: list[tuple[str, int, int, str, str]] = field(
        default_factory=list
    )  # id, s, e, surface, place
    false_negatives: list[tuple[str, int, int, str, str]] = field(default_factory=list)
    wrong_place: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, surface, gold, predicted
    resolved_ok: int = 0


def load_devset(path: Path | None = None) -> list[Record]:
    """Read and check the devset (every gold surface must equal text[start:end])."""
    path = Path(path) if path else DEVSET_PATH
    if not path.is_file():
        raise InputFileError(f"{path}: devset not found")
    out: list[Record] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            rec = Record(obj["id"], obj["text"], obj.get("source", ""), obj["gold"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputFileError(f"{path}:{n}: not a devset record ({exc})") from None
        for g in rec.gold:
            if rec.text[g["start"] : g["end"]] != g["surface"]:
                raise InputFileError(f"{path}:{n}: gold span {g} does not match the text")
        out.append(rec)
    return out


def _resolves(gold_place: str, place: Place, gazetteer) -> bool:
    if gold_place in (place.id, place.name) or gold_place in place.aliases:
        return True
    try:
        return [p.id for p in gazetteer.lookup(gold_place)][:1] == [place.id]
    except Exception:  # noqa: BLE001 - a lookup failure simply means "not the same place"
        return False


def evaluate(extractor, records: list[Record]) -> Report:
    """Score `extractor` (geo.extract.Extractor) on the devset records."""
    overall = Score()
    per_kind: dict[str, Score] = {}
    rep = Report(overall, per_kind)
    gz = extractor.gazetteer
    for rec in records:
        pred: list[Mention] = extractor.extract(rec.text)
        gold = {(g["start"], g["end"]): g for g in rec.gold}
        seen: set[tuple[int, int]] = set()
        for m in pred:
            key = (m.start, m.end)
            place = extractor.place(m.place_id)
            if key in gold and key not in seen:
                seen.add(key)
                g = gold[key]
                overall.tp += 1
                per_kind.setdefault(g["kind"], Score()).tp += 1
                if _resolves(g["place"], place, gz):
                    rep.resolved_ok += 1
                else:
                    rep.wrong_place.append((rec.id, m.surface, g["place"], f"{place.name} ({place.id})"))
            else:
                overall.fp += 1
                per_kind.setdefault(devset_kind(place), Score()).fp += 1
                rep.false_positives.append((rec.id, m.start, m.end, m.surface, f"{place.name} ({place.id})"))
        for key, g in gold.items():
            if key not in seen:
                overall.fn += 1
                per_kind.setdefault(g["kind"], Score()).fn += 1
                rep.false_negatives.append((rec.id, g["start"], g["end"], g["surface"], g["place"]))
    return rep


def render(rep: Report, details: bool = True) -> str:
    """The report as text: overall and per-kind P/R/F1, then the errors."""
    o = rep.overall
    lines = [
        f"overall  P={o.precision:.3f}  R={o.recall:.3f}  F1={o.f1:.3f}  (tp={o.tp} fp={o.fp} fn={o.fn})",
        f"resolution: {rep.resolved_ok}/{o.tp} correct spans resolve to the gold place",
        "",
        f"{'kind':<12}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>5}{'fn':>5}",
    ]
    for kind in sorted(rep.per_kind, key=lambda k: -(rep.per_kind[k].tp + rep.per_kind[k].fn)):
        s = rep.per_kind[kind]
        lines.append(f"{kind:<12}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>6}{s.fp:>5}{s.fn:>5}")
    if details:
        lines += ["", f"false positives ({len(rep.false_positives)}):"]
        lines += [f"  {i} [{s},{e}) {surf} → {p}" for i, s, e, surf, p in rep.false_positives]
        lines += ["", f"false negatives ({len(rep.false_negatives)}):"]
        lines += [f"  {i} [{s},{e}) {surf} (gold {p})" for i, s, e, surf, p in rep.false_negatives]
        lines += ["", f"wrong place ({len(rep.wrong_place)}):"]
        lines += [f"  {i} {surf}: gold {g}, got {p}" for i, surf, g, p in rep.wrong_place]
        counts = Counter(surf for _, _, _, surf, _ in rep.false_negatives)
        if counts:
            lines += ["", "most missed: " + ", ".join(f"{s}×{n}" for s, n in counts.most_common(15))]
    return "\n".join(lines)
