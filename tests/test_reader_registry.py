"""The readers registry (geo.corpus.readers): a toy format registered in a few lines is accepted by
`geo add` (the CLI's main, in process, on a temporary root) and listed by the upload view's
accepted types (AppTest)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_upload_files
from streamlit.testing.v1 import AppTest
from test_upload_files import PLAN_TITLE, plan_text

from geo import settings
from geo.corpus import load_corpus
from geo.corpus.readers import Reader, register_reader, supported_extensions, unregister_reader

template_root = test_upload_files.template_root
plan_root = test_upload_files.plan_root


@pytest.fixture()
def toy() -> Iterator[Reader]:
    """A ".toy" plan: UTF-8 text whose lines are separated by "~"."""
    reader = register_reader(Reader((".toy",), "toy plan", lambda name, data: data.decode().replace("~", "\n"),
                                    bounded=False))
    yield reader
    unregister_reader(".toy")


def test_toy_reader_accepted_by_the_add_command(toy: Reader, plan_root: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from geo.cli.main import build_parser, main

    assert ".toy" in supported_extensions()
    assert ".toy" in build_parser()._subparsers._group_actions[0].choices["add"].description  # type: ignore[union-attr]
    for name, value in (("ROOT", plan_root), ("DATA_DIR", plan_root / "data"),
                        ("DOCS_DIR", plan_root / "data" / "docs"), ("LAYERS_DIR", plan_root / "layers"),
                        ("GAZETTEER_DIR", plan_root / "data" / "gazetteer")):
        monkeypatch.setattr(settings, name, value)
    plan = tmp_path / "plan.toy"
    plan.write_bytes(plan_text().replace("\n", "~").encode())
    assert main(["add", "-q", str(plan)]) == 0, capsys.readouterr().err
    assert PLAN_TITLE in {d.title for d in load_corpus(plan_root / "data" / "docs").documents}
    assert list((plan_root / "data" / "docs" / "originals").glob("*.toy"))


def test_toy_reader_listed_by_the_upload_view(toy: Reader) -> None:
    at = AppTest.from_string(textwrap.dedent(
        """
        from geo.viewer.upload_view import render_upload_panel

        render_upload_panel(None)
        """
    ), default_timeout=60)
    at.run()
    assert not at.exception
    allowed = {t.lstrip(".") for t in at.file_uploader[0].allowed_type}
    assert {"txt", "docx", "pdf", "toy"} <= allowed, allowed
