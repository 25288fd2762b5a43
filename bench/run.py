"""`make bench`: runs every bench/bench_*.py module and prints one table.

Each module exposes `run() -> list[Row]`. Figures are medians; where a baseline is measured in
the same run the table shows it and the ratio. Results are also written to bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import traceback
from dataclasses import asdict
from pathlib import Path

from bench.timing import Row

HERE = Path(__file__).resolve().parent


def _fmt(v: float | None, unit: str = "") -> str:
    if v is None:
        return "—"
    if abs(v) >= 100:
        s = f"{v:,.0f}"
    elif abs(v) >= 1:
        s = f"{v:.2f}"
    else:
        s = f"{v:.3f}"
    return f"{s} {unit}".strip()


def render(rows: list[Row]) -> str:
    """The benchmark table as fixed-width text."""
    header = ("area", "figure (median)", "value", "baseline (same run)", "baseline", "ratio", "target")
    lines = [
        (
            r.area,
            r.what,
            _fmt(r.value, r.unit),
            r.baseline_what or "—",
            _fmt(r.baseline, r.unit) if r.baseline is not None else "—",
            f"{r.ratio:.2f}×" if r.ratio is not None else "—",
            r.target or "—",
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=False)]
    out = [" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    out.append("-+-".join("-" * w for w in widths))
    out += [" | ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    notes = [f"  [{r.area}] {r.what}: {n}" for r in rows for n in r.notes]
    if notes:
        out += ["", "notes:", *notes]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("only", nargs="*", help="run only these bench modules (e.g. corpus extract)")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    failed = []
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))
    for name in names:
        if args.only and name.removeprefix("bench_") not in args.only:
            continue
        print(f"running {name} …", file=sys.stderr, flush=True)
        try:
            rows.extend(importlib.import_module(f"bench.{name}").run())
        except Exception:  # report and go on: one broken benchmark must not hide the others
            failed.append(name)
            traceback.print_exc()
    print(render(rows))
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps([asdict(r) | {"ratio": r.ratio} for r in rows], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    if failed:
        print(f"failed benchmarks: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
