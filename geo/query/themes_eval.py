"""Precision and recall of the theme assignment per theme, on the hand-annotated sample.

Where the data comes from: tests/data/themes_sample.jsonl (`{"id", "themes"}` per line, annotated
by hand before the assignment existed; see tests/data/THEMES_ANNOTATION.md), the clauses' heading
paths and texts from layers/atlas.sqlite (geo.query.store), and the keyword table
data/themes.csv (geo.layers.themes), re-applied here so that an edited table is measured before
the next `geo build`. `python -m geo themes-eval` prints the table.

Agreement: tests/data/themes_sample_annotator2.jsonl holds a second, independent annotation of
the 120 held-out lines and of batch 6 (250 lines), in sample order (made blind, from
THEMES_ANNOTATION.md's themes and rules only).
`agreement` scores two annotations against each other per theme (the second annotator's precision
and recall against the first, F1, Cohen's kappa); `agreement_report` sets them beside the
assignment's precision and recall against each annotator (`python -m geo themes-eval --agreement
[--part held-out|batch6]`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from geo import settings
from geo.errors import PlanAtlasError
from geo.layers import ThemeTable, load_themes
from geo.query.store import AtlasStore

__all__ = [
    "PARTS",
    "PART_LINES",
    "Agreement",
    "AgreementRow",
    "ThemeScore",
    "agreement",
    "agreement_report",
    "evaluate_themes",
    "format_agreement",
    "format_scores",
    "sample_path",
    "second_sample_path",
]

# Parts of the sample, as 0-based half-open line ranges (THEMES_ANNOTATION.md). Batch 1 (lines
# 1-170): 130 stratified dev lines, then 40 held-out; batch 2 (lines 171-370, drawn and split before
# annotation): 120 dev, then 80 held-out. Rounds 1 and 2 tuned the table looking only at "dev"; round 3
# tuned it on batches 1-3 (lines 1-520) and scored batch 4 once; round 4 tuned it on "tuned" (batches
# 1-5, lines 1-970), and "test" (batch 6, lines 971-1220, annotated blind before any scoring) was
# scored once at the end. Each batch was scored once, untuned, before any tuning on it.
PART_LINES: dict[str, tuple[tuple[int, int], ...]] = {
    "dev": ((0, 130), (170, 290)),
    "held-out": ((130, 170), (290, 370)),
    "batch1": ((0, 170),),
    "batch2": ((170, 370),),
    "batch3": ((370, 520),),
    "batch4": ((520, 720),),
    "batch5": ((720, 970),),
    "batch6": ((970, 1220),),
    "tuned": ((0, 970),),
    "test": ((970, 1220),),
}
PARTS: tuple[str, ...] = ("all", *PART_LINES)


def sample_path() -> Path:
    """tests/data/themes_sample.jsonl."""
    return settings.ROOT / "tests" / "data" / "themes_sample.jsonl"


def second_sample_path() -> Path:
    """tests/data/themes_sample_annotator2.jsonl: second annotators' labels of the held-out lines and batch 6."""
    return settings.ROOT / "tests" / "data" / "themes_sample_annotator2.jsonl"


def _precision(hits: int, given: int, expected: int) -> float:
    """hits / given; with nothing given, 1.0 when nothing was expected either, else 0.0."""
    return hits / given if given else (1.0 if not expected else 0.0)


def _recall(hits: int, expected: int) -> float:
    """hits / expected; 1.0 when nothing was expected."""
    return hits / expected if expected else 1.0


@dataclass(frozen=True)
class ThemeScore:
    """Counts and scores of one theme (or "(all)": micro-averaged over every theme)."""

    theme: str
    support: int  # clauses annotated with the theme
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return _precision(self.correct, self.predicted, self.support)

    @property
    def recall(self) -> float:
        return _recall(self.correct, self.support)


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
    one part of it (see PART_LINES): "tuned" (lines the table was tuned on), "test" (never tuned on),
