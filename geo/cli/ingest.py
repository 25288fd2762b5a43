"""`python -m geo add FILE…` and `python -m geo remove DOC_ID`: bring your own plan into the corpus.

Both call geo.ingest (validate and parse first, write data/docs/ with temporary files and renames,
rebuild layers/ incrementally, roll back on failure). Errors are geo.errors.PlanAtlasError, which
geo.cli prints as one line (exit status 1).
"""

from __future__ import annotations

import argparse
import sys

from geo.corpus import limit_text
from geo.corpus.readers import supported_extensions


def _cmd_add(args: argparse.Namespace) -> int:
    from geo.ingest import add_documents_report

    result = add_documents_report(args.files, progress=not args.quiet)
    for doc in result.documents:
        print(f"added {doc.id}\t{doc.title}\t{len(doc.clauses)} clauses")
    print(
        f"{len(result.documents)} document(s) from {len(result.files)} file(s); layers rebuilt in "
        f"{result.build_seconds:.2f} s ({result.seconds:.2f} s in all)",
        file=sys.stderr,
    )
    return 0


def _cmd_remove(args: argparse.Namespace) -> int:
    from geo.ingest import remove_document_report

    result = remove_document_report(args.doc_id, progress=not args.quiet)
    for doc in result.documents:
        print(f"removed {doc.id}\t{doc.title}")
    print(
        f"removed {', '.join(result.files)}; layers rebuilt in {result.build_seconds:.2f} s "
        f"({result.seconds:.2f} s in all)",
        file=sys.stderr,
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the add and remove sub-commands."""
    p = sub.add_parser(
        "add",
        help="add .txt/.docx/.pdf plans to data/docs/ and rebuild layers/ (all or nothing)",
        description=(
            f"Add plan files ({', '.join(supported_extensions())}: .txt in UTF-8, UTF-16 with BOM or "
            f"GB18030, .pdf with a text layer; at most {limit_text()} each) to data/docs/ and rebuild "
            "layers/, crash-safe. Nothing is changed if any file is bad or already in the corpus."
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_add)

    r = sub.add_parser(
        "remove",
        help="remove a document added with `geo add` and rebuild layers/",
        description="Only documents added with `geo add` can be removed (see `python -m geo docs`).",
    )
    r.add_argument("doc_id", metavar="DOC_ID")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=_cmd_remove)
