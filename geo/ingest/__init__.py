"""Stage 4a, ingest: add plans to the corpus and remove them (`geo add` / `geo remove`), and analyse
an uploaded plan in memory for the app (nothing written). Uses the corpus, places and layers stages
through their public functions only. Public surface:
"""

from geo.ingest.add import (
    ADDED_MARKER,
    add_documents,
    add_documents_report,
    prepare_documents,
    rebuild_layers,
    remove_document,
    remove_document_report,
    safe_name,
    user_files,
)
from geo.ingest.journal import recover
from geo.ingest.upload import UploadResult, analyse_upload, keep_upload

__all__ = [
    "ADDED_MARKER",
    "UploadResult",
    "add_documents",
    "add_documents_report",
    "analyse_upload",
    "keep_upload",
    "rebuild_layers",
    "recover",
    "remove_document",
    "remove_document_report",
    "prepare_documents",
    "safe_name",
    "user_files",
]
