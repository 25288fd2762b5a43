"""`python -m geo docs|clauses|show`: list the corpus documents, a document's clauses, one clause.

Reads the documents with geo.corpus.load_corpus from settings.DOCS_DIR (or `--docs-dir`).
Unknown ids raise UnknownDocumentError/UnknownClauseError, which geo.cli prints (exit 1).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geo import settings
from geo.corpus import Corpus, load_corpus


def _add_docs_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument("--docs-dir", default=None, help=f"folder of *.txt plans (default: {settings.DOCS_DIR})")


def _corpus(args: argparse.Namespace) -> Corpus:
    return load_corpus(Path(args.docs_dir) if args.docs_dir else settings.DOCS_DIR)


def _dump(obj: object) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def _cmd_docs(args: argparse.Namespace) -> int:
    corpus = _corpus(args)
    if args.json:
        _dump([d.to_json() for d in corpus.documents])
        return 0
    for d in corpus.documents:
        sources = ", ".join(f"{s.file}:{s.first}-{s.last}" for s in d.sources)
        print(f"{d.id}\t{d.date or '—'}\t{d.kind}\t{d.doc_no or '—'}\t{len(d.clauses)}\t{d.title}\t{sources}")
    print(f"{len(corpus.documents)} documents, {sum(len(d.clauses) for d in corpus.documents)} clauses",
          file=sys.stderr)
    return 0


def _cmd_clauses(args: argparse.Namespace) -> int:
    doc = _corpus(args).document(args.doc_id)
    if args.json:
        _dump([c.to_json() for c in doc.clauses])
        return 0
    for c in doc.clauses:
        print(f"{c.id}\t{c.label}\t{c.text[:60]}")
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    corpus = _corpus(args)
    c = corpus.clause(args.clause_id)
    doc = corpus.document(c.doc_id)
    print(f"{c.id}")
    print(f"document: {doc.title} ({doc.id})")
    print(f"path:     {' › '.join(c.path) if c.path else '—'}")
    print(f"label:    {c.label or '—'}")
    print(f"agencies: {'、'.join(c.agencies) if c.agencies else '—'}")
    print(f"source:   {c.file} lines {c.lines[0]}-{c.lines[1]}")
    print()
    print(c.text)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the docs, clauses and show sub-commands."""
    p = sub.add_parser("docs", help="list the distinct documents of the corpus")
    p.add_argument("--json", action="store_true", help="JSON list of documents")
    _add_docs_dir(p)
    p.set_defaults(func=_cmd_docs)

    p = sub.add_parser("clauses", help="list the clauses of one document")
    p.add_argument("doc_id", metavar="DOC_ID")
    p.add_argument("--json", action="store_true", help="JSON list of clauses")
    _add_docs_dir(p)
    p.set_defaults(func=_cmd_clauses)

    p = sub.add_parser("show", help="show one clause: heading path, text, agencies, source lines")
    p.add_argument("clause_id", metavar="CLAUSE_ID")
    _add_docs_dir(p)
    p.set_defaults(func=_cmd_show)
