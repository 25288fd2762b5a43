""".txt reader: the bytes decoded by geo.corpus.load.decode_text (UTF-8 with or without BOM, UTF-16
with a BOM, else GB18030; binary data refused). Bounded by the size limit alone (decoding is
linear), so it runs in the calling process.
"""

from __future__ import annotations

from geo.corpus.load import decode_text


def read_txt(name: str, data: bytes) -> str:
    """The text of a .txt file's bytes; InputFileError naming `name` when it is not text."""
    return decode_text(data, name)
