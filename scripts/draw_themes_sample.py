"""Draw the second batch of the hand-annotated theme sample (tests/data/themes_sample.jsonl), with
its dev / held-out split.

Where the data comes from: scripts/draw_themes_batches.py's batch 2 (layers/index.json, leaving out
the first 170 lines of tests/data/themes_sample.jsonl; by document, by documents whose *title* is
about a theme with little support — 农业, 数字经济, 公共服务, 城乡融合 — and uniformly; never the
theme assignment). See tests/data/THEMES_ANNOTATION.md.

`python scripts/draw_themes_sample.py` prints the drawn lines (id, part, heading path, text) as
JSON lines, in file order: the 120 dev lines, then the 80 held-out lines.
"""

from __future__ import annotations

import json

from draw_themes_batches import draw as draw_batch

DEV = 120  # the first DEV lines of the (shuffled) batch are dev, the rest held-out


def draw() -> list[dict]:
    return [
        {"id": c["id"], "part": "dev" if i < DEV else "held-out", "path": c["path"], "text": c["text"]}
        for i, c in enumerate(draw_batch(2))
    ]


if __name__ == "__main__":
    for row in draw():
        print(json.dumps(row, ensure_ascii=False))
