"""Extractor speed: pages per second for PDF (ours vs pdfplumber's extract_text) and documents per second for HTML.

    python bench/extract.py

Generates a 50-page report (tables with real cells and run-together prose, reportlab),
then in one run times: our PDF extractor (a bounded worker process, words with positions,
lines), pdfplumber's own ``extract_text`` over the same file in-process, and our HTML
extractor over the clean seed page.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recover.extractors import source_to_document  # noqa: E402
from recover.fetch import location_to_source  # noqa: E402


def report_pdf(path: Path, pages: int = 50) -> Path:
    from reportlab.pdfgen import canvas

    rng = random.Random(50)
    c = canvas.Canvas(str(path))
    for p in range(pages):
        c.setFont("Helvetica", 9)
        c.drawString(40, 800, f"Table {p + 1}: Cases by County, page {p + 1}")
        y = 780
        for r in range(45):
            vals = [rng.randint(0, 99_999) for _ in range(5)]
            c.drawString(40, y, f"County {p * 45 + r}")
            for j, v in enumerate(vals):
                c.drawRightString(260 + j * 70, y, f"{v:,}")
            y -= 15
        c.drawString(40, y - 10, "Prose with numbers run together: Endangered Runaway2,04225,03027,072 and more.")
        c.showPage()
    c.save()
    return path


def main() -> None:
    import pdfplumber

    from tests import fixtures

    work = ROOT / "bench" / "out"
    work.mkdir(parents=True, exist_ok=True)
    pdf = report_pdf(work / "report-50.pdf")
    src = location_to_source(str(pdf))
    t0 = time.perf_counter()
    doc = source_to_document(src)
    ours = time.perf_counter() - t0
    pages = max(l.page for l in doc.lines)
    t0 = time.perf_counter()
    with pdfplumber.open(pdf) as p:
        text = [page.extract_text() for page in p.pages]
    theirs = time.perf_counter() - t0
    print(
        f"PDF, {pages} pages: recover {pages / ours:.1f} pages/s ({ours:.2f} s, worker process included); "
        f"pdfplumber extract_text {len(text) / theirs:.1f} pages/s ({theirs:.2f} s)"
    )
    page = work / "clean.html"
    page.write_text(fixtures.clean_html(), encoding="utf-8")
    src = location_to_source(str(page))
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 3:
        source_to_document(src)
        n += 1
    print(f"HTML ({len(src.data) // 1024} KiB page with 4 tables): {n / (time.perf_counter() - t0):.1f} documents/s")


if __name__ == "__main__":
    main()
