"""`python -m geo search|themes-eval|timeline|compare`: ask the plans from the command line (stage query).

Where the data comes from: layers/atlas.sqlite (geo.query.store), built by `python -m geo build`;
themes-eval also reads data/themes.csv and tests/data/themes_sample.jsonl.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from geo.query import PARTS, AtlasStore, atlas_path


def _store(args: argparse.Namespace) -> AtlasStore:
    return AtlasStore(atlas_path(Path(args.layers) if args.layers else None))


def _print_json(obj: object) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def _mark(text: str, spans: list[tuple[int, int]], color: bool) -> str:
    out, pos = [], 0
    a, b = ("\x1b[1;31m", "\x1b[0m") if color else ("【", "】")
    for s, e in spans:
        out += [text[pos:s], a, text[s:e], b]
        pos = e
    out.append(text[pos:])
    return "".join(out)


def _cmd_search(args: argparse.Namespace) -> int:
    from geo.query import Filters, search

    store = _store(args)
    docs = tuple(store.find_document(d) for d in args.doc or [])
    filters = Filters(docs, tuple(args.kind or []), args.since, args.until, tuple(args.theme or []))
    result = search(store, " ".join(args.query), filters, limit=None if args.json else args.limit)
    if args.json:
        _print_json(result.to_json())
        return 0
    names = store.place_names()
    print(f"{result.total} clauses match {result.parsed.describe() or '(filters only)'} [{result.method}]")
    for h in result.hits:
        heading = " > ".join(h.clause["path"])
        print(f"\n{h.clause['id']}  {h.document.get('date', '')}  {heading}")
        print("  " + _mark(h.clause["text"], h.spans, sys.stdout.isatty()))
    if result.total > len(result.hits):
        print(f"\n… {result.total - len(result.hits)} more (--limit, or --json for all)")
    top = list(result.place_counts.items())[:15]
    if top:
        print("\nplaces (matching clauses): " + "、".join(f"{names.get(p, p)} {n}" for p, n in top))
    return 0


def _cmd_themes_eval(args: argparse.Namespace) -> int:
    from geo.layers import load_themes
    from geo.query import evaluate_themes, format_scores

    table = load_themes(args.table) if args.table else None
    if args.agreement:
        return _themes_agreement(args, table)
    scores, diffs = evaluate_themes(_store(args), table, Path(args.sample) if args.sample else None, args.part)
    if args.json:
        _print_json(
            {
                "scores": [
                    {"theme": s.theme, "support": s.support, "predicted": s.predicted,
                     "precision": round(s.precision, 4), "recall": round(s.recall, 4)}
                    for s in scores
                ],
                "differences": diffs,
            }
        )
    else:
        print(format_scores(scores, args.target))
        if args.diffs:
            for d in diffs:
                print(f"{d['id']}: missed {','.join(d['missed']) or '-'}; extra {','.join(d['extra']) or '-'}")
    below = [s.theme for s in scores if min(s.precision, s.recall) < args.target and s.theme != "(all)"]
    return 1 if args.check and below else 0


def _themes_agreement(args: argparse.Namespace, table: object) -> int:
    """themes-eval --agreement: annotator 2 against annotator 1, and the rule against each."""
    from geo.query import agreement_report, format_agreement

    rows = agreement_report(
        _store(args),
        table,
        Path(args.sample) if args.sample else None,
        Path(args.second) if args.second else None,
        args.part,
    )
    if args.json:
        _print_json(
            [
                {"theme": r.humans.theme, "first": r.humans.first, "second": r.humans.second, "both": r.humans.both,
                 "precision": round(r.humans.precision, 4), "recall": round(r.humans.recall, 4),
                 "f1": round(r.humans.f1, 4), "kappa": round(r.humans.kappa, 4),
                 "rule_vs_first": [round(r.rule_vs_first.precision, 4), round(r.rule_vs_first.recall, 4)],
                 "rule_vs_second": [round(r.rule_vs_second.precision, 4), round(r.rule_vs_second.recall, 4)]}
                for r in rows
            ]
        )
    else:
        print(format_agreement(rows))
    return 0


def _cmd_timeline(args: argparse.Namespace) -> int:
    from geo.query import new_in_period

    store = _store(args)
    period = new_in_period(store, args.start or "1900", args.date, tuple(args.theme or []))
    if args.json:
        _print_json({"start": period.start, "end": period.end, "before": period.before, "new": period.new})
        return 0
    names = store.place_names()
    print(f"places named by documents dated on or before {period.end}: {len(period.before) + len(period.new)}")
    if args.start:
        print(f"new after {period.start}: " + "、".join(names.get(p, p) for p in sorted(period.new)))
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from geo.query import compare

    store = _store(args)
    cmp = compare(store, args.a, args.b)
    if args.json:
        _print_json(cmp.to_json())
        return 0
    names = store.place_names()
    for label, ids in (("both", cmp.both), (f"only {cmp.a}", cmp.only_a), (f"only {cmp.b}", cmp.only_b)):
        print(f"{label} ({len(ids)}): " + "、".join(names.get(p, p) for p in ids))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="full-text search of the clauses (layers/atlas.sqlite)")
    p.add_argument("query", nargs="*", help='words (AND), OR between words, -word to exclude, "a phrase"')
    p.add_argument("--doc", action="append", help="only this document (id or a unique part of id/title); repeatable")
    p.add_argument("--kind", action="append", help="only documents of this kind (规划, 方案 …); repeatable")
    p.add_argument("--since", help="only documents dated on or after (YYYY[-MM[-DD]])")
    p.add_argument("--until", help="only documents dated on or before (YYYY[-MM[-DD]])")
    p.add_argument("--theme", action="append", help="only clauses with this theme (交通, 能源 …); repeatable")
    p.add_argument("--limit", type=int, default=20, help="clauses printed (default 20; --json prints all)")
    p.add_argument("--json", action="store_true", help="JSON: total, per-document and per-place counts, hits with spans")
    p.add_argument("--layers", help="layers folder (default: layers/)")
    p.set_defaults(func=_cmd_search)
    # Let `-重庆` (an exclusion) through as a query word: argparse takes a token that matches this
    # parser's "negative number" pattern as a positional; options are the --long ones only.
    p._negative_number_matcher = re.compile(r"^-(?!-)")

    p = sub.add_parser("themes-eval", help="precision/recall of the theme assignment on the hand-annotated sample")
    p.add_argument("--table", help="keyword table (default data/themes.csv)")
    p.add_argument("--sample", help="annotated sample (default tests/data/themes_sample.jsonl)")
    p.add_argument("--part", choices=PARTS, default="all",
                   help="the whole sample; tuned (lines the table was tuned on) or test (never tuned on); "
                   "dev or held-out (the first 370 lines' split); or one batch")
    p.add_argument("--target", type=float, default=0.85, help="mark themes below this precision or recall")
    p.add_argument("--check", action="store_true", help="exit 1 when a theme is below the target")
    p.add_argument("--diffs", action="store_true", help="list the sample clauses whose themes differ")
    p.add_argument("--agreement", action="store_true",
                   help="lines annotated twice (held-out, batch 6; narrow with --part): annotator 2 against "
                   "annotator 1 per theme, and the rule against each")
    p.add_argument("--second", help="second annotation (default tests/data/themes_sample_annotator2.jsonl)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--layers", help="layers folder (default: layers/)")
    p.set_defaults(func=_cmd_themes_eval)

    p = sub.add_parser("timeline", help="places named by documents dated on or before a date")
    p.add_argument("date", help="YYYY[-MM[-DD]]")
    p.add_argument("--start", help="also list the places new after this date")
    p.add_argument("--theme", action="append", help="only clauses with this theme; repeatable")
    p.add_argument("--json", action="store_true")
    p.add_argument("--layers", help="layers folder (default: layers/)")
    p.set_defaults(func=_cmd_timeline)

    p = sub.add_parser("compare", help="places two documents share, and those only one names")
    p.add_argument("a", help="document id or a unique part of its id/title (纲要, 万达开)")
    p.add_argument("b")
    p.add_argument("--json", action="store_true")
    p.add_argument("--layers", help="layers folder (default: layers/)")
    p.set_defaults(func=_cmd_compare)
