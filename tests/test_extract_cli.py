"""`python -m geo extract|place|evaluate` through geo.cli.main: output shapes and error handling."""

from __future__ import annotations

import io
import json
import sys

import pytest

from geo.cli.main import main


def run(
    argv: list[str], stdin: str = "", monkeypatch: pytest.MonkeyPatch | None = None
) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
    try:
        code = main(argv)
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
    return code, out.getvalue(), err.getvalue()


def test_extract_jsonl_one_line_per_input() -> None:
    lines = [
        {"id": "a", "text": "推进重庆江北国际机场改扩建"},
        {"id": 2, "text": "（责任单位：重庆市交通局）"},
    ]
    code, out, _ = run(["extract", "--jsonl"], "\n".join(json.dumps(x, ensure_ascii=False) for x in lines))
    assert code == 0
    recs = [json.loads(x) for x in out.splitlines()]
    assert [r["id"] for r in recs] == ["a", 2]
    m = recs[0]["mentions"][0]
    assert set(m) == {"start", "end", "surface", "place_id", "name", "kind", "adcode", "confidence", "rule"}
    assert lines[0]["text"][m["start"] : m["end"]] == m["surface"] == "重庆江北国际机场"
    assert (m["rule"], m["confidence"]) == ("exact name", 1.0)
    assert recs[1]["mentions"] == []


def test_extract_jsonl_reports_rule_and_confidence_of_web_text_forms() -> None:
    text = "推進成自卢赤高速和萬州港建設"
    code, out, _ = run(["extract", "--jsonl"], json.dumps({"id": "w", "text": text}, ensure_ascii=False))
    assert code == 0
    got = [(m["surface"], m["rule"], m["confidence"]) for m in json.loads(out)["mentions"]]
    assert got[0] == ("成自卢赤高速", "variant", 0.6)
    assert got[1][0] == "萬州港" and got[1][1] == "traditional" and got[1][2] < 1.0
    for m in json.loads(out)["mentions"]:
        assert text[m["start"] : m["end"]] == m["surface"]


@pytest.mark.parametrize(
    "stdin, message",
    [
        ('{"id": "a", "text": "成都"}\nnot json\n', "line 2: invalid JSON"),
        ('{"id": "a"}\n', "line 1: missing field(s) text"),
        ('["a", "b"]\n', "line 1: expected a JSON object"),
        ('{"id": "a", "text": 3}\n', 'line 1: "text" must be a string'),
    ],
)
def test_extract_jsonl_bad_input(stdin: str, message: str) -> None:
    code, _, err = run(["extract", "--jsonl"], stdin)
    assert code == 1
    assert message in err
    assert "Traceback" not in err


def test_extract_file(tmp_path) -> None:
    p = tmp_path / "plan.txt"
    p.write_bytes("支持万州、达州、开州共建川渝统筹发展示范区".encode("gb18030"))
    code, out, _ = run(["extract", str(p)])
    assert code == 0
    rec = json.loads(out)
    assert rec["id"] == "plan.txt"
    assert [m["surface"] for m in rec["mentions"]][:3] == ["万州", "达州", "开州"]


def test_extract_missing_file(tmp_path) -> None:
    code, _, err = run(["extract", str(tmp_path / "nope.txt")])
    assert code == 1 and "no such file" in err


def test_place_json_is_a_wgs84_feature_collection() -> None:
    code, out, _ = run(["place", "万达开", "重庆江北国际机场", "--json"])
    assert code == 0
    fc = json.loads(out)
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    assert [f["id"] for f in fc["features"]] == ["composite:wandakai", "airport:ckg"]
    lon, lat = fc["features"][1]["geometry"]["coordinates"]
    assert 106.4 < lon < 106.8 and 29.6 < lat < 29.9  # 江北机场, WGS-84


def test_place_unknown_name_exits_1() -> None:
    code, _, err = run(["place", "不存在的地方"])
    assert code == 1 and "unknown place" in err
