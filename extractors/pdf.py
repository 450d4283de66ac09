"""PDF: pdfplumber words with their positions, read in a worker process with hard limits.

Words on one line that the PDF keeps apart (a gap between them) are joined by a space.
Where the page's geometry shows a table (numbers lined up in columns across rows, see
pdf_columns), a line also gets its ``cells``: the label, then one printed cell per numeric
column, hard evidence for the solver. A PDF printed from a damaged page keeps its
run-together text, gets no cells, and falls back to the text path by itself. Lines are
numbered through the whole document and keep their page.

Hostile PDFs (a stream that inflates to gigabytes, 100,000 drawn lines, a truncated or
encrypted file) are read in a child process capped in memory, time per page, pages and
total time, so they end with one line naming the bound, never a hung or killed run.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile

from recover.errors import BoundError, SourceKindError
from recover.model import Document, Line, PrintedTable, Source

#: Most pages read from one PDF.
DEFAULT_MAX_PDF_PAGES = 1_000
#: Most memory the PDF reader may use, in bytes (a decompression bomb hits this).
DEFAULT_MAX_PDF_MEMORY = 1024**3
#: Most seconds spent on one page.
DEFAULT_MAX_PDF_PAGE_SECONDS = 30
#: Most seconds spent on one PDF.
DEFAULT_MAX_PDF_SECONDS = 300
#: Vertical distance (points) within which words share a line.
DEFAULT_LINE_TOLERANCE = 3.0
#: Distance (points) within which two copies of one glyph are one glyph (fake bold draws each twice).
DEFAULT_DEDUPE_TOLERANCE = 1.0


def _limit_memory() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (DEFAULT_MAX_PDF_MEMORY, DEFAULT_MAX_PDF_MEMORY))


#: What a worker that ran out of memory under its cap leaves on stderr (see pdf_worker.main).
_MEMORY_SIGNS = ("MemoryError", "SystemError", "Cannot allocate memory")


def worker_output_to_result(origin: str, returncode: int, stdout: str, stderr: str) -> dict:
    """Given what the PDF worker printed and its exit status, return its result (``{"pages": ...}``).

    Raise BoundError for a bound the worker hit (pages, time per page, memory), SourceKindError
    for a file it could not read. A worker with no JSON result that was killed (-9), exited 3, or
    whose stderr shows a failed allocation (``MemoryError``, or a ``SystemError`` from C code,
    which is how an allocation refused under the cap surfaces) hit the memory bound.
    """
    try:
        result = json.loads(stdout.strip().splitlines()[-1]) if stdout.strip() else None
    except (json.JSONDecodeError, IndexError):
        result = None
    if not isinstance(result, dict):
        if returncode in (3, -9, 137) or any(sign in stderr for sign in _MEMORY_SIGNS):
            raise BoundError(
                origin,
                what="memory to read the PDF (a decompression bomb?)",
                limit=f"{DEFAULT_MAX_PDF_MEMORY // 1024**2:,} MiB",
                setting="DEFAULT_MAX_PDF_MEMORY",
            )
        tail = (stderr.strip().splitlines() or ["no output"])[-1]
        raise SourceKindError(origin, detail=f"the PDF could not be read ({tail[:200]})")
    if "error" in result:
        if result["error"] == "bound":
            raise BoundError(origin, what=result["what"], limit=result["limit"], setting=result["setting"])
        raise SourceKindError(origin, detail=result["detail"])
    return result


def source_to_document(source: Source) -> Document:
    """Given a PDF source, return its lines with their pages, read in a bounded worker process."""
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as f:
        f.write(source.data)
        path = f.name
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "recover.extractors.pdf_worker", path],
            capture_output=True,
            text=True,
            timeout=DEFAULT_MAX_PDF_SECONDS,
            preexec_fn=_limit_memory,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
    except subprocess.TimeoutExpired:
        raise BoundError(
            source.origin,
            what="reading the PDF",
            limit=f"{DEFAULT_MAX_PDF_SECONDS} s",
            setting="DEFAULT_MAX_PDF_SECONDS",
        ) from None
    finally:
        os.unlink(path)
    result = worker_output_to_result(source.origin, proc.returncode, proc.stdout, proc.stderr)
    lines: list[Line] = []
    first: list[int] = []  # the number of each page's first line
    for page_no, page_lines in enumerate(result["pages"], start=1):
        first.append(len(lines) + 1)
        for line in page_lines:
            cells = line["cells"]
            lines.append(Line(line["text"], len(lines) + 1, page_no, tuple(cells) if cells else None))
        lines.append(Line("", len(lines) + 1, page_no))
    tables = []
    for t in result.get("tables", []):
        numbers = tuple(first[t["page"] - 1] + i for i in t["lines"])
        if len(set(numbers)) == len(numbers):  # one row a line: rows Camelot merged or split are not a table here
            tables.append(PrintedTable(tuple(tuple(r) for r in t["rows"]), numbers, None, "", "pdf"))
    if not any(l.text.strip() for l in lines):
        raise SourceKindError(source.origin, detail="the PDF holds no text (a scanned image? OCR it first)")
    return Document(source, tuple(lines), tuple(tables))
