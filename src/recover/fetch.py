"""Fetch: the bytes of a SOURCE (a local path or an http(s) URL), its kind told from its content.

The kind is never taken from the name: ``%PDF-`` is a PDF, markup is HTML, anything else
must decode as text. Sizes are capped while reading, URLs get real timeouts, followed
redirects and retries with backoff on transient failures; every failure is one line
naming the source.

Every bound is checked where the work happens: the fetch deadline on each socket operation
(connect, headers and body alike, through an httpcore network backend), the size on the
bytes as they arrive and again on each content coding as it is inflated (``zlib`` with
``max_length``, so ``Content-Encoding: gzip, gzip`` never inflates more than the bound).
"""

from __future__ import annotations

import concurrent.futures
import errno
import hashlib
import ipaddress
import os
import re
import socket
import ssl
import stat
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from .errors import BoundError, SourceError, SourceKindError, SourceMissingError
from .escape import DEFAULT_MAX_NAME_CHARS as DEFAULT_MAX_NAME_CHARS
from .escape import text_to_folder_name
from .model import Source

if TYPE_CHECKING:
    import httpcore
    import httpx

#: Largest source read, in bytes (after any content coding is undone).
DEFAULT_MAX_SOURCE_BYTES = 50_000_000
#: Seconds to wait to connect to, and between bytes from, a server.
DEFAULT_TIMEOUT_SECONDS = 20.0
#: Most seconds one URL fetch may take in all: connect, headers, body, redirects and retries.
DEFAULT_MAX_FETCH_SECONDS = 120.0
#: Tries for a URL that fails with a transient error (timeouts, 429, 5xx).
DEFAULT_FETCH_TRIES = 3
#: Seconds before the first retry; doubled each time.
DEFAULT_BACKOFF_SECONDS = 0.5
#: Most redirects followed for one URL.
DEFAULT_MAX_REDIRECTS = 10
#: Most content codings stacked on one response (``Content-Encoding: gzip, gzip`` is two).
DEFAULT_MAX_CONTENT_CODINGS = 2
TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}

#: Bytes inflated per step of a content coding (each step's output is counted before the next).
_INFLATE_STEP = 1 << 16
_CODINGS = ("gzip", "x-gzip", "deflate")

_URL = re.compile(r"^https?://", re.IGNORECASE)
_HTML = re.compile(rb"<(!doctype\s+html|html|head|body|table|p|div|br|tr|td|meta|title)\b", re.IGNORECASE)


def is_url(location: str) -> bool:
    return bool(_URL.match(location))


def source_name(location: str) -> str:
    """Given a path or URL, return the document's name: the stem or last path segment, lower-cased, safe (at most DEFAULT_MAX_NAME_CHARS)."""
    if is_url(location):
        try:
            parsed = urlparse(location)
            segment = unquote(parsed.path.rstrip("/").rsplit("/", 1)[-1]) or parsed.hostname or "document"
        except ValueError:  # a malformed URL (its fetch says so): still a name
            segment = "document"
        stem = segment.rsplit(".", 1)[0] if "." in segment else segment
    else:
        stem = Path(location).stem
    return text_to_folder_name(stem)


def bytes_to_kind(data: bytes) -> str:
    """Given a document's bytes, return its kind: "pdf", "html" or "text" (or raise if binary)."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    if head.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    if _HTML.search(data[:65536]) and data[:65536].count(b"<") >= 2:
        return "html"
    return "text"


def _size_bound(where: str, what: str, max_bytes: int) -> BoundError:
    return BoundError(where, what=what, limit=f"{max_bytes:,} bytes", setting="DEFAULT_MAX_SOURCE_BYTES")


def _read_file(location: str, max_bytes: int) -> bytes:
    """Given a path, return its bytes: a regular file only (a FIFO or a device is refused before it is read)."""
    try:
        st = os.stat(location)
        if stat.S_ISDIR(st.st_mode):
            raise SourceKindError(location, detail="a directory, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise SourceKindError(location, detail="not a regular file (a device, FIFO or socket)")
        if st.st_size > max_bytes:
            raise _size_bound(location, f"file of {st.st_size:,} bytes", max_bytes)
        # O_NONBLOCK: should the path have become a FIFO since the stat, opening it does not wait for a writer
        fd = os.open(location, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise SourceKindError(location, detail="not a regular file (a device, FIFO or socket)")
            data = f.read(max_bytes + 1)
    except FileNotFoundError:
        raise SourceMissingError(location) from None
    except NotADirectoryError:
        raise SourceMissingError(location) from None  # a folder on its path is a file: there is no such file
    except PermissionError:
        raise SourceError(location, detail="permission denied") from None
    except IsADirectoryError:
        raise SourceKindError(location, detail="a directory, not a file") from None
    except OSError as e:
        if e.errno == errno.ENOENT:
            raise SourceMissingError(location) from None
        raise SourceError(location, detail=f"cannot read: {e.strerror or type(e).__name__}") from None
    except ValueError:  # an embedded NUL byte
        raise SourceError(location, detail="not a valid path") from None
    if len(data) > max_bytes:
        raise _size_bound(location, "file", max_bytes)
    return data


# ----------------------------------------------------------------------------- URLs


class _Deadline:
    """The moment a fetch must be over by; each socket operation waits at most until then."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        return self.at - time.monotonic()

    def passed(self) -> bool:
        return self.left() <= 0

    def bound(self, url: str) -> BoundError:
        return BoundError(url, what="fetch time", limit=f"{self.seconds:g} s", setting="DEFAULT_MAX_FETCH_SECONDS")


