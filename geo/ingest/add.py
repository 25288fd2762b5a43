"""Add a user's plan to the corpus (`geo add`) or take it out again (`geo remove`), then rebuild layers/.

Where things go (under the root, `geo.settings.ROOT`, overridable with PLAN_ATLAS_ROOT):
- data/docs/<slug>.txt — what geo.corpus.load_corpus reads (it reads *.txt only): the file itself
  for a .txt upload, the extracted text (UTF-8) for a .docx or .pdf;
- data/docs/originals/<slug>.docx|.pdf — the original file, kept byte for byte;
- data/docs/MANIFEST.tsv — one appended row per added file: file, original_name, sha256 (of the
  original bytes), contents ("added by geo add <date> …: <titles>"). That prefix is what marks a
  document as user-added; the embedded corpus's documents cannot be removed.

Both operations validate and parse first (geo.readers, geo.corpus.parse_text; nothing is written
if any file is bad or already in the corpus), write with temporary files and renames, and rebuild
layers/ with `geo.layers.build_layers` using its incremental caches (storage.cache_dir). If the build
fails, the data/docs change is rolled back, so data/ and layers/ are exactly as before.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from geo import settings
from geo.corpus import read_document_file
from geo.errors import InputFileError, PlanAtlasError, UnknownDocumentError
from geo.models import Document
from geo.storage import atomic_write_bytes, cache_dir

__all__ = [
    "ADDED_MARKER",
    "IngestPaths",
    "Prepared",
    "add_documents",
    "prepare_documents",
    "remove_document",
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
    return re.sub(r"[\t\r\n]+", " ", text).strip()


def user_files(root: Path | str | None = None) -> dict[str, dict[str, str]]:
    """Files of data/docs/ added with `geo add` (file name → its MANIFEST.tsv row)."""
    paths = IngestPaths.of(root)
    return {r["file"]: r for r in _read_manifest(paths.manifest) if r["contents"].startswith(ADDED_MARKER)}


# -- preparing ---------------------------------------------------------------------------------


def _slug(name: str, sha: str, when: datetime | None = None) -> str:
    """"user-<UTC time>-<pinyin of the name>-<sha8>": sorts after the embedded corpus's files and
    in the order of adding (geo.corpus gives a colliding document id a "-2" suffix in file order, so
    earlier documents keep their ids)."""
    stamp = (when or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S")
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

    Raises InputFileError naming the file when one cannot be read, holds no document, or is
    already in the corpus (same bytes as an added file, same text as a corpus file, or a
    document with the same 文号 or title as a corpus document).
    """
    from geo.corpus import load_corpus, parse_text

    paths = IngestPaths.of(root)
    items = list(sources)
    if not items:
        raise InputFileError("no files given; name one or more .txt, .docx or .pdf plans")
    known_sha = {r["sha256"]: r["file"] for r in _read_manifest(paths.manifest)}
    if paths.docs.is_dir():
        for p in sorted(paths.docs.glob("*.txt")):
            known_sha.setdefault(hashlib.sha256(p.read_bytes()).hexdigest(), p.name)
    corpus = load_corpus(paths.docs)
    by_no = {d.doc_no: d for d in corpus.documents if d.doc_no}
    by_title = {_title_key(d): d for d in corpus.documents}
    out: list[Prepared] = []
    for src in items:
        if isinstance(src, tuple):
            name, data = src[0], bytes(src[1])
            text = read_document_file((name, data))
            name = Path(name).name
        else:
            path = Path(src)
            text = read_document_file(path)
            name, data = path.name, path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        text_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        for key in (sha, text_sha):
            if key in known_sha:
                raise InputFileError(
                    f"{name}: already in the corpus (same content as data/docs/{known_sha[key]}); nothing added"
                )
        for prev in out:
            if prev.sha256 == sha:
                raise InputFileError(f"{name}: the same file as {prev.name} in this batch; nothing added")
        prep = Prepared(name=name, data=data, sha256=sha, text=text, slug=_slug(name, sha))
        prep.documents = parse_text(text, prep.txt_name)
        if not prep.documents or not any(d.clauses for d in prep.documents):
            raise InputFileError(f"{name}: no document with text found in it; nothing added")
        for doc in prep.documents:
            same = by_no.get(doc.doc_no) if doc.doc_no else None
            same = same or by_title.get(_title_key(doc))
            if same is not None:
                raise InputFileError(
                    f"{name}: {_describe(doc)} is already in the corpus as {same.id} "
                    f"({_describe(same)}); nothing added"
                )
        for doc in prep.documents:
            if doc.doc_no:
                by_no[doc.doc_no] = doc
            by_title[_title_key(doc)] = doc
        out.append(prep)
    return out


# -- writing, with rollback ---------------------------------------------------------------------


