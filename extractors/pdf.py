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

import atexit
import itertools
import json
import os
import resource
import select
import signal
import subprocess
import sys
import tempfile
import threading

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
#: Share of a column's printed cells that must read as numbers for it to count as a numeric column of tables side by side.
DEFAULT_SIDE_BY_SIDE_SHARE = 0.8
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


class _Zygote:
    """A long-lived ``python -m recover.extractors.pdf_worker --serve`` that imported the worker's modules once (about
    a second per document otherwise) and forks a fresh child for each PDF, with the same memory cap and limits.

    One request at a time: a thread that finds it busy reads its PDF in a process of its own. A zygote that overran the
    time limit is killed with its child, and the next PDF starts a new one.
    """

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None
        self.pid = os.getpid()  # the process that started it (a forked copy of this one starts its own)
        self.lock = threading.Lock()

    def start(self) -> subprocess.Popen[str]:
        if self.pid != os.getpid():
            self.proc, self.pid = None, os.getpid()
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "recover.extractors.pdf_worker", "--serve"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                start_new_session=True,  # its children go with it when it is killed
                env={**os.environ, "PYTHONWARNINGS": "ignore"},
            )
        return self.proc

    def stop(self) -> None:
        if self.proc is not None and self.pid == os.getpid():
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
            self.proc = None

    def read(self, path: str) -> tuple[int | None, str, str]:
        """Given a PDF's path, return the worker's exit status (None: over the time limit), its result and error text."""
        out = path + ".json"
        proc = self.start()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps({"pdf": path, "out": out}) + "\n")
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], DEFAULT_MAX_PDF_SECONDS)
            reply = proc.stdout.readline() if ready else ""
        except (BrokenPipeError, OSError):
            reply = ""
        try:
            if not reply:
                self.stop()
                return (None, "", "") if not ready else (1, "", "the PDF worker ended")
            try:
                code = int(reply)
            except ValueError:
                self.stop()
                return 1, "", f"the PDF worker answered {reply[:80]!r}"
            try:
                with open(out, encoding="utf-8") as f:
                    text = f.read()
            except OSError:
                text = ""
            return code, text, "MemoryError" if code in (3, -9) else ""
        finally:
            if os.path.exists(out):
                os.unlink(out)


_ZYGOTE = _Zygote()
atexit.register(_ZYGOTE.stop)


def path_to_worker_output(path: str) -> tuple[int | None, str, str]:
    """Given a PDF's path, read it in a bounded worker; return its exit status (None: still running when the time was
    up), what it printed (its JSON result) and its error text."""
    if _ZYGOTE.lock.acquire(blocking=False):
        try:
            return _ZYGOTE.read(path)
        finally:
            _ZYGOTE.lock.release()
    try:  # another thread is reading a PDF through the zygote: this one pays the imports
        proc = subprocess.run(
            [sys.executable, "-m", "recover.extractors.pdf_worker", path],
            capture_output=True,
            text=True,
            timeout=DEFAULT_MAX_PDF_SECONDS,
            preexec_fn=_limit_memory,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
    except subprocess.TimeoutExpired:
        return None, "", ""
    return proc.returncode, proc.stdout, proc.stderr


def rows_to_side_by_side(rows: list[list[str]]) -> list[list[list[str]]]:
    """Given a table's rows (Camelot's grid), return it as the tables printed side by side in it, left to right (most
    often just itself).

    Tables side by side (``Country | Enquiries`` three times across a page) share their lines, so Camelot reads them
    as one grid, and each number would be published in the row of the first table's label. They are told apart by
    their header: two numeric columns or more with the same name, each with a column of text (its labels) to its left.
    Each such text column starts a table; the columns before the first stay with it.
    """
    from recover.extractors.pdf_columns import text_to_is_numeric  # (pdf_columns imports this module)

    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    first = next((i for i, r in enumerate(rows) if sum(text_to_is_numeric(c) for c in r if c.strip()) >= 1), None)
    if first is None or first == 0:
        return [rows]
    body = rows[first:]

    def is_numeric(j: int) -> bool:
        filled = [r[j] for r in body if r[j].strip()]
        return bool(filled) and sum(text_to_is_numeric(c) for c in filled) >= DEFAULT_SIDE_BY_SIDE_SHARE * len(filled)

    def is_text(j: int) -> bool:
        filled = [r[j] for r in body if r[j].strip()]
        return len(filled) >= 2 and not any(text_to_is_numeric(c) for c in filled)

    name = {j: " ".join(" ".join(r[j] for r in rows[:first]).split()) for j in range(width)}
    numeric = [j for j in range(width) if is_numeric(j) and name[j]]
    repeated = [j for j in numeric if sum(name[k] == name[j] for k in numeric) >= 2]
    starts: list[int] = []
    for j in repeated:
        left = next((k for k in range(j - 1, -1, -1) if is_text(k)), None)
        if left is None or left in starts or (starts and left < starts[-1]):
            return [rows]
        starts.append(left)
    if len(starts) < 2:
        return [rows]
    bounds = [0, *starts[1:], width]
    return [[r[a:b] for r in rows] for a, b in itertools.pairwise(bounds)]


def source_to_document(source: Source) -> Document:
    """Given a PDF source, return its lines with their pages, read in a bounded worker process."""
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as f:
        f.write(source.data)
        path = f.name
    try:
        code, stdout, stderr = path_to_worker_output(path)
    finally:
        os.unlink(path)
    if code is None:
        raise BoundError(
            source.origin,
            what="reading the PDF",
            limit=f"{DEFAULT_MAX_PDF_SECONDS} s",
            setting="DEFAULT_MAX_PDF_SECONDS",
        )
    result = worker_output_to_result(source.origin, code, stdout, stderr)
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
            for part in rows_to_side_by_side([list(r) for r in t["rows"]]):
                kept = [(row, n) for row, n in zip(part, numbers) if any(c.strip() for c in row)]
                if kept:
                    rows = tuple(tuple(row) for row, _ in kept)
                    tables.append(PrintedTable(rows, tuple(n for _, n in kept), None, "", "pdf"))
    if not any(l.text.strip() for l in lines):
        raise SourceKindError(source.origin, detail="the PDF holds no text (a scanned image? OCR it first)")
    return Document(source, tuple(lines), tuple(tables))
