"""The plan corpus: documents and citable clauses read from data/docs/*.txt.

`read_text` decodes one file (UTF-8 with or without BOM, else GB18030) and refuses what is not
a readable text file; `parse_text` turns one file's text into its documents with their clause
trees (geo._normalize → geo._corpus_documents → geo._headings); `load_corpus` reads every *.txt of a
folder, merges documents that several files repeat into one document with all its sources, and
caches the result by the files' paths, sizes and mtimes (the cached Corpus is shared: treat it as
read-only). Stable document ids for the embedded seed corpus come from geo._corpus_catalog; other
documents get an id derived from their year and the pinyin of their title.

Clause ids are `<doc_id>/<key>/p<N>`: the key joins the numbers of the open headings with "."
(第三章 第二节 → "3.2"; 一、（二）3． → "1.2.3"), with named parts "preface" (前言), "notice"
(the 印发 notice or news lead before the attached plan), "intro" (text before any heading),
"annex<N>" (附件N), "box<N>" (专栏N) and "table<T>.<row>" (one clause per table row); N counts
the paragraphs under the same key.
"""

from __future__ import annotations

import copy
import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from geo import settings
from geo.corpus._catalog import catalog_entry, fallback_id
from geo.corpus._documents import DocPart, split_documents
from geo.corpus._headings import ClauseBuilder, is_heading_line, starts_block
from geo.corpus._normalize import Line, build_paragraphs, prepare_lines, squash
from geo.corpus._tables import parse_tables
from geo.errors import InputFileError, UnknownClauseError, UnknownDocumentError
from geo.models import Clause, Document, SourceSpan

# A single plan file larger than this is refused by load_corpus: the one size limit of
# geo.settings (a plan is at most a few MB; parsing is linear, ≈1 s per MB on a small machine).
MAX_PLAN_BYTES: int = settings.MAX_FILE_BYTES

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def read_text(path: Path, max_bytes: int | None = None) -> str:
    """Decode a text file: UTF-8 (BOM optional), UTF-16 with a BOM, else GB18030.

    Raises InputFileError (naming the file) when it is missing, empty or blank, larger than
    `max_bytes` (default settings.MAX_FILE_BYTES), or not text (NUL bytes, undecodable bytes,
    many control characters).
    """
    path = Path(path)
    limit = settings.MAX_FILE_BYTES if max_bytes is None else max_bytes
    if not path.exists():
        raise InputFileError(f"{path}: no such file")
    if not path.is_file():
        raise InputFileError(f"{path}: not a regular file")
    size = path.stat().st_size
    if size > limit:
        raise InputFileError(
            f"{path.name}: file is {size / 2**20:.1f} MiB, larger than the limit of {limit / 2**20:g} MiB "
            f"({limit} bytes, MAX_FILE_BYTES); split it or remove unrelated text"
        )
    return decode_text(path.read_bytes(), str(path))


