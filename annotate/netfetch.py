"""One safe way to download a web page: article import and source snapshots share it.

No Django here (``annotate.extract`` imports it and stays Django-free). What it
guarantees, for the first address and for every redirect:

* **http/https only**, with a host name; anything else is refused before any I/O.
* **Resolve once, check every address, connect to the checked address.** The
  host name is resolved a single time per hop; every address it resolves to must
  pass :func:`is_public` (a strict *allow* rule: global unicast only), and the
  TCP connection goes to that very address, so a DNS answer that changes between
  check and connect (rebinding) cannot reach the newsroom's network. The Host
  header, TLS SNI and the certificate check still use the name.
* **One total deadline** covering DNS, connect, the response headers and the
  body: a server that trickles a header byte every two seconds is cut off when
  the deadline passes, not when it stops sending.
* **A few at once per process**: beyond ``concurrency`` fetches in flight the
  next one is refused at once with a clear message (a slow site must not tie up
  every web worker).
* A size cap (Content-Length first, then while reading), content-type and
  content-encoding checks (no decompression: a gzip bomb stays a few bytes).

Errors are :class:`FetchProblem` (an ``ImportProblem``), whose text is meant for
the user and whose ``kind`` / ``status`` let a re-check tell "page gone" (HTTP
4xx/5xx, unknown host) from "refused" or "too slow".

>>> is_public(ipaddress.ip_address("93.184.215.14")), is_public(ipaddress.ip_address("64:ff9b::a00:1"))
(True, False)
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message

from annotate.decoding import MAX_BYTES, ImportProblem, describe_size

USER_AGENT = "Factmark/1.0 (fact-checking; +https://github.com/factmark)"
ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,*/*;q=0.1"
MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 10.0
DEFAULT_CONCURRENCY = 4
_READ_CHUNK = 64 * 1024
# Media types read as pages (besides text/*); octet-stream because many servers say so for .txt/.md.
PAGE_TYPES = frozenset({"application/xhtml+xml", "application/octet-stream", "text/markdown", "text/x-markdown"})

# --------------------------------------------------------------------------
# the allow rule
# --------------------------------------------------------------------------

# IANA special-purpose IPv4 blocks (RFC 6890 and successors). `is_global` already
# excludes most; listing them keeps the rule readable and version-independent.
_IPV4_REFUSED = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
        "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24",
        "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15",
        "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    )
)  # fmt: skip
_IPV6_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")
# Inside 2000::/3 but not a plain host on the internet: 6to4 and Teredo embed an
# IPv4 address (possibly a private one), the rest are protocol/documentation ranges.
# NAT64 (64:ff9b::/96, 64:ff9b:1::/48), IPv4-mapped/compatible/translated (::/80
# forms) and site-local fec0::/10 lie outside 2000::/3 and so are refused anyway.
_IPV6_REFUSED = tuple(
    ipaddress.ip_network(n)
    for n in ("2002::/16", "2001::/23", "2001:db8::/32", "3fff::/20", "2620:4f:8000::/48")
)


def is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True only for a global unicast address a public web server can have.

    >>> [is_public(ipaddress.ip_address(a)) for a in ("127.0.0.1", "::7f00:1", "2002:7f00:1::1", "fec0::1")]
    [False, False, False, False]
    >>> is_public(ipaddress.ip_address("2606:4700::6810:85e5"))
    True
    """
    if isinstance(ip, ipaddress.IPv4Address):
        return ip.is_global and not any(ip in net for net in _IPV4_REFUSED)
    if ip.scope_id or ip not in _IPV6_GLOBAL_UNICAST:
        return False
    return ip.is_global and not ip.is_multicast and not any(ip in net for net in _IPV6_REFUSED)


# --------------------------------------------------------------------------
# problems
# --------------------------------------------------------------------------


