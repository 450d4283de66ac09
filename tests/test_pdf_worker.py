"""The PDF worker: one parse per page (playa, Camelot's parser, for both the lines and the stream tables), and a
long-lived worker that imported its modules once and forks a bounded child per PDF."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from recover.errors import BoundError
from recover.extractors import pdf, pdf_worker
from recover.fetch import location_to_source as path_to_source

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
EU001 = CORPORA / "icdar2013-eu" / "eu-001.pdf"

needs_corpora = pytest.mark.skipif(not EU001.exists(), reason="../shared/corpora is not beside the checkout")


@needs_corpora
def test_lines_from_the_one_parse_read_the_page_as_printed():
    """The worker parsed each page twice (pdfplumber for the lines, Camelot again for its tables): 3.1 s a document
    against Camelot's 0.41 s. Lines now come from the glyphs of Camelot's own layout. Expected lines are copied by
    hand from eu-001's first page (the heavy-metals table)."""
    result = pdf_worker.read(str(EU001))
    texts = [line["text"] for line in result["pages"][0]]
    assert any(t.startswith("Cadmium") for t in texts), texts[:40]
    assert result["tables"], "Camelot's stream tables come from the same layout"
    assert all(table["page"] >= 1 and len(table["rows"]) == len(table["lines"]) for table in result["tables"])


@needs_corpora
def test_two_threads_read_pdfs_at_once_and_get_what_one_gets_alone():
    """The long-lived worker serves one PDF at a time; a second thread (a Prefect flow's task runner) reads its PDF in
    a process of its own and must get the same document."""
    source = path_to_source(str(EU001))
    alone = pdf.source_to_document(source)
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(pdf.source_to_document(source))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [alone, alone]


@needs_corpora
def test_a_pdf_over_the_time_bound_names_it_and_the_next_pdf_is_read(monkeypatch):
    """A worker past DEFAULT_MAX_PDF_SECONDS is killed with its child: the error names the bound, and the next PDF
    starts a new worker rather than reading the dead one's answer."""
    source = path_to_source(str(EU001))
    monkeypatch.setattr(pdf, "DEFAULT_MAX_PDF_SECONDS", 0.001)
    with pytest.raises(BoundError, match="DEFAULT_MAX_PDF_SECONDS"):
        pdf.source_to_document(source)
    monkeypatch.undo()
    assert pdf.source_to_document(source).lines
