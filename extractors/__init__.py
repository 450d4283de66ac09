"""Extract: turn a fetched Source into a Document of lines, one extractor per kind."""

from __future__ import annotations

from recover.model import Document, Source


def source_to_document(source: Source) -> Document:
    """Given a fetched source, return its lines, using the extractor for its kind."""
    if source.kind == "pdf":
        from . import pdf

        return pdf.source_to_document(source)
    if source.kind == "html":
        from . import html

        return html.source_to_document(source)
    from . import text

    return text.source_to_document(source)