#: One result of ``socket.getaddrinfo``: (family, type, proto, canonname, sockaddr).
AddrInfo = tuple[socket.AddressFamily, socket.SocketKind, int, str, tuple[Any, ...]]


def _resolve(host: str, port: int) -> Sequence[AddrInfo]:
    """Given a host name and port, return its addresses for a TCP connection (what ``socket.create_connection`` asks)."""
    return socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)


def _resolve_within(host: str, port: int, seconds: float) -> Sequence[AddrInfo]:
    """Given a host name, port and seconds, return its addresses, or raise TimeoutError once the seconds have passed.

    getaddrinfo takes no timeout and cannot be cancelled, so it runs in a daemon thread that is
    left behind if it hangs (it cannot hold the process open at exit).
    """
    future: Future[Sequence[AddrInfo]] = Future()

    def work() -> None:
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(_resolve(host, port))
            except BaseException as e:
                future.set_exception(e)

    threading.Thread(target=work, name=f"recover-resolve-{host[:40]}", daemon=True).start()
    return future.result(timeout=seconds)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _deadline_backend(deadline: _Deadline) -> httpcore.NetworkBackend:
    """Given a deadline, return an httpcore network backend whose every lookup, connect, read and write ends by it.

    httpx's timeouts are per operation, so a server that sends one header byte every few
    seconds never trips them; here each operation's timeout is cut to the time left. Host
    names are resolved here too (getaddrinfo has no timeout of its own), and the connection
    made to the address found: the Host header and TLS server name still come from the URL.
    """
    import httpcore

    def cut(timeout: float | None, exc: type[Exception]) -> float:
        left = deadline.left()
        if left <= 0:
            raise exc("the fetch deadline has passed (DEFAULT_MAX_FETCH_SECONDS)")
        return left if timeout is None else min(timeout, left)

    class Stream(httpcore.NetworkStream):
        def __init__(self, inner: httpcore.NetworkStream):
            self.inner = inner

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            return self.inner.read(max_bytes, cut(timeout, httpcore.ReadTimeout))

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self.inner.write(buffer, cut(timeout, httpcore.WriteTimeout))

        def close(self) -> None:
            self.inner.close()

        def start_tls(
            self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
        ) -> httpcore.NetworkStream:
            return Stream(self.inner.start_tls(ssl_context, server_hostname, cut(timeout, httpcore.ConnectTimeout)))

        def get_extra_info(self, info: str) -> Any:
            return self.inner.get_extra_info(info)

    class Backend(httpcore.NetworkBackend):
        def __init__(self) -> None:
            self.inner = httpcore.SyncBackend()

        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Iterable[Any] | None = None,
        ) -> httpcore.NetworkStream:
            if _is_ip(host):
                addresses = [host]
            else:
                try:
                    infos = _resolve_within(host, port, cut(timeout, httpcore.ConnectTimeout))
                except concurrent.futures.TimeoutError:
                    raise httpcore.ConnectTimeout(f"no address for {host[:100]} in time") from None
                except OSError as e:  # as socket.create_connection's lookup fails inside httpcore
                    raise httpcore.ConnectError(e) from e
                addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
                if not addresses:  # pragma: no cover - getaddrinfo raises rather than return nothing
                    raise httpcore.ConnectError(f"no address for {host[:100]}")
            options = list(socket_options) if socket_options is not None else None
            last: Exception | None = None
            for address in addresses:  # each in turn, as socket.create_connection does
                try:
                    return Stream(
                        self.inner.connect_tcp(
                            address, port, cut(timeout, httpcore.ConnectTimeout), local_address, options
                        )
                    )
                except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                    last = e
            assert last is not None
            raise last

        def connect_unix_socket(
            self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
        ) -> httpcore.NetworkStream:  # pragma: no cover - not used for URLs
            return Stream(self.inner.connect_unix_socket(path, cut(timeout, httpcore.ConnectTimeout), socket_options))

        def sleep(self, seconds: float) -> None:  # pragma: no cover
            self.inner.sleep(min(seconds, max(deadline.left(), 0)))

    return Backend()


