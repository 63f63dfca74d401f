"""The one safe fetcher (annotate/netfetch.py): SSRF rule, resolve-once pinning, total deadline, concurrency cap.

Only local servers this module starts, and resolver stubs: never the internet. Local
servers are reached through ``hosts`` (a test-only name → address map trusted as
checked), so the production allow rule is never relaxed for them.
"""

import doctest
import ipaddress
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler

import pytest

from annotate import netfetch
from annotate.netfetch import FetchProblem, fetch, is_public
from tests.localserver import serve

# The addresses issue 18 found accepted, plus the classic private ones.
REFUSED = [
    "::7f00:1",  # IPv4-compatible 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b:1::a00:1",  # local-use NAT64
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "::ffff:0:7f00:1",  # IPv4-translated 127.0.0.1
    "::ffff:127.0.0.1",  # IPv4-mapped
    "fec0::1",  # site-local
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "2001:db8::1",  # documentation
    "fc00::1", "fe80::1", "::1", "::", "ff02::1",
    "127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "192.0.0.1", "192.0.2.1", "198.18.0.1", "224.0.0.1", "240.0.0.1", "255.255.255.255",
]  # fmt: skip
PUBLIC = ["93.184.215.14", "1.1.1.1", "2606:4700::6810:85e5", "2a00:1450:4001:82b::200e"]


def test_the_doctests_hold():
    assert doctest.testmod(netfetch).failed == 0


@pytest.mark.parametrize("address", REFUSED)
def test_the_allow_rule_refuses_every_special_address(address):
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_the_allow_rule_accepts_global_unicast(address):
    assert is_public(ipaddress.ip_address(address))


@pytest.fixture
def no_connect(monkeypatch):
    """Any connection attempt fails the test."""
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: pytest.fail("connected"))


def _literal(address):
    return f"[{address}]" if ":" in address else address


@pytest.mark.parametrize("address", REFUSED)
def test_a_literal_special_address_is_refused_without_connecting(no_connect, address):
    with pytest.raises(FetchProblem) as problem:
        fetch(f"http://{_literal(address)}/", timeout=2, resolver=lambda *a: pytest.fail("resolved"))
    assert "local or private address" in str(problem.value)
    assert problem.value.kind == "refused"


@pytest.mark.parametrize("address", REFUSED)
def test_a_name_resolving_to_a_special_address_is_refused(no_connect, address):
    with pytest.raises(FetchProblem, match="news.example is a local or private address"):
        fetch("http://news.example/", timeout=2, resolver=lambda host, port: [address])


def test_one_private_answer_among_public_ones_is_enough_to_refuse(no_connect):
    with pytest.raises(FetchProblem, match="local or private"):
        fetch("http://news.example/", timeout=2, resolver=lambda host, port: ["93.184.215.14", "10.0.0.1"])


def test_the_connection_goes_to_the_checked_address_and_dns_is_asked_once(monkeypatch):
    """DNS rebinding: the second answer would be loopback; it is never asked for."""
    answers = iter([["93.184.215.14"], ["127.0.0.1"], ["127.0.0.1"]])
    asked, connected = [], []

    def rebinding(host, port):
        asked.append(host)
        return next(answers)

    def refuse(address, *args, **kwargs):
        connected.append(address)
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(socket, "create_connection", refuse)
    with pytest.raises(FetchProblem, match="Could not reach news.example: Connection refused"):
        fetch("http://news.example/story", timeout=2, resolver=rebinding)
    assert asked == ["news.example"]
    assert connected == [("93.184.215.14", 80)]


