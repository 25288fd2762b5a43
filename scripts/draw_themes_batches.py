"""Draw batches 3 and 4 of the hand-annotated theme sample: fresh parts, drawn before any tuning on them.

Where the data comes from: layers/index.json (clause ids, documents, heading paths, texts, in index
order) and the lines of tests/data/themes_sample.jsonl before the batch (left out: 370 for batch 3,
520 for batch 4). The draw never looks at the theme assignment: up to 2 clauses of every document
with clauses left (random.Random(seed)); 4 extra clauses from each document whose *title* is about a
theme that was below target on the first 370 lines (开放合作, 农业, 数字经济, 科技创新, 产业,
体制机制, 空间格局), fixed before the draw (seed + 1); the rest uniform up to the batch size
(seed + 2); then shuffled (seed + 3). Batch 3: seed 3030, 150 clauses; batch 4: seed 4040, 200.
See tests/data/THEMES_ANNOTATION.md.

`python scripts/draw_themes_batches.py [3|4]` prints the drawn lines (id, heading path, text) as JSON lines.
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCHES: dict[int, tuple[int, int, int]] = {3: (370, 150, 3030), 4: (520, 200, 4040)}  # lines before, size, seed
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


def draw(batch: int = 3) -> list[dict]:
    before, total, seed = BATCHES[batch]
    index = json.loads((ROOT / "layers" / "index.json").read_text(encoding="utf-8"))
    sample = (ROOT / "tests" / "data" / "themes_sample.jsonl").read_text(encoding="utf-8").splitlines()
    done = {json.loads(line)["id"] for line in sample[:before]}
    clauses = [c for c in index["clauses"] if c["id"] not in done]
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for c in clauses:
        by_doc[c["doc_id"]].append(c)
    rng = random.Random(seed)
    chosen: list[dict] = []
    for doc in sorted(by_doc):
        chosen += rng.sample(by_doc[doc], min(PER_DOC, len(by_doc[doc])))
    taken = {c["id"] for c in chosen}
    rng = random.Random(seed + 1)
    for doc, n in TOPICAL_DOCS.items():
        rest = [c for c in by_doc[doc] if c["id"] not in taken]
        extra = rng.sample(rest, min(n, len(rest)))
        chosen += extra
        taken |= {c["id"] for c in extra}
    rest = [c for c in clauses if c["id"] not in taken]
    chosen += random.Random(seed + 2).sample(rest, total - len(chosen))
    random.Random(seed + 3).shuffle(chosen)
    return [{"id": c["id"], "path": c["path"], "text": c["text"]} for c in chosen]


if __name__ == "__main__":
    for row in draw(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
        print(json.dumps(row, ensure_ascii=False))