def decode_text(data: bytes, name: str) -> str:
    """Decode a text file's bytes: UTF-8 (BOM optional), UTF-16 with a BOM, else GB18030.

    Raises InputFileError naming `name` when the bytes are empty or blank, or not text (NUL bytes,
    undecodable bytes, many control characters). No size check: the caller made it.
    """
    path = name
    if not data.strip():
        raise InputFileError(f"{path}: file is empty (no text to read)")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with a byte order mark
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputFileError(
                f"{path}: starts with a UTF-16 byte order mark but is not UTF-16 text "
                f"(undecodable byte at offset {exc.start})"
            ) from None
        sample = text[:200_000]
        odd = sum(1 for ch in sample if unicodedata.category(ch) in ("Cn", "Co", "Cs"))
        plain = any(ch in sample for ch in "\n 。，")  # text has line breaks, spaces or punctuation
        if odd > max(5, len(sample) // 100) or not plain or sample.count("\ufeff") > 2:
            raise InputFileError(f"{path}: not a text file (a UTF-16 byte order mark, then no UTF-16 text)")
        return _checked_text(path, text)
    if b"\x00" in data[:1_000_000]:
        raise InputFileError(f"{path}: not a text file (contains NUL bytes: binary data such as PDF/DOCX, or UTF-16; save it as UTF-8 text)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise InputFileError(
                f"{path}: not a text file in UTF-8 or GB18030 (undecodable byte at offset {exc.start})"
            ) from None
    return _checked_text(path, text)


def _checked_text(path: str | Path, text: str) -> str:
    if not text.strip():
        raise InputFileError(f"{path}: file is empty (only whitespace)")
    sample = text[:200_000]
    if "\x00" in sample or len(_CONTROL_RE.findall(sample)) > max(5, len(sample) // 100):
        raise InputFileError(f"{path}: not a text file (too many control characters)")
    return text


def _doc_from_part(part: DocPart, file_name: str, seen: set[str]) -> Document:
    entry = catalog_entry(part.doc_no, part.title)
    doc_id = entry.get("id") or fallback_id(part.date, part.title, file_name)
    base, n = doc_id, 2
    while doc_id in seen:
        doc_id = f"{base}-{n}"
        n += 1
    seen.add(doc_id)
    doc = Document(
        id=doc_id,
        title=part.title,
        kind=part.kind,
        date=part.date or entry.get("date", ""),
        doc_no=part.doc_no,
        issuers=tuple(part.issuers) or tuple(entry.get("issuers", ())),
        sources=(SourceSpan(file_name, part.first, part.last),),
        title_en=entry.get("title_en", ""),
    )
    doc.clauses = _clauses(part, doc_id, file_name)
    return doc


def _clauses(part: DocPart, doc_id: str, file_name: str) -> list[Clause]:
    builder = ClauseBuilder(doc_id, file_name)
    body: list[Line] = [ln for ln in part.lines if ln.no not in part.meta and ln.no not in part.skip]
    notice = [ln for ln in body if ln.no <= part.notice_end]
    rest = [ln for ln in body if ln.no > part.notice_end]
    if notice:
        builder.reset("notice", "印发通知" if part.kind != "通知" else "通知")
        for para in build_paragraphs(notice, starts_block, is_heading_line):
            builder.add(para, allow_headings=False)
        builder.stack = []
    for para in build_paragraphs(rest, starts_block, is_heading_line):
        builder.add(para)
    for first, last in part.tables:
        rows = [ln for ln in part.lines if first <= ln.no <= last and ln.no not in part.meta]
        for n, table in enumerate(parse_tables(rows), start=1):
            builder.reset("table", table.title or f"表{n}", n)
            for row in table.rows:
                builder.add_row(row.number, row.text, row.first, row.last)
    return builder.clauses


def parse_text(text: str, file_name: str) -> list[Document]:
    """All documents of one file's text, each with its clauses (no cross-file merging).

    Each (text, file name) is parsed once per process and the result copied, so an ingest that reads
    the corpus, the new plan and the staged corpus (hard links of the same files) parses every file
    once; callers may change the documents they get (ids, clauses) without touching the cache.
    """
    return copy.deepcopy(list(_parse_cached(text, file_name)))


@lru_cache(maxsize=64)
def _parse_cached(text: str, file_name: str) -> tuple[Document, ...]:
    lines = prepare_lines(text)
    seen: set[str] = set()
    return tuple(_doc_from_part(p, file_name, seen) for p in split_documents(lines) if p.lines)


@dataclass
class Corpus:
    """The distinct documents of a docs folder, ordered by date (undated last) then id."""

    documents: list[Document]
    _docs: dict[str, Document] = field(default_factory=dict, init=False, repr=False)
    _clauses: dict[str, Clause] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._docs = {d.id: d for d in self.documents}
        self._clauses = {c.id: c for d in self.documents for c in d.clauses}

    def document(self, doc_id: str) -> Document:
        """The document with this id; UnknownDocumentError (with close matches) otherwise."""
        try:
            return self._docs[doc_id]
        except KeyError:
            close = difflib.get_close_matches(doc_id, list(self._docs), n=3)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise UnknownDocumentError(
                f"unknown document id {doc_id!r}.{hint} Run `python -m geo docs` to list the ids."
            ) from None

    def clause(self, clause_id: str) -> Clause:
        """The clause with this id; UnknownClauseError (with a hint) otherwise."""
        try:
            return self._clauses[clause_id]
        except KeyError:
            doc_id = clause_id.split("/", 1)[0]
            if doc_id in self._docs:
                close = difflib.get_close_matches(clause_id, [c.id for c in self._docs[doc_id].clauses], n=3)
                hint = f" Did you mean: {', '.join(close)}?" if close else ""
                hint += f" Run `python -m geo clauses {doc_id}` to list its clauses."
            else:
                hint = f" No document {doc_id!r}; run `python -m geo docs` to list the ids."
            raise UnknownClauseError(f"unknown clause id {clause_id!r}.{hint}") from None

    def clauses(self) -> Iterator[Clause]:
        """Every clause of every document, in document order."""
        for d in self.documents:
            yield from d.clauses


def _merge_key(doc: Document) -> str:
    return doc.doc_no or re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", squash(doc.title))


def _merge(groups: list[list[tuple[int, Document]]]) -> list[Document]:
    """One document per group of copies: clauses and lines from the primary copy, all sources."""
    out = []
    for copies in groups:
        # primary: the copy from the file holding most documents (a compilation), then the longest
        copies = sorted(copies, key=lambda c: (-c[0], -len(c[1].clauses), c[1].sources[0].file))
        primary = copies[0][1]
        for _, other in copies[1:]:
            primary.date = primary.date or other.date
            primary.doc_no = primary.doc_no or other.doc_no
            primary.issuers = primary.issuers or other.issuers
            primary.sources = primary.sources + other.sources
        out.append(primary)
    return out


def _load_uncached(paths: tuple[Path, ...]) -> Corpus:
    """Read, split and merge every file (no cache); used by load_corpus and the benchmark."""
    per_file: list[tuple[int, Document]] = []
    for path in paths:
        if path.stat().st_size > MAX_PLAN_BYTES:
            raise InputFileError(
                f"{path}: file is {path.stat().st_size / 2**20:.1f} MiB, larger than the limit of "
                f"{MAX_PLAN_BYTES / 2**20:g} MiB ({MAX_PLAN_BYTES} bytes, MAX_FILE_BYTES) for one plan file; "
                "split it into separate plans"
            )
        docs = parse_text(read_text(path), path.name)
        per_file.extend((len(docs), d) for d in docs)
    groups: dict[str, list[tuple[int, Document]]] = {}
    for n, d in per_file:
        groups.setdefault(_merge_key(d), []).append((n, d))
    documents = _merge(list(groups.values()))
    # ids must be unique across files
    seen: set[str] = set()
    for d in documents:
        if d.id in seen:
            base, n = d.id, 2
            while f"{base}-{n}" in seen:
                n += 1
            new = f"{base}-{n}"
            for c in d.clauses:
                c.id = new + c.id[len(d.id):]
                c.doc_id = new
            d.id = new
        seen.add(d.id)
    documents.sort(key=lambda d: (d.date == "", d.date, d.id))
    return Corpus(documents)


@lru_cache(maxsize=8)
def _load_cached(key: tuple[tuple[str, int, int], ...]) -> Corpus:
    return _load_uncached(tuple(Path(p) for p, _, _ in key))


def corpus_files(docs_dir: Path) -> tuple[Path, ...]:
    """The *.txt files under docs_dir, sorted (InputFileError when the folder is missing)."""
    docs_dir = Path(docs_dir)
    if not docs_dir.is_dir():
        raise InputFileError(f"{docs_dir}: documents folder not found (set PLAN_ATLAS_ROOT or --docs-dir)")
    return tuple(sorted(p for p in docs_dir.rglob("*.txt") if p.is_file()))


def load_corpus(docs_dir: Path | None = None) -> Corpus:
    """Every *.txt under docs_dir (default settings.DOCS_DIR) as one de-duplicated corpus (cached)."""
    paths = corpus_files(settings.DOCS_DIR if docs_dir is None else docs_dir)
    key = tuple((str(p.resolve()), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    return _load_cached(key)