"dev" and "held-out" (the first 370 lines' split), or one batch."""
    table = table or load_themes()
    return _score_rule(store, table, _part_rows(_read_sample(sample or sample_path()), part))


def _part_rows(rows: list[dict], part: str) -> list[dict]:
    """The sample lines of `part` (see PART_LINES; "all": every line), in file order."""
    if part not in PARTS:
        raise PlanAtlasError(f"part {part!r}: use one of {', '.join(PARTS)}")
    return rows if part == "all" else [r for a, b in PART_LINES[part] for r in rows[a:b]]


def _score_rule(store: AtlasStore, table: ThemeTable, rows: list[dict]) -> tuple[list[ThemeScore], list[dict]]:
    """The assignment's scores against the labelled `rows` (and the clauses where they differ)."""
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


# -- agreement between two annotators -------------------------------------------------------------


@dataclass(frozen=True)
class Agreement:
    """How two annotations agree on one theme (or "(all)": every clause-theme pair pooled).

    `first` and `second` count the clauses each annotator gave the theme, `both` those both gave
    it, `clauses` the clauses (times the themes, for "(all)") both annotated."""

    theme: str
    first: int
    second: int
    both: int
    clauses: int

    @property
    def precision(self) -> float:
        """The second annotator's precision against the first."""
        return _precision(self.both, self.second, self.first)

    @property
    def recall(self) -> float:
        """The second annotator's recall against the first."""
        return _recall(self.both, self.first)

    @property
    def f1(self) -> float:
        """Symmetric: 2·both / (first + second); 1.0 when neither gave the theme."""
        total = self.first + self.second
        return 2 * self.both / total if total else 1.0

    @property
    def kappa(self) -> float:
        """Cohen's kappa of the yes/no decision over the clauses (1.0 when both never or always agree
        by construction, i.e. the chance agreement is 1)."""
        n = self.clauses
        if not n:
            return 1.0
        observed = (n - self.first - self.second + 2 * self.both) / n
        p1, p2 = self.first / n, self.second / n
        chance = p1 * p2 + (1 - p1) * (1 - p2)
        return 1.0 if chance >= 1.0 else (observed - chance) / (1 - chance)


def agreement(
    first: Mapping[str, Iterable[str]], second: Mapping[str, Iterable[str]], themes: Iterable[str]
) -> list[Agreement]:
    """Per theme (in the order given) and "(all)", how `second` agrees with `first`; both map a
    clause id to its themes and must label the same clauses."""
    if set(first) != set(second):
        only = sorted(set(first) ^ set(second))
        raise PlanAtlasError(f"the two annotations label different clauses, e.g. {', '.join(only[:5])}")
    names = list(themes)
    a = {k: set(v) for k, v in first.items()}
    b = {k: set(v) for k, v in second.items()}
    unknown = sorted(set().union(*a.values(), *b.values()) - set(names)) if a else []
    if unknown:
        raise PlanAtlasError(f"the annotations use themes not in the table: {', '.join(unknown)}")
    rows = [
        Agreement(
            t,
            sum(t in v for v in a.values()),
            sum(t in v for v in b.values()),
            sum(t in a[k] and t in b[k] for k in a),
            len(a),
        )
        for t in names
    ]
    total = Agreement("(all)", *(sum(getattr(r, f) for r in rows) for f in ("first", "second", "both", "clauses")))
    return [*rows, total]


@dataclass(frozen=True)
class AgreementRow:
    """One theme: the annotators' agreement and the assignment scored against each annotator."""

    humans: Agreement
    rule_vs_first: ThemeScore
    rule_vs_second: ThemeScore


def agreement_report(
    store: AtlasStore,
    table: ThemeTable | None = None,
    sample: Path | None = None,
    second: Path | None = None,
    part: str = "all",
) -> list[AgreementRow]:
    """On the clauses of the second annotation (the 120 held-out lines and batch 6), or on those of
    one part of the sample (see PART_LINES): per theme and "(all)", the second annotator against the
    first and the assignment against each of them."""
    a_list = _read_sample(sample or sample_path())
    in_part = {r["id"] for r in _part_rows(a_list, part)}
    table = table or load_themes()
    b_rows = _read_sample(second or second_sample_path())
    ids = [r["id"] for r in b_rows]
    if len(set(ids)) != len(ids):
        raise PlanAtlasError("the second annotation labels a clause twice")
    if part != "all":
        b_rows = [r for r in b_rows if r["id"] in in_part]
        if not b_rows:
            raise PlanAtlasError(f"the second annotation labels no clause of part {part!r}")
        ids = [r["id"] for r in b_rows]
    a_all = {r["id"]: r for r in a_list}
    missing = [i for i in ids if i not in a_all]
    if missing:
        raise PlanAtlasError(f"clauses of the second annotation not in the first: {', '.join(missing[:5])}")
    a_rows = [a_all[i] for i in ids]
    humans = agreement({r["id"]: r["themes"] for r in a_rows}, {r["id"]: r["themes"] for r in b_rows}, table.names)
    vs_a, _ = _score_rule(store, table, a_rows)
    vs_b, _ = _score_rule(store, table, b_rows)
    return [AgreementRow(h, x, y) for h, x, y in zip(humans, vs_a, vs_b, strict=True)]


def format_agreement(rows: list[AgreementRow]) -> str:
    """A fixed-width table: supports, annotator 2 against 1 (P, R, F1, kappa), rule against each."""
    head = (
        f"{'theme':<8} {'a1':>3} {'a2':>3} {'both':>4} {'a2 P':>6} {'a2 R':>6} {'F1':>6} {'kappa':>6}"
        f" {'rule/a1 P':>9} {'R':>6} {'rule/a2 P':>9} {'R':>6}"
    )
    lines = [head]
    for r in rows:
        h, x, y = r.humans, r.rule_vs_first, r.rule_vs_second
        lines.append(
            f"{h.theme:<8} {h.first:>3} {h.second:>3} {h.both:>4} {h.precision:>6.3f} {h.recall:>6.3f}"
            f" {h.f1:>6.3f} {h.kappa:>6.3f} {x.precision:>9.3f} {x.recall:>6.3f} {y.precision:>9.3f} {y.recall:>6.3f}"
        )
    return "\n".join(lines)
