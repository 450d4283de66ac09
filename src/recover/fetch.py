"""Fetch: the bytes of a SOURCE (a local path or an http(s) URL), its kind told from its content.

The kind is never taken from the name: ``%PDF-`` is a PDF, markup is HTML, anything else
must decode as text. Sizes are capped while reading, URLs get real timeouts, followed
redirects and retries with backoff on transient failures; every failure is one line
naming the source.
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

from .errors import BoundError, SourceError, SourceKindError, SourceMissingError
from .model import Source

#: Largest source read, in bytes.
DEFAULT_MAX_SOURCE_BYTES = 50_000_000
#: Seconds to wait to connect to, and between bytes from, a server.
DEFAULT_TIMEOUT_SECONDS = 20.0
#: Most seconds one URL fetch may take in all, retries included.
DEFAULT_MAX_FETCH_SECONDS = 120.0
#: Tries for a URL that fails with a transient error (timeouts, 429, 5xx).
DEFAULT_FETCH_TRIES = 3
#: Seconds before the first retry; doubled each time.
DEFAULT_BACKOFF_SECONDS = 0.5
TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}

_URL = re.compile(r"^https?://", re.IGNORECASE)
_HTML = re.compile(rb"<(!doctype\s+html|html|head|body|table|p|div|br|tr|td|meta|title)\b", re.IGNORECASE)


def is_url(location: str) -> bool:
    return bool(_URL.match(location))


def source_name(location: str) -> str:
    """Given a path or URL, return the document's name: the stem or last path segment, lower-cased, safe."""
    if is_url(location):
        segment = unquote(urlparse(location).path.rstrip("/").rsplit("/", 1)[-1]) or urlparse(location).hostname or "document"
        stem = segment.rsplit(".", 1)[0] if "." in segment else segment
    else:
        stem = Path(location).stem
    return re.sub(r"[^a-z0-9_-]", "-", stem.lower()) or "document"


def bytes_to_kind(data: bytes) -> str:
    """Given a document's bytes, return its kind: "pdf", "html" or "text" (or raise if binary)."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    if head.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    if _HTML.search(data[:65536]) and data[:65536].count(b"<") >= 2:
        return "html"
    return "text"


def _read_file(location: str, max_bytes: int) -> bytes:
    path = Path(location)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise SourceKindError(location, detail="a directory, not a file")
        if size > max_bytes:
            raise BoundError(location, what=f"file of {size:,} bytes", limit=f"{max_bytes:,} bytes", setting="DEFAULT_MAX_SOURCE_BYTES")
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)
    except FileNotFoundError:
        raise SourceMissingError(location) from None
    except PermissionError:
        raise SourceError(location, detail="permission denied") from None
    except IsADirectoryError:
        raise SourceKindError(location, detail="a directory, not a file") from None
    if len(data) > max_bytes:
        raise BoundError(location, what="file", limit=f"{max_bytes:,} bytes", setting="DEFAULT_MAX_SOURCE_BYTES")
    return data


def _read_url(url: str, max_bytes: int, timeout: float, tries: int, backoff: float) -> bytes:
    import httpx

    deadline = time.monotonic() + DEFAULT_MAX_FETCH_SECONDS
    last = ""
    for attempt in range(tries):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            with httpx.Client(follow_redirects=True, timeout=httpx.Timeout(timeout), max_redirects=10) as client:
                with client.stream("GET", url, headers={"User-Agent": "recover/0.1"}) as resp:
                    if resp.status_code >= 400:
                        last = f"HTTP {resp.status_code} {resp.reason_phrase}".strip()
                        if resp.status_code in TRANSIENT_STATUS:
                            continue
                        raise SourceError(url, detail=last)
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > max_bytes:
                        raise BoundError(url, what=f"response of {int(declared):,} bytes", limit=f"{max_bytes:,} bytes", setting="DEFAULT_MAX_SOURCE_BYTES")
                    chunks, size = [], 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise BoundError(url, what="response", limit=f"{max_bytes:,} bytes", setting="DEFAULT_MAX_SOURCE_BYTES")
                        if time.monotonic() > deadline:
                            raise BoundError(url, what="download time", limit=f"{DEFAULT_MAX_FETCH_SECONDS:g} s", setting="DEFAULT_MAX_FETCH_SECONDS")
                        chunks.append(chunk)
                    return b"".join(chunks)
        except httpx.TimeoutException:
            last = f"no answer within {timeout:g} s (DEFAULT_TIMEOUT_SECONDS)"
        except httpx.TooManyRedirects:
            raise SourceError(url, detail="too many redirects") from None
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as e:
            last = f"cannot connect: {str(e).splitlines()[0] if str(e) else type(e).__name__}"
        except httpx.HTTPError as e:
            raise SourceError(url, detail=f"{type(e).__name__}: {e}") from None
        if time.monotonic() > deadline:
            break
    raise SourceError(url, detail=f"{last} (after {tries} tries)")


def location_to_source(
    location: str,
    max_bytes: int | None = None,
    timeout: float | None = None,
    tries: int | None = None,
    backoff: float | None = None,
) -> Source:
    """Given a path or an http(s) URL, return its Source (bytes, kind, sha256) or raise a SourceError."""
    max_bytes = DEFAULT_MAX_SOURCE_BYTES if max_bytes is None else max_bytes
    timeout = DEFAULT_TIMEOUT_SECONDS if timeout is None else timeout
    tries = DEFAULT_FETCH_TRIES if tries is None else tries
    backoff = DEFAULT_BACKOFF_SECONDS if backoff is None else backoff
    data = _read_url(location, max_bytes, timeout, tries, backoff) if is_url(location) else _read_file(location, max_bytes)
    if not data.strip():
        raise SourceKindError(location, detail="the document is empty")
    return Source(data=data, kind=bytes_to_kind(data), sha256=hashlib.sha256(data).hexdigest(), origin=location, name=source_name(location))
