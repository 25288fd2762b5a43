"""Draw the second batch of the hand-annotated theme sample (tests/data/themes_sample.jsonl).

Where the data comes from: layers/index.json (clause ids, documents, in index order) and the first
170 lines of tests/data/themes_sample.jsonl (left out). The draw never looks at the theme
assignment: clauses are chosen by document and uniformly, with extra clauses from documents whose
*title* is about a theme with little support (农业, 数字经济, 公共服务, 城乡融合), fixed before
any prediction was seen. See tests/data/THEMES_ANNOTATION.md.

`python scripts/draw_themes_sample.py` prints the drawn lines (id, part, heading path, text) as
JSON lines with an empty "themes" list, in file order: the 120 dev lines, then the 80 held-out lines.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_BATCH = 170
PER_DOC = 3  # stratum A: up to 3 clauses of every document (random.Random(2026))
# stratum B: documents whose title is about a theme with little support in the first batch
TOPICAL_DOCS: dict[str, int] = {
    "2021-modern-agriculture-belt-plan": 8,  # 农业
    "2021-neijiang-rongchang-agri-zone-reply": 2,  # 农业
    "2022-industrial-internet-work-points": 6,  # 数字经济
    "2021-education-action-plan": 5,  # 公共服务
    "2021-convenient-living-action-plan": 5,  # 公共服务
    "2022-chongqing-metropolitan-plan": 6,  # 城乡融合 (a metropolitan plan has an urban–rural part)
    "2023-chuannan-yuxi-integration-plan": 4,  # 城乡融合
}
TOTAL = 200  # stratum C: uniform over the rest up to TOTAL (random.Random(2028))
DEV = 120  # split after a shuffle (random.Random(2029)): first DEV lines dev, the rest held-out


def draw() -> list[dict]:
    index = json.loads((ROOT / "layers" / "index.json").read_text(encoding="utf-8"))
    sample = (ROOT / "tests" / "data" / "themes_sample.jsonl").read_text(encoding="utf-8").splitlines()
    done = {json.loads(line)["id"] for line in sample[:FIRST_BATCH]}
    clauses = [c for c in index["clauses"] if c["id"] not in done]
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for c in clauses:
        by_doc[c["doc_id"]].append(c)
    rng = random.Random(2026)
    chosen: list[dict] = []
    for doc in sorted(by_doc):
        chosen += rng.sample(by_doc[doc], min(PER_DOC, len(by_doc[doc])))
    taken = {c["id"] for c in chosen}
    rng = random.Random(2027)
    for doc, n in TOPICAL_DOCS.items():
        rest = [c for c in by_doc[doc] if c["id"] not in taken]
        extra = rng.sample(rest, min(n, len(rest)))
        chosen += extra
        taken |= {c["id"] for c in extra}
    rest = [c for c in clauses if c["id"] not in taken]
    chosen += random.Random(2028).sample(rest, TOTAL - len(chosen))
    random.Random(2029).shuffle(chosen)
    return [
        {"id": c["id"], "part": "dev" if i < DEV else "held-out", "path": c["path"], "text": c["text"]}
        for i, c in enumerate(chosen)
    ]


if __name__ == "__main__":
    for row in draw():
        print(json.dumps(row, ensure_ascii=False))
