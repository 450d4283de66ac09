"""Plain text: decode (UTF-8, else the detected charset) and split into lines."""

from __future__ import annotations

from recover.errors import BoundError, SourceKindError
from recover.model import Document, Line, Source

#: Most lines read from one document.
DEFAULT_MAX_LINES = 1_000_000


def bytes_to_text(data: bytes, where: str) -> str:
    """Given a text document's bytes, return its text: UTF-8 if it is, else the detected charset."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sample = data[:65536]
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and (b"\x00" in sample or sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) // 100):
        raise SourceKindError(where, detail="binary data, not text, HTML or PDF")
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    if best is None:
        raise SourceKindError(where, detail="binary data, not text, HTML or PDF")
    return data.decode(best.encoding, errors="replace")


def text_to_lines(text: str, where: str, page: int | None = None, first: int = 1) -> tuple[Line, ...]:
    """Given text, return its lines numbered from ``first`` (bounded by DEFAULT_MAX_LINES)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    count = text.count("\n") + 1  # counted before the split: a page of 50,000,000 newlines is refused, never split
    if count > DEFAULT_MAX_LINES:
        raise BoundError(
            where, what=f"{count:,} lines", limit=f"{DEFAULT_MAX_LINES:,} lines", setting="DEFAULT_MAX_LINES"
        )
    parts = text.split("\n")
    # a tab-separated line kept its cell boundaries: each field is one printed cell (an empty field a blank one)
    return tuple(
        Line(t, first + i, page, tuple(t.rstrip(" ").split("\t")) if "\t" in t.lstrip(" \t") else None)
        for i, t in enumerate(parts)
    )


def source_to_document(source: Source) -> Document:
    """Given a text source, return its lines."""
    text = bytes_to_text(source.data, source.origin)
    return Document(source, text_to_lines(text, source.origin))
