"""A local web server for source snapshots (never the internet) and the settings that reach it.

The server is reached as http://news.test:<port>/ through FACTMARK_FETCH_TEST_HOSTS, an
explicit test-only name → address map: the production allow rule stays strict, so a
redirect to http://127.0.0.1:<port>/ is still refused.
"""

import gzip
import time
from http.server import BaseHTTPRequestHandler

import pytest

from tests.conftest import make_claim
from tests.localserver import serve

SOURCE_PAGE = """<!doctype html><html><head><title>Barrier audit | Harbour Courier</title>
<meta property="og:site_name" content="Harbour Courier">
<meta property="article:published_time" content="2024-05-02T09:00:00Z"></head>
<body><nav>Home News Sport</nav><article><h1>Barrier audit</h1>
<p>The audit office said the barrier cost 41 million euros, four million more than planned.</p>
<p>Work finished in 2023, three years after the date first announced by the council.</p>
<p>Engineers told the audit that the gates had closed nine times during the first winter.</p>
</article><footer>Contact us</footer></body></html>"""
CHANGED_PAGE = SOURCE_PAGE.replace("41 million euros, four million more", "38 million euros, one million more")


class Site:
    """What the server answers; tests change it between fetches."""

    def __init__(self):
        self.pages = {}
        self.hits = []

    def reset(self):
        self.pages = {
            "/audit": (200, "text/html; charset=utf-8", SOURCE_PAGE.encode()),
            "/plain": (200, "text/plain; charset=utf-8", b"Ferry fares\n\nFares rise by 5% on 1 May, the operator said."),
            "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        }
        self.hits = []


SITE = Site()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        SITE.hits.append(self.path)
        port = self.server.server_address[1]
        try:
            if self.path == "/to-loopback":
                self._send(302, "text/html", b"", [("Location", f"http://127.0.0.1:{port}/audit")])
            elif self.path == "/slow":
                time.sleep(6)
                self._send(200, "text/html", SOURCE_PAGE.encode())
            elif self.path == "/trickle-headers":
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for _ in range(40):  # a header byte every 0.25 s: 10 s at most, then it ends by itself
                    self.wfile.write(b"X")
                    self.wfile.flush()
                    time.sleep(0.25)
            elif self.path == "/huge":
                self._send(200, "text/html", b"<p>" + b"a" * 60_000 + b"</p>")
            elif self.path == "/gzip-bomb":
                self._send(200, "text/html", gzip.compress(b"a" * 5_000_000), [("Content-Encoding", "gzip")])
            elif self.path in SITE.pages:
                self._send(*SITE.pages[self.path])
            else:
                self._send(404, "text/html", b"<p>Not here</p>")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, status, content_type, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="session")
def _server():
    with serve(_Handler) as port:
        yield port


@pytest.fixture
def site(_server, settings):
    """The local site as http://news.test:<port>, tasks run immediately, small size limit."""
    SITE.reset()
    settings.FACTMARK_FETCH_TEST_HOSTS = {"news.test": "127.0.0.1"}
    settings.FACTMARK_IMPORT_ALLOW_PRIVATE = False
    settings.FACTMARK_FETCH_TIMEOUT = 4  # roomy: a loaded CI machine must not turn a 404 into a timeout
    settings.FACTMARK_SOURCE_MAX_BYTES = 50_000
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    SITE.base = f"http://news.test:{_server}"
    SITE.port = _server
    return SITE


@pytest.fixture
def claim(cast):
    return make_claim(cast.article, "The council said the barrier cost 41 million euros", cast.alice)