class FetchProblem(ImportProblem):
    """A page could not be fetched. ``kind``: refused, dns, connect, timeout, http, size, type, busy."""

    def __init__(self, message: str, kind: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status

    @property
    def page_gone(self) -> bool:
        """The page is not there any more (what a re-check flags), as opposed to a refusal or a slow server."""
        return self.kind == "dns" or (self.kind == "http" and (self.status or 0) >= 400)


def _private(host: str) -> FetchProblem:
    # The app server must not become a way into the newsroom's network.
    return FetchProblem(f"{host} is a local or private address; only public web pages can be imported.", "refused")


def check_url(url: str) -> urllib.parse.SplitResult:
    """The parsed URL if it is http(s) with a host; no network I/O."""
    try:
        parts = urllib.parse.urlsplit(url)
        scheme, host, _ = parts.scheme.lower(), parts.hostname, parts.port
    except ValueError:
        raise FetchProblem("That web address is not valid.", "refused") from None
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "an address without http:// or https://"
        raise FetchProblem(f"Only http:// and https:// addresses can be imported, not {shown}.", "refused")
    if not host:
        raise FetchProblem("That web address has no server name.", "refused")
    return parts


# --------------------------------------------------------------------------
# the deadline
# --------------------------------------------------------------------------


class _Deadline:
    """One clock for the whole fetch; when it runs out, open sockets are shut down.

    Socket timeouts bound each wait, not the total: a server trickling a byte
    every second never trips them. The watchdog timer closes the connection
    under the reader instead, whatever it is waiting for.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        left = self.ends - time.monotonic()
        if left <= 0:
            self.expired = True
        return max(left, 0.001)

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shutdown(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


# --------------------------------------------------------------------------
# resolving once, connecting to the checked address
# --------------------------------------------------------------------------

Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for host (socket.getaddrinfo, looked up at call time)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def _within(deadline: _Deadline, function: Callable[[], list[str]]) -> list[str]:
    """function() in a helper thread, given up on when the deadline passes (getaddrinfo has no timeout)."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = function()
        except BaseException as error:  # noqa: BLE001 — handed to the caller below
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(deadline.remaining())
    if thread.is_alive():
        deadline.expired = True
        raise TimeoutError("DNS lookup")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


@dataclass
class _Policy:
    deadline: _Deadline
    resolver: Resolver
    allow_private: bool
    # Names with fixed, trusted addresses (tests' local servers); never set in production.
    hosts: Mapping[str, str]
    pinned: dict[tuple[str, int], str] = field(default_factory=dict)

    def address(self, host: str, port: int) -> str:
        """The one checked address to connect to for host:port (resolved once per fetch)."""
        key = (host.lower(), port)
        if key in self.pinned:
            return self.pinned[key]
        if host.lower() in self.hosts:
            self.pinned[key] = self.hosts[host.lower()]
            return self.pinned[key]
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            addresses = [str(literal)]
        else:
            try:
                addresses = _within(self.deadline, functools.partial(self.resolver, host, port))
            except (socket.gaierror, UnicodeError):
                raise FetchProblem(f"Could not find the server {host}.", "dns") from None
            if not addresses:
                raise FetchProblem(f"Could not find the server {host}.", "dns")
        if not self.allow_private:
            for address in addresses:
                try:
                    ip = ipaddress.ip_address(address)  # a scoped "fe80::1%eth0" keeps its scope: refused
                except ValueError:
                    ip = None
                # Every answer must pass: a name with one public and one private address is refused.
                if ip is None or not is_public(ip):
                    raise _private(host)
        self.pinned[key] = addresses[0]
        return addresses[0]


def _pinned(base: type[http.client.HTTPConnection]) -> type[http.client.HTTPConnection]:
    class Pinned(base):  # type: ignore[valid-type, misc]
        """Connects to the address the policy checked; Host, SNI and certificate use the name."""

        def __init__(self, host: str, *, policy: _Policy, **kwargs: object) -> None:
            kwargs["timeout"] = policy.deadline.remaining()
            super().__init__(host, **kwargs)
            self._policy = policy
            self._checked = policy.address(self.host, self.port)

        def connect(self) -> None:
            policy = self._policy

            def create(address: tuple[str, int], timeout: float, source: object = None) -> socket.socket:
                sock = socket.create_connection((self._checked, address[1]), policy.deadline.remaining())
                sock.settimeout(policy.deadline.remaining())
                policy.deadline.watch(sock)
                return sock

            self._create_connection = create
            super().connect()

    return Pinned


_PinnedHTTP = _pinned(http.client.HTTPConnection)
_PinnedHTTPS = _pinned(http.client.HTTPSConnection)


class _PinnedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, policy: _Policy) -> None:
        super().__init__()
        self.policy = policy

    def http_open(self, req):  # type: ignore[no-untyped-def]
        return self.do_open(functools.partial(_PinnedHTTP, policy=self.policy), req)


class _PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, policy: _Policy, context: ssl.SSLContext | None = None) -> None:
        super().__init__(context=context)
        self.policy = policy

    def https_open(self, req):  # type: ignore[no-untyped-def]
        return self.do_open(functools.partial(_PinnedHTTPS, policy=self.policy), req, context=self._context)


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect must be http(s) with a host; its address is checked when it is opened."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
        location = headers.get("Location") or headers.get("URI")
        if location:
            try:
                check_url(urllib.parse.urljoin(req.full_url, location))
            except FetchProblem:
                fp.close()
                raise
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


# --------------------------------------------------------------------------
# how many at once
# --------------------------------------------------------------------------

_slots = threading.BoundedSemaphore(DEFAULT_CONCURRENCY)
_slot_count = DEFAULT_CONCURRENCY


def set_concurrency(count: int) -> None:
    """At most ``count`` fetches in flight in this process (settings call this once at start-up)."""
    global _slots, _slot_count
    _slots, _slot_count = threading.BoundedSemaphore(max(1, count)), max(1, count)


# --------------------------------------------------------------------------
# fetch
# --------------------------------------------------------------------------


@dataclass
class Fetched:
    url: str  # after redirects
    status: int
    content_type: str
    data: bytes


def media_type(content_type: str) -> tuple[str, str | None]:
    """('text/html', 'iso-8859-1') from 'text/html; charset="ISO-8859-1"'."""
    if not content_type:
        return "", None
    message = Message()
    message["content-type"] = content_type
    return message.get_content_type(), message.get_param("charset")


