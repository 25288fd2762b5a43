"""Concurrent adds of the same plan: exactly one wins (the duplicate check runs again under the lock).

On a temporary copy of data/ and layers/ (plan_root); the real ones are never touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import test_upload_files
from test_upload_files import PLAN_TITLE, REPO, make_docx, snapshot

from geo.corpus import load_corpus
from geo.errors import InputFileError
from geo.ingest import add_documents, prepare_documents
from geo.ingest.add import add_prepared

template_root = test_upload_files.template_root
plan_root = test_upload_files.plan_root


def _titles(root: Path) -> list[str]:
    return [d.title for d in load_corpus(root / "data" / "docs").documents]


def test_duplicate_prepared_before_the_other_add_is_refused_under_the_lock(plan_root: Path, tmp_path: Path) -> None:
    """B validated while A was running (the old race): B's write, under the lock, is refused."""
    plan = make_docx(tmp_path / "plan.docx")
    copy = tmp_path / "copy.docx"
    copy.write_bytes(plan.read_bytes())
    prepared_b = prepare_documents([copy], plan_root)  # nothing in the corpus yet: passes
    add_documents([plan], plan_root)  # A wins
    after_a = snapshot(plan_root)
    with pytest.raises(InputFileError, match="already in the corpus"):
        add_prepared(prepared_b, plan_root)
    assert snapshot(plan_root) == after_a
    assert _titles(plan_root).count(PLAN_TITLE) == 1


def test_two_processes_adding_the_same_plan_exactly_one_wins(plan_root: Path, tmp_path: Path) -> None:
    plan = make_docx(tmp_path / "plan.docx")
    other = tmp_path / "same-plan-again.docx"
    other.write_bytes(plan.read_bytes())
    env = {**os.environ, "PLAN_ATLAS_ROOT": str(plan_root), "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-m", "geo", "add", "-q", str(p)], cwd=REPO, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in (plan, other)]
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1], results
    loser = next(err for code, err in results if code == 1)
    assert "already in the corpus" in loser or "another `geo add`/`geo remove` is running" in loser, loser
    assert _titles(plan_root).count(PLAN_TITLE) == 1
    assert not (plan_root / "build" / "txn").exists()
