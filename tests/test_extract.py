"""Fetch and extract: the seed's four tables from every format, URLs over a real server, hostile documents.

One rules file (rules/ncmec-2020.yaml) must give the same 138 cells and 22 facts back from
a clean HTML page with real tables, the damaged page as HTML, a PDF with real tables (one
split across two pages), the damaged text printed to PDF, and the damaged page over http.
"""

from __future__ import annotations

import csv
import http.server
import threading
import zlib

import pytest

from tests import fixtures
from tests.conftest import EXPECTED, SEED_RULES

TABLES = ["case_type_status", "age_race", "state", "cvip_requests"]


def assert_seed_recovered(out):
    for t in TABLES:
        assert (out / f"{t}.csv").read_bytes() == (EXPECTED / f"{t}.csv").read_bytes(), t
    got = {r[0]: r[1] for r in list(csv.reader(open(out / "facts.csv", encoding="utf-8")))[1:]}
    want = {r[0]: r[1] for r in list(csv.reader(open(EXPECTED / "facts.csv", encoding="utf-8")))[1:]}
    assert got == want


def run_ok(run_cli, source, out):
    status, stdout, stderr = run_cli("run", source, "--rules", SEED_RULES, "--out", out, "--no-validate")
    assert (status, stderr) == (0, ""), stderr
    assert "138 of 138 cells recovered, 22 of 22 facts" in stdout
    assert_seed_recovered(out)


def test_clean_html_with_real_tables(run_cli, tmp_path):
    page = tmp_path / "impact.html"
    page.write_text(fixtures.clean_html(), encoding="utf-8")
    run_ok(run_cli, page, tmp_path / "o")


def test_damaged_page_as_html_named_pdf_is_read_as_html(run_cli, tmp_path):
    """The kind comes from the bytes, never the name."""
    page = tmp_path / "impact.pdf"
    page.write_text(fixtures.damaged_html(), encoding="utf-8")
    run_ok(run_cli, page, tmp_path / "o")


def test_pdf_with_real_tables_one_split_across_pages(run_cli, tmp_path):
    pdf = fixtures.tables_pdf(tmp_path / "report.txt")  # a PDF called .txt is still a PDF
    run_ok(run_cli, pdf, tmp_path / "o")
    prov = list(csv.reader(open(tmp_path / "o" / "state.provenance.csv", encoding="utf-8")))[1:]
    assert [r[1] for r in prov] == ["1"] * 6 + ["2"] * 6  # the page of each row
    assert prov[0][2] == "District of Columbia 3 45 48"


def test_damaged_text_printed_to_pdf(run_cli, tmp_path):
    run_ok(run_cli, fixtures.damaged_pdf(tmp_path / "damaged.pdf"), tmp_path / "o")


class _Server:
    """A real HTTP server on 127.0.0.1 serving fixed routes; counts the requests per path."""

    def __init__(self, routes):
        self.routes, self.hits = routes, {}
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                server.hits[self.path] = server.hits.get(self.path, 0) + 1
                status, body, headers = server.routes.get(self.path, lambda n: (404, b"not found", {}))(
                    server.hits[self.path]
                )
                if status == "hang":
                    threading.Event().wait(5)
                    return
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    page = fixtures.damaged_html().encode("utf-8")
    routes = {
        "/ourwork/impact": lambda n: (200, page, {"Content-Type": "text/html"}),
        "/moved": lambda n: (301, b"", {"Location": "/ourwork/impact"}),
        "/flaky": lambda n: (503, b"busy", {}) if n <= 2 else (200, page, {}),
        "/down": lambda n: (503, b"busy", {}),
        "/slow": lambda n: ("hang", b"", {}),
    }
    s = _Server(routes)
    yield s
    s.close()


def test_url_source_over_http(run_cli, tmp_path, server):
    run_ok(run_cli, f"{server.url}/moved", tmp_path / "o")


def test_transient_failures_are_retried(run_cli, tmp_path, server, monkeypatch):
    monkeypatch.setattr("recover.fetch.DEFAULT_BACKOFF_SECONDS", 0.01)
    run_ok(run_cli, f"{server.url}/flaky", tmp_path / "o")
    assert server.hits["/flaky"] == 3


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/missing", "{url}: HTTP 404 Not Found [source-unreadable]"),
        ("/down", "{url}: HTTP 503 Service Unavailable (after 3 tries) [source-unreadable]"),
        ("/slow", "{url}: no answer within 0.5 s (DEFAULT_TIMEOUT_SECONDS) (after 3 tries) [source-unreadable]"),
    ],
)
def test_url_errors_are_one_line_naming_the_url(run_cli, tmp_path, server, monkeypatch, path, expected):
    monkeypatch.setattr("recover.fetch.DEFAULT_BACKOFF_SECONDS", 0.01)
    monkeypatch.setattr("recover.fetch.DEFAULT_TIMEOUT_SECONDS", 0.5)
    url = server.url + path
    status, _, err = run_cli("run", url, "--rules", SEED_RULES, "--out", tmp_path / "o", "--no-validate")
    assert status == 2
    assert err == expected.format(url=url) + "\n"
    assert not (tmp_path / "o").exists()


