"""Stage 1, the corpus: plan files in data/docs/ → Document and Clause objects.

Reads .txt (UTF-8 / GB18030), .docx and .pdf files (readers/, a registry by extension), normalises
PDF artifacts, splits compilations into their documents, attaches 通知 wrappers, dedupes, and builds
the clause tree with stable ids. Public surface (everything else is private to this package):
"""

from geo.corpus._normalize import squash
from geo.corpus.bounded import BoundedRead, read_bounded, read_bounded_report
from geo.corpus.load import (
    MAX_PLAN_BYTES,
    Corpus,
    corpus_files,
    decode_text,
    load_corpus,
    parse_text,
    read_text,
)
from geo.corpus.readers import (
    SUPPORTED_EXTENSIONS,
    limit_text,
    read_document_bytes,
    read_document_file,
    read_input_bytes,
)

__all__ = [
    "MAX_PLAN_BYTES",
    "BoundedRead",
    "SUPPORTED_EXTENSIONS",
    "Corpus",
    "corpus_files",
    "decode_text",
    "limit_text",
    "load_corpus",
    "parse_text",
    "read_bounded",
    "read_bounded_report",
    "read_document_bytes",
    "read_document_file",
    "read_input_bytes",
    "read_text",
    "squash",
]