@contextlib.contextmanager
def _lock(paths: IngestPaths) -> Iterator[None]:
    """One add/remove at a time per root (the lock file lives in build/, not in data/)."""
    lock_dir = paths.root / "build"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / "ingest.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PlanAtlasError(
                "another `geo add`/`geo remove` is running on this data folder; try again when it ends"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class _Transaction:
    """File changes under data/docs/ that can be undone exactly (bytes and folders)."""

    def __init__(self) -> None:
        self.undo: list[tuple[str, Path, bytes | None]] = []

    def write(self, path: Path, data: bytes) -> None:
        if not path.parent.exists():
            path.parent.mkdir(parents=True)
            self.undo.append(("rmdir", path.parent, None))
        self.undo.append(("restore", path, path.read_bytes() if path.exists() else None))
        atomic_write_bytes(path, data)

    def delete(self, path: Path) -> None:
        self.undo.append(("restore", path, path.read_bytes()))
        path.unlink()

    def rollback(self) -> None:
        for action, path, data in reversed(self.undo):
            if action == "rmdir":
                with contextlib.suppress(OSError):
                    path.rmdir()
            elif data is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write_bytes(path, data)
        self.undo.clear()


def _manifest_text(rows: list[dict[str, str]]) -> bytes:
    lines = ["\t".join(MANIFEST_HEADER)] + ["\t".join(r[h] for h in MANIFEST_HEADER) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def rebuild_layers(root: Path | str | None = None, *, progress: bool = False) -> dict:
    """Rebuild layers/ incrementally (mention and geometry caches under the cache root); returns the manifest."""
    from geo.layers import build_layers, load_inputs

    paths = IngestPaths.of(root)
    inputs = load_inputs(paths.docs, paths.gazetteer, paths.cache)
    return build_layers(paths.layers, progress=progress, inputs=inputs, cache_dir=paths.cache)


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


@dataclass
class IngestResult:
    """What an add or remove did: the documents, the files and how long it took."""

    documents: list[Document]
    files: list[str]
    seconds: float
    build_seconds: float


def add_prepared(prepared: list[Prepared], root: Path | str | None = None, *, progress: bool = False) -> IngestResult:
    """Write already prepared files into data/docs/ and rebuild layers/ (all or nothing)."""
    from geo.corpus import load_corpus

    t0 = time.perf_counter()
    paths = IngestPaths.of(root)
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    tx = _Transaction()
    before = load_corpus(paths.docs).documents
    with _lock(paths):
        try:
            rows = _read_manifest(paths.manifest)
            for prep in prepared:
                tx.write(paths.docs / prep.txt_name, prep.txt_bytes())
                if prep.original_name:
                    tx.write(paths.originals / prep.original_name, prep.data)
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
            tx.write(paths.manifest, _manifest_text(rows))
            _check_ids_kept(before, load_corpus(paths.docs).documents)
            t1 = time.perf_counter()
            rebuild_layers(paths.root, progress=progress)  # reuses the corpus just loaded
            build_seconds = time.perf_counter() - t1
        except BaseException as exc:
            tx.rollback()
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            raise _failed(exc, "nothing was added") from exc
    names = {p.txt_name for p in prepared}
    docs = [d for d in load_corpus(paths.docs).documents if any(s.file in names for s in d.sources)]
    return IngestResult(docs, sorted(names), time.perf_counter() - t0, build_seconds)


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
    tx = _Transaction()
    with _lock(paths):
        try:
            for name in files:
                tx.delete(paths.docs / name)
                stem = Path(name).stem
                if paths.originals.is_dir():
                    for orig in sorted(paths.originals.glob(f"{stem}.*")):
                        tx.delete(orig)
            rows = [r for r in _read_manifest(paths.manifest) if r["file"] not in files]
            tx.write(paths.manifest, _manifest_text(rows))
            originals_empty = paths.originals.is_dir() and not any(paths.originals.iterdir())
            if originals_empty:
                paths.originals.rmdir()
            t1 = time.perf_counter()
            try:
                rebuild_layers(paths.root, progress=progress)
            except BaseException:
                if originals_empty:
                    paths.originals.mkdir()
                raise
            build_seconds = time.perf_counter() - t1
        except BaseException as exc:
            tx.rollback()
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            raise _failed(exc, "nothing was removed") from exc
    return IngestResult(removed, files, time.perf_counter() - t0, build_seconds)


def remove_document(doc_id: str, root: Path | str | None = None, *, progress: bool = False) -> list[Document]:
    """Undo `add_documents` for one document: delete its file(s), MANIFEST row(s) and rebuild layers/.

    Only documents added with `geo add` can be removed (UnknownDocumentError otherwise, with a
    clear message). A file holding several documents is removed as a whole: the returned list
    holds every document that left the corpus. Atomic like `add_documents`.
    """
    return remove_document_report(doc_id, root, progress=progress).documents
