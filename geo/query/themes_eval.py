"""Precision and recall of the theme assignment per theme, on the hand-annotated sample.

Where the data comes from: tests/data/themes_sample.jsonl (`{"id", "themes"}` per line, annotated
by hand before the assignment existed; see tests/data/THEMES_ANNOTATION.md), the clauses' heading
paths and texts from layers/atlas.sqlite (geo.query.store), and the keyword table
data/themes.csv (geo.layers.themes), re-applied here so that an edited table is measured before
the next `geo build`. `python -m geo themes-eval` prints the table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from geo import settings
from geo.errors import PlanAtlasError
from geo.layers import ThemeTable, load_themes
from geo.query.store import AtlasStore

__all__ = ["PARTS", "PART_LINES", "ThemeScore", "evaluate_themes", "format_scores", "sample_path"]

# Parts of the sample, as 0-based half-open line ranges (THEMES_ANNOTATION.md). Batch 1 (lines
# 1-170): 130 stratified dev lines, then 40 held-out; batch 2 (lines 171-370, drawn and split before
# annotation): 120 dev, then 80 held-out. The table and rules were tuned looking only at "dev".
PART_LINES: dict[str, tuple[tuple[int, int], ...]] = {
    "dev": ((0, 130), (170, 290)),
    "held-out": ((130, 170), (290, 370)),
    "batch1": ((0, 170),),
    "batch2": ((170, 370),),
}
PARTS: tuple[str, ...] = ("all", *PART_LINES)


def sample_path() -> Path:
    """tests/data/themes_sample.jsonl."""
    return settings.ROOT / "tests" / "data" / "themes_sample.jsonl"


@dataclass(frozen=True)
class ThemeScore:
    """Counts and scores of one theme (or "(all)": micro-averaged over every theme)."""

    theme: str
    support: int  # clauses annotated with the theme
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else (1.0 if not self.support else 0.0)

    @property
    def recall(self) -> float:
        return self.correct / self.support if self.support else 1.0


def _read_sample(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise PlanAtlasError(f"{path} cannot be read ({exc})") from exc
    out = []
    for n, line in enumerate(lines, start=1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise PlanAtlasError(f"{path} line {n}: not JSON ({exc})") from exc
    return out


def evaluate_themes(
    store: AtlasStore, table: ThemeTable | None = None, sample: Path | None = None, part: str = "all"
) -> tuple[list[ThemeScore], list[dict]]:
    """(scores per theme in table order plus "(all)", per-clause differences) on the sample, or on
    one part of it: "dev" (tuned on), "held-out", "batch1" or "batch2" (see PART_LINES)."""
    if part not in PARTS:
        raise PlanAtlasError(f"part {part!r}: use one of {', '.join(PARTS)}")
    table = table or load_themes()
    rows = _read_sample(sample or sample_path())
    if part != "all":
        rows = [r for a, b in PART_LINES[part] for r in rows[a:b]]
    clauses = {c["id"]: c for c in store.clauses(r["id"] for r in rows)}
    missing = [r["id"] for r in rows if r["id"] not in clauses]
    if missing:
        raise PlanAtlasError(f"sample clauses not in layers/: {', '.join(missing[:5])}; was the corpus rebuilt?")
    unknown = sorted({t for r in rows for t in r["themes"]} - set(table.names))
    if unknown:
        raise PlanAtlasError(f"the sample uses themes the table lacks: {', '.join(unknown)}")
    counts = {n: [0, 0, 0] for n in table.names}
    diffs = []
    for r in rows:
        c = clauses[r["id"]]
        gold, got = set(r["themes"]), set(table.assign(c["path"], c["text"]))
        for n in gold:
            counts[n][0] += 1
        for n in got:
            counts[n][1] += 1
        for n in gold & got:
            counts[n][2] += 1
        if gold != got:
            diffs.append({"id": r["id"], "missed": sorted(gold - got), "extra": sorted(got - gold)})
    scores = [ThemeScore(n, *counts[n]) for n in table.names]
    total = ThemeScore("(all)", *(sum(s[i] for s in counts.values()) for i in range(3)))
    return [*scores, total], diffs


def format_scores(scores: list[ThemeScore], target: float = 0.85) -> str:
    """A fixed-width table: theme, support, predicted, precision, recall, below-target mark."""
    lines = [f"{'theme':<8} {'support':>7} {'predicted':>9} {'precision':>9} {'recall':>7}"]
    for s in scores:
        flag = "" if min(s.precision, s.recall) >= target else f"  < {target}"
        lines.append(f"{s.theme:<8} {s.support:>7} {s.predicted:>9} {s.precision:>9.3f} {s.recall:>7.3f}{flag}")
    return "\n".join(lines)
