"""Draw batches 2 to 6 of the hand-annotated theme sample, each before any tuning on it.

Where the data comes from: layers/index.json (clause ids, documents, heading paths, texts, in index
order) and the lines of tests/data/themes_sample.jsonl before the batch (left out: 170 for batch 2,
370 for batch 3, 520 for batch 4, 720 for batch 5, 970 for batch 6). The draw never looks at the theme assignment: up to `per_doc`
clauses of every document with clauses left (random.Random(seed)); extra clauses from documents whose
*title* is about a theme with little support or below target so far, fixed before the draw
(seed + 1); the rest uniform up to the batch size (seed + 2); then shuffled (seed + 3).
See tests/data/THEMES_ANNOTATION.md.

`python scripts/draw_themes_batches.py [2|3|4|5|6]` prints the drawn lines (id, heading path, text) as
JSON lines; scripts/draw_themes_sample.py prints batch 2 with its dev / held-out split.
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Batch:
    before: int  # sample lines already annotated (left out)
    size: int
    seed: int
    per_doc: int
    topical: dict[str, int]  # document id -> extra clauses (the document's title is about the theme)


# batch 2: themes with little support in batch 1
_BATCH2_TOPICAL = {
    "2021-modern-agriculture-belt-plan": 8,  # 农业
    "2021-neijiang-rongchang-agri-zone-reply": 2,  # 农业
    "2022-industrial-internet-work-points": 6,  # 数字经济
    "2021-education-action-plan": 5,  # 公共服务
    "2021-convenient-living-action-plan": 5,  # 公共服务
    "2022-chongqing-metropolitan-plan": 6,  # 城乡融合 (a metropolitan plan has an urban–rural part)
    "2023-chuannan-yuxi-integration-plan": 4,  # 城乡融合
}
# batches 3 and 4: themes below target on the first 370 lines
_BELOW_TARGET_TOPICAL = {
    "2022-inland-opening-highland-plan": 4,  # 开放合作
    "2022-port-logistics-plan": 4,  # 开放合作
    "2021-modern-agriculture-belt-plan": 4,  # 农业
    "2022-industrial-internet-work-points": 4,  # 数字经济
    "2023-western-science-city-opinion": 4,  # 科技创新
    "2023-aluminium-industry-chain-plan": 4,  # 产业
    "2023-market-reform-research": 4,  # 体制机制
    "2023-chuannan-yuxi-integration-plan": 4,  # 空间格局 (a regional integration plan)
}
# batch 5: themes below target on all 720 lines after the third round
_BATCH5_TOPICAL = {
    "2022-international-consumption-destination-plan": 4,  # 产业
    "2022-market-entities-measures": 4,  # 产业
    "2022-carbon-peak-neutrality-action-plan": 4,  # 生态环境
    "2022-zero-waste-cities-opinion": 4,  # 生态环境
    "2021-mingyueshan-belt-plan": 4,  # 生态环境 (a green-development belt)
    "2022-inland-opening-highland-plan": 4,  # 开放合作
    "2022-port-logistics-plan": 4,  # 开放合作
    "2021-convenient-living-action-plan": 4,  # 公共服务
    "2021-education-action-plan": 3,  # 公共服务
    "2023-market-reform-research": 4,  # 体制机制
    "2022-business-environment-plan": 4,  # 体制机制
    "2022-chongqing-metropolitan-plan": 4,  # 城乡融合
    "2021-modern-agriculture-belt-plan": 4,  # 农业
    "2023-chuannan-yuxi-integration-plan": 4,  # 空间格局
    "2023-wandakai-plan": 4,  # 空间格局
}
BATCHES: dict[int, Batch] = {
    2: Batch(170, 200, 2026, 3, _BATCH2_TOPICAL),
    3: Batch(370, 150, 3030, 2, _BELOW_TARGET_TOPICAL),
    4: Batch(520, 200, 4040, 2, _BELOW_TARGET_TOPICAL),
    5: Batch(720, 250, 5050, 2, _BATCH5_TOPICAL),
    6: Batch(970, 250, 6060, 2, _BATCH5_TOPICAL),
}


def draw(batch: int = 3) -> list[dict]:
    """The batch's clauses (`id`, `path`, `text`) in file order."""
    b = BATCHES[batch]
    index = json.loads((ROOT / "layers" / "index.json").read_text(encoding="utf-8"))
    sample = (ROOT / "tests" / "data" / "themes_sample.jsonl").read_text(encoding="utf-8").splitlines()
    done = {json.loads(line)["id"] for line in sample[: b.before]}
    clauses = [c for c in index["clauses"] if c["id"] not in done]
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for c in clauses:
        by_doc[c["doc_id"]].append(c)
    rng = random.Random(b.seed)
    chosen: list[dict] = []
    for doc in sorted(by_doc):
        chosen += rng.sample(by_doc[doc], min(b.per_doc, len(by_doc[doc])))
    taken = {c["id"] for c in chosen}
    rng = random.Random(b.seed + 1)
    for doc, n in b.topical.items():
        rest = [c for c in by_doc[doc] if c["id"] not in taken]
        extra = rng.sample(rest, min(n, len(rest)))
        chosen += extra
        taken |= {c["id"] for c in extra}
    rest = [c for c in clauses if c["id"] not in taken]
    chosen += random.Random(b.seed + 2).sample(rest, b.size - len(chosen))
    random.Random(b.seed + 3).shuffle(chosen)
    return [{"id": c["id"], "path": c["path"], "text": c["text"]} for c in chosen]


if __name__ == "__main__":
    for row in draw(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
        print(json.dumps(row, ensure_ascii=False))
