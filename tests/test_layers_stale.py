"""geo.layers.layers_older_than_data: the check the app uses to warn that layers/ was built from
other data than data/ holds (input checksums in layers/manifest.json against data/ as it is)."""

from __future__ import annotations

import shutil
from pathlib import Path

import test_upload_files

from geo.layers import layers_older_than_data, stale_inputs

template_root = test_upload_files.template_root
plan_root = test_upload_files.plan_root


def test_fresh_layers_are_not_stale(plan_root: Path) -> None:
    assert layers_older_than_data(plan_root) is False


def test_changed_docs_or_missing_layers_are_stale(plan_root: Path) -> None:
    doc = sorted((plan_root / "data" / "docs").glob("*.txt"))[0]
    doc.write_bytes(doc.read_bytes() + "\n补充一句。\n".encode())
    assert layers_older_than_data(plan_root) is True
    assert stale_inputs(plan_root / "layers", plan_root / "data" / "docs", plan_root / "data" / "gazetteer") == [
        "corpus_sha256"]
    shutil.rmtree(plan_root / "layers")
    assert layers_older_than_data(plan_root) is True
