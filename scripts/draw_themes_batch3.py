"""Draw the third batch of the hand-annotated theme sample: a fresh test part, never tuned on.

Where the data comes from: layers/index.json (clause ids, documents, heading paths, texts, in index
order) and the 370 lines of tests/data/themes_sample.jsonl at the time of the draw (left out). The
draw never looks at the theme assignment: up to 2 clauses of every document with clauses left
(random.Random(3030)); 4 extra clauses from each document whose *title* is about a theme that was
below target on the first 370 lines (开放合作, 农业, 数字经济, 科技创新, 产业, 体制机制, 空间格局),
fixed before the draw (random.Random(3031)); the rest uniform up to 150 (random.Random(3032)); then
shuffled (random.Random(3033)). See tests/data/THEMES_ANNOTATION.md.

`python scripts/draw_themes_batch3.py` prints the drawn lines (id, heading path, text) as JSON lines.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_LINES = 370  # batches 1 and 2
PER_DOC = 2
TOPICAL_DOCS: dict[str, int] = {
    "2022-inland-opening-highland-plan": 4,  # 开放合作
    "2022-port-logistics-plan": 4,  # 开放合作
    "2021-modern-agriculture-belt-plan": 4,  # 农业
    "2022-industrial-internet-work-points": 4,  # 数字经济
    "2023-western-science-city-opinion": 4,  # 科技创新
    "2023-aluminium-industry-chain-plan": 4,  # 产业
    "2023-market-reform-research": 4,  # 体制机制
    "2023-chuannan-yuxi-integration-plan": 4,  # 空间格局 (a regional integration plan)
}
TOTAL = 150


def draw() -> list[dict]:
    index = json.loads((ROOT / "layers" / "index.json").read_text(encoding="utf-8"))
    sample = (ROOT / "tests" / "data" / "themes_sample.jsonl").read_text(encoding="utf-8").splitlines()
    done = {json.loads(line)["id"] for line in sample[:SAMPLE_LINES]}
    clauses = [c for c in index["clauses"] if c["id"] not in done]
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for c in clauses:
        by_doc[c["doc_id"]].append(c)
    rng = random.Random(3030)
    chosen: list[dict] = []
    for doc in sorted(by_doc):
        chosen += rng.sample(by_doc[doc], min(PER_DOC, len(by_doc[doc])))
    taken = {c["id"] for c in chosen}
    rng = random.Random(3031)
    for doc, n in TOPICAL_DOCS.items():
        rest = [c for c in by_doc[doc] if c["id"] not in taken]
        extra = rng.sample(rest, min(n, len(rest)))
        chosen += extra
        taken |= {c["id"] for c in extra}
    rest = [c for c in clauses if c["id"] not in taken]
    chosen += random.Random(3032).sample(rest, TOTAL - len(chosen))
    random.Random(3033).shuffle(chosen)
    return [{"id": c["id"], "path": c["path"], "text": c["text"]} for c in chosen]


if __name__ == "__main__":
    for row in draw():
        print(json.dumps(row, ensure_ascii=False))