def test_an_unknown_host_is_a_dns_problem_that_counts_as_gone():
    def unknown(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(FetchProblem) as problem:
        fetch("https://gone.example/", timeout=2, resolver=unknown)
    assert str(problem.value) == "Could not find the server gone.example."
    assert problem.value.kind == "dns" and problem.value.page_gone


def test_a_resolver_that_hangs_is_cut_off_by_the_deadline():
    started = time.monotonic()
    with pytest.raises(FetchProblem, match="did not answer within 0.5 seconds") as problem:
        fetch("http://slow-dns.example/", timeout=0.5, resolver=lambda host, port: time.sleep(3) or ["93.184.215.14"])
    assert problem.value.kind == "timeout"
    assert time.monotonic() - started < 1.5


# --------------------------------------------------------------------------
# against a local server
# --------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    hosts_seen: list[str] = []

    def log_message(self, *args):
        pass

    def _send(self, status, body=b"", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        _Handler.hosts_seen.append(self.headers.get("Host", ""))
        port = self.server.server_address[1]
        try:
            if self.path == "/page":
                self._send(200, b"The page.")
            elif self.path == "/to-loopback":
                self._send(302, headers=[("Location", f"http://127.0.0.1:{port}/page")])
            elif self.path == "/to-private-name":
                self._send(302, headers=[("Location", f"http://intranet.example:{port}/page")])
            elif self.path == "/to-other-name":
                self._send(302, headers=[("Location", f"http://mirror.test:{port}/page")])
            elif self.path == "/gzip":
                self._send(200, b"\x1f\x8b\x08\x00" + b"\x00" * 20, headers=[("Content-Encoding", "gzip")])
            elif self.path == "/trickle-headers":
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for _ in range(40):  # one header byte every 0.2 s: at most 8 s, then it ends by itself
                    self.wfile.write(b"X")
                    self.wfile.flush()
                    time.sleep(0.2)
            elif self.path == "/hold":
                time.sleep(1.5)
                self._send(200, b"Held.")
            else:
                self._send(404, b"")
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture(scope="module")
def server():
    with serve(_Handler) as port:
        yield port


LOCAL = {"news.test": "127.0.0.1", "mirror.test": "127.0.0.1"}


def wait_until_all_slots_are_taken(limit=5.0):
    """Poll (a loaded machine may start threads late) until every fetch slot is in use."""
    ends = time.monotonic() + limit
    while netfetch._slots._value and time.monotonic() < ends:
        time.sleep(0.02)
    assert netfetch._slots._value == 0


def test_the_host_header_keeps_the_name_while_connecting_to_the_pinned_address(server):
    page = fetch(f"http://news.test:{server}/page", timeout=5, hosts=LOCAL, resolver=lambda *a: pytest.fail("resolved"))
    assert (page.status, page.data) == (200, b"The page.")
    assert _Handler.hosts_seen[-1] == f"news.test:{server}"


def test_a_redirect_to_loopback_is_refused(server):
    with pytest.raises(FetchProblem, match="127.0.0.1 is a local or private address"):
        fetch(f"http://news.test:{server}/to-loopback", timeout=5, hosts=LOCAL)


def test_a_redirect_to_a_name_resolving_privately_is_refused_after_one_lookup(server):
    asked = []

    def resolver(host, port):
        asked.append(host)
        return ["10.0.0.7"]

    with pytest.raises(FetchProblem, match="intranet.example is a local or private address"):
        fetch(f"http://news.test:{server}/to-private-name", timeout=5, hosts=LOCAL, resolver=resolver)
    assert asked == ["intranet.example"]


def test_a_redirect_to_an_allowed_name_is_followed(server):
    page = fetch(f"http://news.test:{server}/to-other-name", timeout=5, hosts=LOCAL)
    assert page.url == f"http://mirror.test:{server}/page"
    assert _Handler.hosts_seen[-1] == f"mirror.test:{server}"


def test_a_compressed_body_is_refused_not_inflated(server):
    with pytest.raises(FetchProblem, match=r"compressed \(gzip\)"):
        fetch(f"http://news.test:{server}/gzip", timeout=5, hosts=LOCAL)


def test_a_server_trickling_header_bytes_is_cut_off_at_the_total_deadline(server):
    started = time.monotonic()
    with pytest.raises(FetchProblem) as problem:
        fetch(f"http://news.test:{server}/trickle-headers", timeout=1, hosts=LOCAL)
    elapsed = time.monotonic() - started
    assert str(problem.value) == "news.test did not answer within 1 seconds."
    assert problem.value.kind == "timeout" and not problem.value.page_gone
    assert elapsed < 2, elapsed


def test_a_404_is_an_http_problem_that_counts_as_gone(server):
    with pytest.raises(FetchProblem) as problem:
        fetch(f"http://news.test:{server}/nothing", timeout=5, hosts=LOCAL)
    assert (problem.value.kind, problem.value.status, problem.value.page_gone) == ("http", 404, True)


def test_beyond_the_concurrency_cap_a_fetch_is_refused_at_once(server):
    netfetch.set_concurrency(2)
    try:
        results = []

        def hold():
            results.append(fetch(f"http://news.test:{server}/hold", timeout=5, hosts=LOCAL).data)

        holders = [threading.Thread(target=hold) for _ in range(2)]
        for thread in holders:
            thread.start()
        wait_until_all_slots_are_taken()  # both are waiting on the server
        started = time.monotonic()
        with pytest.raises(FetchProblem, match="already fetching 2 web pages; try again in a minute") as problem:
            fetch(f"http://news.test:{server}/page", timeout=5, hosts=LOCAL)
        assert problem.value.kind == "busy"
        assert time.monotonic() - started < 0.2
        for thread in holders:
            thread.join()
        assert results == [b"Held.", b"Held."]
        # Slots are given back: the next fetch goes through.
        assert fetch(f"http://news.test:{server}/page", timeout=5, hosts=LOCAL).data == b"The page."
    finally:
        netfetch.set_concurrency(netfetch.DEFAULT_CONCURRENCY)


# --------------------------------------------------------------------------
# HTTPS: the pinned address, SNI and the certificate check on the name
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """An HTTPS server on 127.0.0.1 with a self-signed certificate for news.test (made by openssl)."""
    import ssl
    import subprocess

    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
         "-subj", "/CN=news.test", "-addext", "subjectAltName=DNS:news.test"],
        check=True, capture_output=True,
    )  # fmt: skip
    names = []
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    server_context.sni_callback = lambda sock, name, ctx: names.append(name)
    client_context = ssl.create_default_context(cafile=str(cert))
    with serve(_Handler, tls=server_context) as port:
        yield port, client_context, names


def test_https_connects_to_the_pinned_address_with_sni_and_the_certificate_checked_on_the_name(tls_server):
    port, context, names = tls_server
    page = fetch(f"https://news.test:{port}/page", timeout=5, hosts={"news.test": "127.0.0.1"}, ssl_context=context)
    assert page.data == b"The page."
    assert names[-1] == "news.test" and _Handler.hosts_seen[-1] == f"news.test:{port}"


def test_https_refuses_a_certificate_for_another_name(tls_server):
    port, context, _ = tls_server
    with pytest.raises(FetchProblem, match="Could not reach mirror.test") as problem:
        fetch(f"https://mirror.test:{port}/page", timeout=5, hosts={"mirror.test": "127.0.0.1"}, ssl_context=context)
    assert "certificate" in str(problem.value).lower() or "hostname" in str(problem.value).lower()