def _client(deadline: _Deadline, timeout: float) -> httpx.Client:
    """Given the fetch's deadline, return an httpx client whose connections keep it (redirects are followed by hand)."""
    import httpcore
    import httpx

    transport = httpx.HTTPTransport()
    # the same pool httpx builds, with a network backend that keeps the deadline (a proxy from the environment
    # gets httpx's own transport: there the deadline is kept between body chunks, as before)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(), network_backend=_deadline_backend(deadline)
    )
    return httpx.Client(transport=transport, timeout=httpx.Timeout(timeout), follow_redirects=False)


class _Inflater:
    """One content coding undone in bounded steps: ``feed`` yields at most _INFLATE_STEP bytes at a time."""

    def __init__(self, coding: str):
        self.coding = coding
        self.wbits = 16 + zlib.MAX_WBITS if coding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self.d = zlib.decompressobj(self.wbits)
        self.started = False  # some output came, or the first header was accepted
        self.members = 0  # gzip members read to their end
        self.done = False  # past the last member: whatever follows is ignored, as browsers do

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data and not self.done:
            try:
                out = self.d.decompress(data, _INFLATE_STEP)
            except zlib.error:
                if self.coding == "deflate" and not self.started:  # raw deflate, as some servers send it
                    self.wbits, self.d, self.started = -zlib.MAX_WBITS, zlib.decompressobj(-zlib.MAX_WBITS), True
                    continue
                if self.members:  # trailing bytes after a whole gzip member
                    self.done = True
                    return
                raise
            self.started = True
            data = self.d.unconsumed_tail
            if self.d.eof:
                self.members += 1
                data = self.d.unused_data.lstrip(b"\x00")
                if self.wbits < 0 or self.wbits == zlib.MAX_WBITS:
                    self.done = True  # a deflate body is one stream
                self.d = zlib.decompressobj(self.wbits)  # a gzip body may hold several members
            if out:
                yield out

    def flush(self) -> Iterator[bytes]:
        if not self.done:
            out = self.d.flush(_INFLATE_STEP)
            if out:
                yield out


def _decoded(
    chunks: Iterator[bytes], codings: list[str], url: str, max_bytes: int, deadline: _Deadline
) -> Iterator[bytes]:
    """Given the raw body's chunks and its content codings (in the order applied), yield the body decoded.

    Every coding's output is counted against ``max_bytes`` as it is produced, so a body
    that inflates past the bound stops there, whatever it would have inflated to.
    """
    layers = [_Inflater(c) for c in reversed(codings)]
    sizes = [0] * (len(layers) + 1)

    def push(level: int, data: bytes) -> Iterator[bytes]:
        sizes[level] += len(data)
        if sizes[level] > max_bytes:
            what = "response" if level == 0 else "decompressed response"
            raise _size_bound(url, what, max_bytes)
        if deadline.passed():
            raise deadline.bound(url)
        if level == len(layers):
            yield data
            return
        for out in layers[level].feed(data):
            yield from push(level + 1, out)

    for chunk in chunks:
        yield from push(0, chunk)
    for level, layer in enumerate(layers):
        for out in layer.flush():
            yield from push(level + 1, out)


def _codings(resp: httpx.Response, url: str) -> list[str]:
    codings = [c.strip().lower() for c in resp.headers.get_list("content-encoding", split_commas=True)]
    codings = [c for c in codings if c and c != "identity"]
    for c in codings:
        if c not in _CODINGS:
            raise SourceError(url, detail=f"unsupported Content-Encoding '{c[:40]}' (recover reads gzip and deflate)")
    if len(codings) > DEFAULT_MAX_CONTENT_CODINGS:
        raise BoundError(
            url,
            what=f"Content-Encoding of {len(codings)} codings",
            limit=f"{DEFAULT_MAX_CONTENT_CODINGS}",
            setting="DEFAULT_MAX_CONTENT_CODINGS",
        )
    return codings