def _reason(error: BaseException) -> str:
    reason = getattr(error, "reason", error)
    return getattr(reason, "strerror", None) or str(reason)


def fetch(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_BYTES,
    allow_private: bool = False,
    resolver: Resolver | None = None,
    hosts: Mapping[str, str] | None = None,
    user_agent: str = USER_AGENT,
    noun: str = "article",
    ssl_context: ssl.SSLContext | None = None,
) -> Fetched:
    """Download url under the guards above; the body is at most ``max_bytes``.

    ``allow_private`` is for intranet installs; ``resolver``, ``hosts``
    (name → address, trusted as checked) and ``ssl_context`` (a test CA) are for tests;
    certificates are always verified against the host name. ``noun`` names the
    thing in size messages ("The article is 3 MB…").

    >>> try:
    ...     fetch("file:///etc/passwd")
    ... except FetchProblem as problem:
    ...     print(problem, problem.kind)
    Only http:// and https:// addresses can be imported, not file:. refused
    """
    url = url.strip()
    parts = check_url(url)
    host = parts.hostname or ""
    if not _slots.acquire(blocking=False):
        raise FetchProblem(
            f"Factmark is already fetching {_slot_count} web pages; try again in a minute.", "busy"
        )
    deadline = _Deadline(timeout)
    try:
        policy = _Policy(deadline, resolver or system_resolver, allow_private, {k.lower(): v for k, v in (hosts or {}).items()})
        return _fetch(url, parts, policy, max_bytes, user_agent, noun, ssl_context)
    finally:
        deadline.cancel()
        _slots.release()


def _fetch(url: str, parts: urllib.parse.SplitResult, policy: _Policy, max_bytes: int, user_agent: str, noun: str,
           ssl_context: ssl.SSLContext | None) -> Fetched:  # fmt: skip
    host = parts.hostname or ""
    deadline = policy.deadline
    # The first hop is resolved and checked before anything is opened.
    try:
        policy.address(host, parts.port or (443 if parts.scheme.lower() == "https" else 80))
    except TimeoutError:
        raise FetchProblem(f"{host} did not answer within {deadline.seconds:g} seconds.", "timeout") from None
    request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept": ACCEPT, "Accept-Encoding": "identity"})
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}),  # a proxy would connect on our behalf, unchecked
        _PinnedHTTPHandler(policy),
        _PinnedHTTPSHandler(policy, ssl_context),
        _CheckedRedirects(),
    )
    reading = False
    try:
        with opener.open(request, timeout=deadline.remaining()) as response:
            if deadline.expired:  # headers cut short by the watchdog
                raise TimeoutError
            reading = True
            status = response.status
            if not 200 <= status < 300:
                raise FetchProblem(f"The server answered {status} {response.reason} for {url}.", "http", status)
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise FetchProblem(f"The {noun} is {describe_size(int(length))}; the limit is {describe_size(max_bytes)}.", "size")
            content_type = response.headers.get("Content-Type", "")
            kind, _ = media_type(content_type)
            if kind and not (kind.startswith("text/") or kind in PAGE_TYPES):
                raise FetchProblem(f"The address points to a {kind} file, not a web page.", "type")
            encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
            if encoding not in ("", "identity"):
                # Never decompressed: a small gzip bomb would expand to gigabytes.
                raise FetchProblem(f"The server sent the page compressed ({encoding}) although asked not to.", "type")
            chunks: list[bytes] = []
            received = 0
            while received <= max_bytes:
                chunk = response.read1(min(_READ_CHUNK, max_bytes + 1 - received))
                if deadline.expired:
                    raise TimeoutError
                if not chunk:
                    break
                chunks.append(chunk)
                received += len(chunk)
            final_url = response.geturl()
    except FetchProblem:
        raise
    except urllib.error.HTTPError as error:
        error.close()
        raise FetchProblem(f"The server answered {error.code} {error.reason} for {url}.", "http", error.code) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        reason = getattr(error, "reason", error)
        if deadline.expired or isinstance(reason, (TimeoutError, socket.timeout)) or isinstance(error, TimeoutError):
            if reading:
                raise FetchProblem(f"{host} took longer than {deadline.seconds:g} seconds to send the page.", "timeout") from None
            raise FetchProblem(f"{host} did not answer within {deadline.seconds:g} seconds.", "timeout") from None
        if isinstance(error, urllib.error.URLError):
            raise FetchProblem(f"Could not reach {host}: {_reason(error)}.", "connect") from None
        raise FetchProblem(f"Could not download the page from {host}: {_reason(error)}.", "connect") from None
    if deadline.expired:
        raise FetchProblem(f"{host} took longer than {deadline.seconds:g} seconds to send the page.", "timeout")
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise FetchProblem(f"The {noun} is over {describe_size(max_bytes)}; the limit is {describe_size(max_bytes)}.", "size")
    return Fetched(url=final_url, status=status, content_type=content_type, data=data)