def test_url_that_never_answers_is_bounded(run_cli, tmp_path, monkeypatch):
    """A port that accepts nothing: the fetch ends quickly with one line."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    monkeypatch.setattr("recover.fetch.DEFAULT_BACKOFF_SECONDS", 0.01)
    url = f"http://127.0.0.1:{port}/report"
    status, _, err = run_cli("run", url, "--rules", SEED_RULES, "--out", tmp_path / "o", "--no-validate")
    assert (
        status == 2
        and err.startswith(f"{url}: cannot connect")
        and err.endswith("(after 3 tries) [source-unreadable]\n")
    )


# ----------------------------------------------------------------------------- hostile documents


def test_html_nested_200000_deep(run_cli, tmp_path):
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 200_000 + "x" + "</div>" * 200_000 + "</body></html>")
    status, _, err = run_cli("run", page, "--rules", SEED_RULES, "--out", tmp_path / "o", "--no-validate")
    assert status == 2
    assert (
        err == f"{page}: element nesting exceeds the bound of 2,000 levels (DEFAULT_MAX_HTML_DEPTH) [bound-exceeded]\n"
    )


def test_html_with_a_10mb_script_before_the_tables(run_cli, tmp_path):
    page = tmp_path / "script.html"
    html = fixtures.clean_html().replace(
        "<script>var tracking = 1;</script>", "<script>" + "x=1;" * 2_500_000 + "</script>"
    )
    page.write_text(html, encoding="utf-8")
    run_ok(run_cli, page, tmp_path / "o")


def _pdf_with_stream(stream: bytes, filters: str = "/FlateDecode") -> bytes:
    """A minimal one-page PDF whose content stream is the given (compressed) bytes."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(stream), filters.encode()) + stream + b"\nendstream",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def test_pdf_decompression_bomb_is_bounded(run_cli, tmp_path):
    comp = zlib.compressobj(9)
    chunk = b"0 0 m 1 1 l S\n" * 100_000
    stream = b"".join(comp.compress(chunk) for _ in range(300)) + comp.flush()  # ~400 MB inflated
    pdf = tmp_path / "bomb.pdf"
    pdf.write_bytes(_pdf_with_stream(stream))
    status, _, err = run_cli("run", pdf, "--rules", SEED_RULES, "--out", tmp_path / "o", "--no-validate")
    assert status == 2
    assert err.startswith(f"{pdf}: ") and "exceeds the bound of" in err and "[bound-exceeded]" in err
    assert len(err.splitlines()) == 1 and not (tmp_path / "o").exists()


def test_truncated_pdf(run_cli, tmp_path):
    whole = fixtures.tables_pdf(tmp_path / "whole.pdf").read_bytes()
    pdf = tmp_path / "truncated.pdf"
    pdf.write_bytes(whole[: len(whole) // 3])
    status, _, err = run_cli("run", pdf, "--rules", SEED_RULES, "--out", tmp_path / "o", "--no-validate")
    assert status in (1, 2) and len(err.splitlines()) >= 1 and "Traceback" not in err
    if status == 2:
        assert err.startswith(f"{pdf}: not a document: ")


def test_encrypted_pdf(run_cli, tmp_path):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(pdf), encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner"))
    c.drawString(40, 800, "Endangered Runaway2,04225,03027,072")
    c.save()
    status, _, err = run_cli("run", pdf, "--rules", SEED_RULES, "--out", tmp_path / "o", "--no-validate")
    assert status == 2 and err == f"{pdf}: not a document: the PDF is encrypted [source-not-a-document]\n"


def test_page_with_100000_drawn_lines(run_cli, tmp_path):
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "lines.pdf"
    c = canvas.Canvas(str(pdf))
    for i in range(100_000):
        c.line(10, 10 + (i % 700), 600, 10 + (i % 700))
    c.drawString(40, 800, "Full Data: Case Type and Case Status")
    c.save()
    status, _, err = run_cli("run", pdf, "--rules", SEED_RULES, "--out", tmp_path / "o", "--no-validate")
    assert status in (1, 2) and "Traceback" not in err
    assert all(line.startswith((f"{pdf}: ", f"warning: {pdf}: ")) for line in err.splitlines())