class _Transient(Exception):
    """A status worth another try (429, 5xx)."""


def _read_url(url: str, max_bytes: int, timeout: float, tries: int, backoff: float) -> bytes:
    import httpx

    deadline = _Deadline(DEFAULT_MAX_FETCH_SECONDS)
    try:
        httpx.URL(url)
    except (httpx.InvalidURL, ValueError, UnicodeError) as e:
        raise SourceError(url, detail=f"not a valid URL ({' '.join(str(e).split())[:200]})") from None
    last = ""
    for attempt in range(tries):
        if attempt:
            pause = backoff * 2 ** (attempt - 1)
            if pause >= deadline.left():
                raise deadline.bound(url)
            time.sleep(pause)
        try:
            with _client(deadline, timeout) as client:
                request = client.build_request(
                    "GET", url, headers={"User-Agent": "recover/0.1", "Accept-Encoding": "gzip, deflate"}
                )
                for _ in range(DEFAULT_MAX_REDIRECTS + 1):
                    resp = client.send(request, stream=True)
                    try:
                        if resp.next_request is None:
                            return _body(resp, url, max_bytes, deadline)
                        request = resp.next_request  # a redirect: its body is never read
                        if request.url.scheme not in ("http", "https"):
                            raise SourceError(
                                url, detail=f"redirected to a URL that is not http(s): {str(request.url)[:200]}"
                            )
                    finally:
                        resp.close()
                raise BoundError(
                    url,
                    what="redirect chain",
                    limit=f"{DEFAULT_MAX_REDIRECTS} redirects",
                    setting="DEFAULT_MAX_REDIRECTS",
                )
        except _Transient as e:
            last = str(e)
        except httpx.TimeoutException:
            if deadline.passed():
                raise deadline.bound(url) from None
            last = f"no answer within {timeout:g} s (DEFAULT_TIMEOUT_SECONDS)"
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as e:
            last = f"cannot connect: {str(e).splitlines()[0] if str(e) else type(e).__name__}"
        except httpx.DecodingError as e:  # pragma: no cover - bodies are decoded here, not by httpx
            raise SourceKindError(url, detail=f"the response cannot be decoded ({e})") from None
        except httpx.HTTPError as e:
            raise SourceError(url, detail=f"{type(e).__name__}: {' '.join(str(e).split())[:200]}") from None
        except (
            httpx.InvalidURL,
            UnicodeError,
        ) as e:  # UnicodeError: a host name IDNA refuses (idna's errors are UnicodeErrors)
            raise SourceError(url, detail=f"not a valid URL ({' '.join(str(e).split())[:200]})") from None
        if deadline.passed():
            raise deadline.bound(url)
    raise SourceError(url, detail=f"{last} (after {tries} tries)")


def _body(resp: httpx.Response, url: str, max_bytes: int, deadline: _Deadline) -> bytes:
    """Given a final (not redirecting) streamed response, return its body decoded, or raise."""
    if resp.status_code >= 400:
        last = f"HTTP {resp.status_code} {resp.reason_phrase}".strip()
        if resp.status_code in TRANSIENT_STATUS:
            raise _Transient(last)
        raise SourceError(url, detail=last)
    declared = resp.headers.get("content-length")
    codings = _codings(resp, url)
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _size_bound(url, f"response of {int(declared):,} bytes", max_bytes)
    chunks: list[bytes] = []
    try:
        chunks.extend(_decoded(resp.iter_raw(), codings, url, max_bytes, deadline))
    except zlib.error as e:
        raise SourceKindError(url, detail=f"its {', '.join(codings)} content coding is damaged ({e})") from None
    return b"".join(chunks)


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
    data = (
        _read_url(location, max_bytes, timeout, tries, backoff) if is_url(location) else _read_file(location, max_bytes)
    )
    if not data.strip():
        raise SourceKindError(location, detail="the document is empty")
    return Source(
        data=data,
        kind=bytes_to_kind(data),
        sha256=hashlib.sha256(data).hexdigest(),
        origin=location,
        name=source_name(location),
    )
