"""Add a user's plan to the corpus (`geo add`) or take it out again (`geo remove`), then rebuild layers/.

Where things go (under the root, `geo.settings.ROOT`, overridable with PLAN_ATLAS_ROOT):
- data/docs/<slug>.txt — what geo.corpus.load_corpus reads (it reads *.txt only): the file itself
  for a .txt upload, the extracted text (UTF-8) for a .docx or .pdf;
- data/docs/originals/<slug>.docx|.pdf — the original file, kept byte for byte;
- data/docs/MANIFEST.tsv — one appended row per added file: file, original_name, sha256 (of the
  original bytes), contents ("added by geo add <date> …: <titles>"). That prefix is what marks a
  document as user-added; the embedded corpus's documents cannot be removed.

Both operations validate and parse first (geo.readers in a bounded child process,
geo.corpus.parse_text; nothing is written if any file is bad or already in the corpus), then, under
the lock, check duplicates again, stage the future data/docs/ and build the future layers/ beside
the current ones (build/txn/; incremental caches: storage.cache_dir) and switch both in with the
journal of `geo.ingest.journal`: whatever kills the process, data/ and layers/ change together or not at
all, and the next `geo` command (or the app at start) finishes or rolls back the change.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from geo import settings, storage
from geo.corpus import read_bounded, read_input_bytes
from geo.errors import InputFileError, PlanAtlasError, UnknownDocumentError
from geo.ingest.journal import Change, change_lock, recover_locked
from geo.models import Document
from geo.storage import cache_dir

__all__ = [
    "ADDED_MARKER",
    "IngestPaths",
    "Prepared",
    "add_documents",
    "prepare_documents",
    "remove_document",
    "safe_name",
    "user_files",
]

MANIFEST_NAME: str = "MANIFEST.tsv"
MANIFEST_HEADER: tuple[str, ...] = ("file", "original_name", "sha256", "contents")
ORIGINALS_DIR: str = "originals"
ADDED_MARKER: str = "added by geo add"

Source = Path | str | tuple[str, bytes]


@dataclass(frozen=True)
class IngestPaths:
    """The folders an add/remove reads and writes, all under one root."""

    root: Path

    @classmethod
    def of(cls, root: Path | str | None = None) -> IngestPaths:
        return cls(Path(root) if root is not None else settings.ROOT)

    @property
    def docs(self) -> Path:
        return self.root / "data" / "docs"

    @property
    def gazetteer(self) -> Path:
        return self.root / "data" / "gazetteer"

    @property
    def layers(self) -> Path:
        return self.root / "layers"

    @property
    def cache(self) -> Path | None:
        return cache_dir("build")

    @property
    def manifest(self) -> Path:
        return self.docs / MANIFEST_NAME

    @property
    def originals(self) -> Path:
        return self.docs / ORIGINALS_DIR


@dataclass
class Prepared:
    """One validated, parsed input file, ready to be written (nothing written yet)."""

    name: str  # the original file name
    data: bytes  # the original bytes
    sha256: str  # of `data`
    text: str  # the extracted text
    slug: str  # the stem of data/docs/<slug>.txt
    documents: list[Document] = field(default_factory=list)

    @property
    def ext(self) -> str:
        return Path(self.name).suffix.lower()

    @property
    def txt_name(self) -> str:
        return f"{self.slug}.txt"

    @property
    def original_name(self) -> str | None:
        """File name under data/docs/originals/ (None for .txt: the file itself is the corpus file)."""
        return None if self.ext == ".txt" else f"{self.slug}{self.ext}"

    def txt_bytes(self) -> bytes:
        return self.data if self.ext == ".txt" else self.text.encode("utf-8")


# -- manifest ----------------------------------------------------------------------------------


def _read_manifest(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    rows = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        if not line.strip():
            continue
        cells = line.split("\t")
        rows.append(dict(zip(MANIFEST_HEADER, cells + [""] * (len(MANIFEST_HEADER) - len(cells)), strict=False)))
    return rows


def _cell(text: str) -> str:
    """A MANIFEST.tsv cell: no tab, line break, NUL or other control character."""
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029]+", " ", text).strip()


def safe_name(name: str) -> str:
    """A file name as it may be shown and recorded: the last path part, without control
    characters (NUL, tab, line breaks), at most 200 characters; "upload" when nothing is left."""
    base = re.split(r"[\\/]", str(name))[-1]
    base = re.sub(r"[\x00-\x1f\x7f\u2028\u2029]+", " ", base).strip()
    if len(base) > 200:
        suffix = Path(base).suffix[:10]
        base = base[: 200 - len(suffix)] + suffix
    return base if base not in ("", ".", "..") else "upload"


def _now() -> datetime:
    """Now in UTC; PLAN_ATLAS_NOW (e.g. 20260101T000000) fixes it, so crash tests and benchmarks
    can compare an interrupted add with an uninterrupted one byte for byte."""
    fixed = os.environ.get("PLAN_ATLAS_NOW")
    if fixed:
        return datetime.strptime(fixed, "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    return datetime.now(UTC)


def user_files(root: Path | str | None = None) -> dict[str, dict[str, str]]:
    """Files of data/docs/ added with `geo add` (file name → its MANIFEST.tsv row)."""
    paths = IngestPaths.of(root)
    return {r["file"]: r for r in _read_manifest(paths.manifest) if r["contents"].startswith(ADDED_MARKER)}


# -- preparing ---------------------------------------------------------------------------------


def _slug(name: str, sha: str, when: datetime | None = None) -> str:
    """"user-<UTC time>-<pinyin of the name>-<sha8>": sorts after the embedded corpus's files and
    in the order of adding (geo.corpus gives a colliding document id a "-2" suffix in file order, so
    earlier documents keep their ids)."""
    stamp = (when or _now()).strftime("%Y%m%dT%H%M%S")
    stem = Path(name).stem
    try:
        from pypinyin import lazy_pinyin

        words = lazy_pinyin(stem)
    except ImportError:  # pragma: no cover - pypinyin is a runtime requirement
        words = [stem]
    ascii_words = [re.sub(r"[^a-z0-9]+", "-", w.lower()).strip("-") for w in words]
    base = "-".join(w for w in ascii_words if w)[:40].strip("-") or "plan"
    return f"user-{stamp}-{base}-{sha[:8]}"


def _title_key(doc: Document) -> str:
    from geo.corpus import squash

    return re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", squash(doc.title))


def _describe(doc: Document) -> str:
    return f"《{doc.title}》" + (f" ({doc.doc_no})" if doc.doc_no else "")


def prepare_documents(sources: Iterable[Source], root: Path | str | None = None) -> list[Prepared]:
    """Read, validate and parse every source (a path or a (name, bytes) pair); writes nothing.

    The readers run in a child process with limits (geo.readers.read_bounded). Raises
    InputFileError naming the file when one cannot be read, holds no document, or is already in
    the corpus (`_check_duplicates`; `add_prepared` checks again under the lock).
    """
    from geo.corpus import parse_text

    items = list(sources)
    if not items:
        raise InputFileError("no files given; name one or more .txt, .docx or .pdf plans")
    out: list[Prepared] = []
    for src in items:
        if isinstance(src, tuple):
            name, data = safe_name(src[0]), bytes(src[1])
            text = read_bounded((name, data))
        else:
            path = Path(src)
            data = read_input_bytes(path)  # size limit, symlinks and special files checked first
            name = safe_name(path.name)
            text = read_bounded((name, data))
        sha = hashlib.sha256(data).hexdigest()
        for prev in out:
            if prev.sha256 == sha:
                raise InputFileError(f"{name}: the same file as {prev.name} in this batch; nothing added")
        prep = Prepared(name=name, data=data, sha256=sha, text=text, slug=_slug(name, sha))
        prep.documents = parse_text(text, prep.txt_name)
        if not prep.documents or not any(d.clauses for d in prep.documents):
            raise InputFileError(f"{name}: no document with text found in it; nothing added")
        out.append(prep)
    _check_duplicates(out, IngestPaths.of(root))
    return out


def _check_duplicates(prepared: list[Prepared], paths: IngestPaths) -> None:
    """Refuse files already in the corpus: same bytes as an added file, same text as a corpus
    file, or a document with the same 文号 or title as a corpus document (or an earlier file of
    the batch)."""
    from geo.corpus import load_corpus

    known_sha = {r["sha256"]: r["file"] for r in _read_manifest(paths.manifest)}
    if paths.docs.is_dir():
        for p in sorted(paths.docs.glob("*.txt")):
            known_sha.setdefault(hashlib.sha256(p.read_bytes()).hexdigest(), p.name)
    corpus = load_corpus(paths.docs)
    by_no = {d.doc_no: d for d in corpus.documents if d.doc_no}
    by_title = {k: d for d in corpus.documents if (k := _title_key(d))}
    for prep in prepared:
        text_sha = hashlib.sha256(prep.text.encode("utf-8")).hexdigest()
        for key in (prep.sha256, text_sha):
            if key in known_sha:
                raise InputFileError(
                    f"{prep.name}: already in the corpus (same content as data/docs/{known_sha[key]}); "
                    "nothing added"
                )
        for doc in prep.documents:
            same = by_no.get(doc.doc_no) if doc.doc_no else None
            key = _title_key(doc)
            same = same or (by_title.get(key) if key else None)
            if same is not None:
                raise InputFileError(
                    f"{prep.name}: {_describe(doc)} is already in the corpus as {same.id} "
                    f"({_describe(same)}); nothing added"
                )
        for doc in prep.documents:
            if doc.doc_no:
                by_no[doc.doc_no] = doc
            if _title_key(doc):
                by_title[_title_key(doc)] = doc


# -- writing: staged, then switched in by geo.journal ---------------------------------------------


def _manifest_text(rows: list[dict[str, str]]) -> bytes:
    lines = ["\t".join(MANIFEST_HEADER)] + ["\t".join(r[h] for h in MANIFEST_HEADER) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def rebuild_layers(root: Path | str | None = None, *, progress: bool = False) -> dict:
    """Rebuild layers/ incrementally (mention and geometry caches under the cache root); returns the manifest."""
    from geo.layers import build_layers, load_inputs

    paths = IngestPaths.of(root)
    inputs = load_inputs(paths.docs, paths.gazetteer, paths.cache)
    return build_layers(paths.layers, progress=progress, inputs=inputs, cache_dir=paths.cache)


def _build_staged(change: Change, paths: IngestPaths, progress: bool) -> float:
    """Build the future layers/ from the staged data/docs into the staging folder; seconds taken."""
    from geo.layers import build_layers, load_inputs

    t1 = time.perf_counter()
    inputs = load_inputs(change.staged("data/docs"), paths.gazetteer, paths.cache)
    build_layers(change.staged("layers"), progress=progress, inputs=inputs, cache_dir=paths.cache)
    return time.perf_counter() - t1


def _failed(exc: BaseException, what: str) -> PlanAtlasError:
    msg = f"{exc}; {what} — data/docs and layers/ are unchanged"
    if isinstance(exc, PlanAtlasError):
        try:
            return type(exc)(msg)
        except TypeError:  # pragma: no cover - every PlanAtlasError takes one message
            return PlanAtlasError(msg)
    return PlanAtlasError(f"{type(exc).__name__}: {msg}")


def _check_ids_kept(before: list[Document], after: list[Document]) -> None:
    """Refuse an add that would change the id of a document already in the corpus (permalinks)."""
    now = {d.id: d for d in after}
    for doc in before:
        same = now.get(doc.id)
        if same is None or same.title != doc.title:
            raise InputFileError(
                f"adding would change the id of {doc.id} ({_describe(doc)}); rename the new file's title"
            )


@contextlib.contextmanager
def _changing(paths: IngestPaths, what: str, verb: str) -> Iterator[Change]:
    """Lock, recover an interrupted change, stage one; commit it if the body returns, else drop it."""
    with change_lock(paths.root):
        note = recover_locked(paths.root)
        if note:
            print(note, file=sys.stderr)
        change = Change(paths.root, what)
        try:
            yield change
            change.commit()
        except BaseException as exc:
            change.abort()
            if isinstance(exc, KeyboardInterrupt | SystemExit) or change.committed:
                raise
            raise _failed(exc, f"nothing was {verb}") from exc


@dataclass
class IngestResult:
    """What an add or remove did: the documents, the files and how long it took."""

    documents: list[Document]
    files: list[str]
    seconds: float
    build_seconds: float


def add_prepared(prepared: list[Prepared], root: Path | str | None = None, *, progress: bool = False) -> IngestResult:
    """Write already prepared files into data/docs/ and rebuild layers/ (all or nothing, crash-safe).

    Under the lock the duplicate checks run again against the corpus as it is then (two
    concurrent adds of the same plan: exactly one wins).
    """
    from geo.corpus import load_corpus

    t0 = time.perf_counter()
    paths = IngestPaths.of(root)
    today = _now().strftime("%Y-%m-%d")
    names = [p.txt_name for p in prepared]
    with _changing(paths, f"`geo add` of {', '.join(names)}", "added") as change:
        _check_duplicates(prepared, paths)
        before = load_corpus(paths.docs).documents
        docs = change.begin()
        rows = _read_manifest(docs / MANIFEST_NAME)
        for prep in prepared:
            storage.write_new_file(docs / prep.txt_name, prep.txt_bytes())
            if prep.original_name:
                storage.make_dir(docs / ORIGINALS_DIR)
                storage.write_new_file(docs / ORIGINALS_DIR / prep.original_name, prep.data)
            kept = f"; original kept as {ORIGINALS_DIR}/{prep.original_name}" if prep.original_name else ""
            titles = "; ".join(_describe(d) for d in prep.documents)
            rows.append(
                {
                    "file": prep.txt_name,
                    "original_name": _cell(prep.name),
                    "sha256": prep.sha256,
                    "contents": _cell(f"{ADDED_MARKER} {today}{kept}: {titles}"),
                }
            )
        storage.remove_file(docs / MANIFEST_NAME)  # a hard link to the current one: replace, never edit
        storage.write_new_file(docs / MANIFEST_NAME, _manifest_text(rows))
        staged = load_corpus(docs)  # parsed once: the build below and the result reuse it
        _check_ids_kept(before, staged.documents)
        build_seconds = _build_staged(change, paths, progress)
    added = set(names)
    out = [d for d in staged.documents if any(s.file in added for s in d.sources)]
    return IngestResult(out, sorted(added), time.perf_counter() - t0, build_seconds)


def add_documents(
    paths: Iterable[Source], root: Path | str | None = None, *, progress: bool = False
) -> list[Document]:
    """Add plan files (.txt, .docx, .pdf; paths or (name, bytes) pairs) and rebuild layers/.

    All or nothing: every file is validated and parsed first; on any error (bad file, duplicate,
    failed build) data/docs/ and layers/ are left byte-identical. Returns the added documents as
    the corpus now holds them (with their final ids).
    """
    return add_documents_report(paths, root, progress=progress).documents


def add_documents_report(
    paths: Iterable[Source], root: Path | str | None = None, *, progress: bool = False
) -> IngestResult:
    """`add_documents`, returning the files written and the time taken too."""
    return add_prepared(prepare_documents(paths, root), root, progress=progress)


def remove_document_report(
    doc_id: str, root: Path | str | None = None, *, progress: bool = False
) -> IngestResult:
    """`remove_document`, returning the files removed and the time taken too."""
    from geo.corpus import load_corpus

    t0 = time.perf_counter()
    paths = IngestPaths.of(root)
    with _changing(paths, f"`geo remove` of {doc_id}", "removed") as change:
        corpus = load_corpus(paths.docs)
        doc = corpus.document(doc_id)  # UnknownDocumentError with suggestions
        added = user_files(paths.root)
        files = sorted({s.file for s in doc.sources})
        embedded = [f for f in files if f not in added]
        if embedded:
            raise UnknownDocumentError(
                f"{doc_id} is part of the embedded corpus ({', '.join(embedded)}), not a document added "
                "with `geo add`; only added documents can be removed"
            )
        removed = [d for d in corpus.documents if any(s.file in files for s in d.sources)]
        docs = change.begin()
        for name in files:
            storage.remove_file(docs / name)
            originals = docs / ORIGINALS_DIR
            if originals.is_dir():
                for orig in sorted(originals.glob(f"{Path(name).stem}.*")):
                    storage.remove_file(orig)
        rows = [r for r in _read_manifest(docs / MANIFEST_NAME) if r["file"] not in files]
        storage.remove_file(docs / MANIFEST_NAME)
        storage.write_new_file(docs / MANIFEST_NAME, _manifest_text(rows))
        originals = docs / ORIGINALS_DIR
        if originals.is_dir() and not any(originals.iterdir()):
            originals.rmdir()
        build_seconds = _build_staged(change, paths, progress)
    return IngestResult(removed, files, time.perf_counter() - t0, build_seconds)


def remove_document(doc_id: str, root: Path | str | None = None, *, progress: bool = False) -> list[Document]:
    """Undo `add_documents` for one document: delete its file(s), MANIFEST row(s) and rebuild layers/.

    Only documents added with `geo add` can be removed (UnknownDocumentError otherwise, with a
    clear message). A file holding several documents is removed as a whole: the returned list
    holds every document that left the corpus. Atomic like `add_documents`.
    """
    return remove_document_report(doc_id, root, progress=progress).documents
