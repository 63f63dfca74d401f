"""annotate.extract: files, pasted text and web pages into articles. No database.

The fetch tests talk only to an http.server this module starts on 127.0.0.1.
"""

from __future__ import annotations

import codecs
import random
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from annotate import extract as extract_module
from annotate.extract import (
    MAX_BYTES,
    Extracted,
    ImportProblem,
    decode,
    extract,
    fetch,
    from_html,
    from_markdown,
    from_text,
)
from tests.localserver import serve

FIXTURES = Path(__file__).resolve().parent / "fixtures"
COUNCIL_PAGE = (FIXTURES / "council-budget.html").read_bytes()
COUNCIL_MARKDOWN = (FIXTURES / "council-budget.md").read_bytes()
# Text of the page that must never reach a body.
PAGE_FURNITURE = (
    "NAV-MARKER", "STYLE-MARKER", "SCRIPT_MARKER", "SCRIPT-MARKER", "alert(1)", "ASIDE-MARKER",
    "COMMENT-MARKER", "FOOTER-MARKER", "NOSCRIPT-MARKER", "Share on Facebook", "Related articles",
    "font-family", "schema.org",
)  # fmt: skip


def problem_message(call, *args, **kwargs) -> str:
    with pytest.raises(ImportProblem) as caught:
        call(*args, **kwargs)
    return str(caught.value)


# --------------------------------------------------------------------------
# decode
# --------------------------------------------------------------------------

CAFE = "“Café”, she said — twice."
GERMAN = "Ein Bär läuft über die Straße."
POLISH = "Burmistrz powiedział, że budżet miasta wzrósł o cztery procent."
RUSSIAN = "Мэр заявил, что бюджет города вырос на четыре процента."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(CAFE.encode("utf-8"), CAFE, id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + CAFE.encode("utf-8"), CAFE, id="utf-8-bom"),
        pytest.param(codecs.BOM_UTF16_LE + CAFE.encode("utf-16-le"), CAFE, id="utf-16-le-bom"),
        pytest.param(codecs.BOM_UTF16_BE + CAFE.encode("utf-16-be"), CAFE, id="utf-16-be-bom"),
        pytest.param(CAFE.encode("cp1252"), CAFE, id="cp1252-curly-quotes"),
        pytest.param("Caf\u00e9 au lait".encode("cp1252"), "Caf\u00e9 au lait", id="cp1252-short"),
        pytest.param("Le caf\u00e9 co\u00fbte 2 \u20ac.".encode("cp1252"), "Le caf\u00e9 co\u00fbte 2 \u20ac.", id="cp1252-euro"),
        pytest.param(POLISH.encode("cp1250"), POLISH, id="cp1250-polish-detected"),
        pytest.param(RUSSIAN.encode("cp1251"), RUSSIAN, id="cp1251-russian-detected"),
        pytest.param(GERMAN.encode("latin-1"), GERMAN, id="latin-1"),
    ],
)
def test_it_decodes(data, expected):
    assert decode(data) == expected


def test_it_honours_a_declared_encoding():
    assert decode("\u00c0 bient\u00f4t".encode("cp1252"), encoding="windows-1252") == "\u00c0 bient\u00f4t"
    assert decode("\u0414\u0430".encode("koi8-r"), encoding="koi8-r") == "\u0414\u0430"


def test_it_prefers_valid_utf8_over_a_wrong_label():
    assert decode(CAFE.encode("utf-8"), encoding="iso-8859-1") == CAFE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"", "The file is empty.", id="empty"),
        pytest.param(b" \r\n\t\n", "The file is empty.", id="whitespace-only"),
        pytest.param(codecs.BOM_UTF8, "The file is empty.", id="bom-only"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This looks like a binary file (PNG image), not an article.", id="png"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "This looks like a binary file (PDF document), not an article.", id="pdf"),
        pytest.param(b"PK\x03\x04\x14\x00\x06\x00 [Content_Types].xml word/document.xml", "This looks like a binary file (Word document), not an article.", id="docx"),
        pytest.param(b"PK\x03\x04\x14\x00\x00\x00 data.csv", "This looks like a binary file (ZIP archive), not an article.", id="zip"),
        pytest.param(b"GIF89a\x01\x00\x01\x00", "This looks like a binary file (GIF image), not an article.", id="gif"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF", "This looks like a binary file (JPEG image), not an article.", id="jpeg"),
        pytest.param(b"Some text\x00with a NUL byte", "This looks like a binary file, not an article.", id="nul-byte"),
        pytest.param(bytes(range(1, 9)) * 20 + b"text", "This looks like a binary file, not an article.", id="control-bytes"),
        pytest.param(bytes(range(0x80, 0x100)) * 4, "Could not work out the text encoding of the file.", id="undecidable"),
        pytest.param(codecs.BOM_UTF8 + b"caf\xe9", "Could not work out the text encoding of the file.", id="bom-that-lies"),
    ],
)
def test_it_refuses(data, message):
    assert problem_message(decode, data) == message


@pytest.mark.parametrize(
    ("size", "limit", "message"),
    [
        pytest.param(3_200_000, MAX_BYTES, "The article is 3.2 MB; the limit is 2 MB.", id="megabytes"),
        pytest.param(2_000_001, MAX_BYTES, "The article is 2.1 MB; the limit is 2 MB.", id="just-over-never-reads-as-the-limit"),
        pytest.param(1500, 1000, "The article is 1.5 kB; the limit is 1 kB.", id="kilobytes"),
        pytest.param(150, 100, "The article is 150 bytes; the limit is 100 bytes.", id="bytes"),
    ],
)
def test_it_refuses_an_oversized_file(size, limit, message):
    assert problem_message(decode, b"a" * size, max_bytes=limit) == message


def test_it_accepts_a_file_at_the_limit():
    assert decode(b"a" * 100, max_bytes=100) == "a" * 100


def test_import_problem_is_a_value_error():
    assert issubclass(ImportProblem, ValueError)


# --------------------------------------------------------------------------
# plain text and Markdown
# --------------------------------------------------------------------------


def test_it_reads_plain_text_with_the_title_on_the_first_line():
    article = from_text("\n Harbour barrier opens \r\n\r\nIt cost 41 million euros.\r\nIt protects 12,000 homes.\r\nRead more")
    assert article == Extracted(title="Harbour barrier opens", body="It cost 41 million euros.\n\nIt protects 12,000 homes.")


def test_plain_text_keeps_markup_as_text():
    article = from_text("Title\n\n<script>alert(1)</script> is what the attacker typed.")
    assert article.body == "<script>alert(1)</script> is what the attacker typed."


@pytest.mark.parametrize("text", [pytest.param("", id="empty"), pytest.param(" \n\t\n", id="blank"), pytest.param("[gallery]\n[show_poll poll_id=1]", id="only-shortcodes")])
def test_it_finds_no_article_in(text):
    assert problem_message(from_text, text).startswith("No article text found")


def test_it_reads_markdown():
    article = extract(COUNCIL_MARKDOWN, filename="council-budget.md")
    assert article.title == "Harbour barrier opens after three years of delays"
    assert article.body.split("\n\n") == [
        "The tidal barrier at Riverton harbour opened on Monday, three years later than planned and 6 million euros over budget.",
        "Why it was late",
        "Engineers found soft clay under the eastern pier in 2021, the port authority said.",
        "41 million euros in total",
        "12,000 homes protected",
        "\u201cIt will close about 20 times a year by 2040,\u201d the chief engineer said.",
        "Year | Closures",
        "2025 | 8",
    ]
    assert "alert(1)" not in article.body and "STYLE-MARKER" not in article.body


@pytest.mark.parametrize(
    ("text", "title", "body"),
    [
        pytest.param("# Budget rises\n\nThe *council* said\nso.", "Budget rises", "The council said so.", id="h1-title-and-joined-lines"),
        pytest.param("Budget rises\n============\n\nText.", "Budget rises", "Text.", id="setext-h1"),
        pytest.param("Budget rises\n\n## Schools\n\nText.", "Budget rises", "Schools\n\nText.", id="no-h1-first-line"),
        pytest.param("Intro.\n\n# Budget rises\n\nText.", "Budget rises", "Intro.\n\nBudget rises\n\nText.", id="h1-later-stays-in-body"),
        pytest.param("# T\n\n<script>alert(1)</script>\n\nSafe <b>text</b>.", "T", "Safe text.", id="raw-html-script-dropped"),
        pytest.param("# T\n\n- one\n- two\n\n> quoted", "T", "one\n\ntwo\n\nquoted", id="lists-and-quotes"),
    ],
)
def test_it_reads_markdown_structure(text, title, body):
    article = from_markdown(text)
    assert (article.title, article.body) == (title, body)


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------


def test_it_extracts_the_article_from_a_news_page():
    article = extract(COUNCIL_PAGE, filename="council-budget.html")
    paragraphs = article.body.split("\n\n")
    assert article.title == "Riverton council budget rises 4%"
    assert article.author == "Maria Lopez"
    assert article.publisher == "The Riverton Courier"
    assert article.published == date(2024, 3, 5)
    assert article.source_url == "https://courier.example/news/2024/03/council-budget"
    assert paragraphs[0].startswith("Riverton's council approved a budget of 48.2 million euros")
    assert "Schools first" in paragraphs
    assert "We have not raised the property tax, and we will not raise it next year either." in paragraphs
    assert "Roads: 6.1 million euros" in paragraphs
    assert paragraphs[-1] == "The budget passed by 19 votes to 12. The regional auditor is expected to review the accounts in the autumn."
    assert paragraphs.index("Schools first") < paragraphs.index("Roads: 6.1 million euros")


@pytest.mark.parametrize("furniture", PAGE_FURNITURE)
def test_page_furniture_never_reaches_the_body(furniture):
    assert furniture not in extract(COUNCIL_PAGE, filename="council-budget.html").body


def test_the_given_url_is_the_source_url():
    assert from_html(COUNCIL_PAGE.decode(), url="https://mirror.example/a").source_url == "https://mirror.example/a"


@pytest.mark.parametrize(
    "html",
    [
        pytest.param(
            '<html><head><link rel="canonical" href="javascript:alert(1)"><meta property="og:url" content="javascript:alert(1)">'
            "</head><body><article><p>The council met on Tuesday.</p></article></body></html>",
            id="javascript-canonical",
        ),
        pytest.param(
            '<html><head><link rel="canonical" href="file:///etc/passwd"></head><body><p>The council met.</p></body></html>',
            id="file-canonical",
        ),
    ],
)
def test_it_ignores_a_source_url_that_is_not_http(html):
    assert from_html(html).source_url == ""


@pytest.mark.parametrize(
    "html",
    [
        pytest.param("<p>The mayor<script>alert(1)</script> spoke.</p>", id="inline-script"),
        pytest.param('<p>The mayor spoke.<img src=x onerror="alert(1)"></p><style>p{}</style>', id="event-handler"),
        pytest.param("<body><script>alert(1)</script><article><p>The mayor spoke.</p></article></body>", id="script-before-article"),
        pytest.param("<p>The mayor spoke.</p><noscript><p>alert(1)</p></noscript><template><p>alert(1)</p></template>", id="noscript-template"),
        pytest.param("<p>The mayor spoke.</p><svg><script>alert(1)</script></svg><iframe>alert(1)</iframe>", id="svg-iframe"),
    ],
)
def test_scripts_never_reach_the_body(html):
    body = from_html(html).body
    assert "alert(1)" not in body and "<" not in body
    assert "The mayor" in body


def test_a_tiny_page_keeps_its_structure():
    html = (
        "<html><head><title>Ferry fares</title></head><body><nav>Home | News</nav>"
        "<article><h1>Ferry fares</h1><p>Fares rise on 1 May.</p><p>Adults<br>4.20 euros</p>"
        "<table><tr><th>Route</th><th>Fare</th></tr><tr><td>North</td><td>4.20</td></tr></table></article>"
        "<footer>Contact us</footer></body></html>"
    )
    article = from_html(html)
    assert article.title == "Ferry fares"
    assert article.body == "Fares rise on 1 May.\n\nAdults\n\n4.20 euros\n\nRoute | Fare\n\nNorth | 4.20"


def test_the_title_falls_back_to_the_title_element():
    html = "<html><head><title>Ferry fares rise</title></head><body><p>Fares rise on 1 May, the operator said.</p></body></html>"
    assert from_html(html).title == "Ferry fares rise"


def test_a_page_without_a_title_is_named_after_its_first_words():
    assert from_html("<p>Fares rise on 1 May.</p>").title == "Fares rise on 1 May."


@pytest.mark.parametrize(
    "html",
    [
        pytest.param("<html><body><script>alert(1)</script></body></html>", id="script-only"),
        pytest.param("<html><head><title>Empty</title></head><body></body></html>", id="empty-body"),
        pytest.param("<html><body><nav>Home</nav><footer>Contact</footer></body></html>", id="furniture-only"),
    ],
)
def test_a_page_without_article_text_is_refused(html):
    assert problem_message(from_html, html).startswith("No article text found")


# --------------------------------------------------------------------------
# dispatch
# --------------------------------------------------------------------------

SNIPPET_HTML = b"<!DOCTYPE html><html><head><title>T</title></head><body><p>The <b>ferry</b> runs.</p></body></html>"


@pytest.mark.parametrize(
    ("data", "filename", "content_type", "body"),
    [
        pytest.param(b"T\n\nThe *ferry* runs.", "story.txt", "", "The *ferry* runs.", id="txt-extension"),
        pytest.param(b"# T\n\nThe *ferry* runs.", "story.md", "", "The ferry runs.", id="md-extension"),
        pytest.param(b"# T\n\nThe *ferry* runs.", "story.markdown", "", "The ferry runs.", id="markdown-extension"),
        pytest.param(SNIPPET_HTML, "story.HTM", "", "The ferry runs.", id="htm-extension-any-case"),
        pytest.param(SNIPPET_HTML, "story.txt", "", "<!DOCTYPE html><html><head><title>T</title></head><body><p>The <b>ferry</b> runs.</p></body></html>", id="extension-wins-over-content"),
        pytest.param(SNIPPET_HTML, "", "text/html; charset=utf-8", "The ferry runs.", id="content-type-html"),
        pytest.param(b"# T\n\nThe *ferry* runs.", "", "text/markdown", "The ferry runs.", id="content-type-markdown"),
        pytest.param(SNIPPET_HTML, "", "", "The ferry runs.", id="sniffed-doctype"),
        pytest.param(b"  <html><body><p>The ferry runs.</p></body></html>", "upload", "", "The ferry runs.", id="sniffed-html-tag"),
        pytest.param(b"T\n\nThe ferry runs.", "", "", "The ferry runs.", id="sniffed-text"),
    ],
)
def test_it_dispatches_on_extension_then_content_type_then_sniffing(data, filename, content_type, body):
    assert extract(data, filename=filename, content_type=content_type).body == body


def test_it_decodes_html_by_its_meta_charset():
    page = '<html><head><meta charset="windows-1251"><title>\u041c\u044d\u0440</title></head><body><p>\u0411\u044e\u0434\u0436\u0435\u0442 \u0432\u044b\u0440\u043e\u0441.</p></body></html>'
    assert extract(page.encode("cp1251"), filename="a.html").body == "\u0411\u044e\u0434\u0436\u0435\u0442 \u0432\u044b\u0440\u043e\u0441."


def test_it_refuses_a_binary_upload_named_like_an_article():
    message = problem_message(extract, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", filename="story.html")
    assert message == "This looks like a binary file (PNG image), not an article."


def test_extract_passes_the_size_limit_on():
    assert problem_message(extract, b"a" * 50, filename="a.txt", max_bytes=10) == "The article is 50 bytes; the limit is 10 bytes."


# --------------------------------------------------------------------------
# fetch: refused before any network I/O
# --------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network I/O attempted")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        pytest.param("javascript:alert(1)", "javascript:", id="javascript"),
        pytest.param("JavaScript:alert(1)", "javascript:", id="javascript-mixed-case"),
        pytest.param("file:///etc/passwd", "file:", id="file"),
        pytest.param("ftp://ftp.example/article.txt", "ftp:", id="ftp"),
        pytest.param("data:text/html,<p>hi</p>", "data:", id="data"),
        pytest.param("gopher://example.org/", "gopher:", id="gopher"),
        pytest.param("example.org/article", "an address without http:// or https://", id="no-scheme"),
    ],
)
def test_fetch_refuses_other_schemes_before_any_network_io(no_network, url, shown):
    assert problem_message(fetch, url) == f"Only http:// and https:// addresses can be imported, not {shown}."


@pytest.mark.parametrize(
    ("url", "message"),
    [
        pytest.param("http://", "That web address has no server name.", id="no-host"),
        pytest.param("https:///path", "That web address has no server name.", id="empty-host"),
        pytest.param("http://[::1", "That web address is not valid.", id="broken-ipv6"),
        pytest.param("http://news.example:99999/", "That web address is not valid.", id="port-out-of-range"),
    ],
)
def test_fetch_refuses_a_malformed_address(no_network, url, message):
    assert problem_message(fetch, url) == message


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("http://127.0.0.1/", id="loopback"),
        pytest.param("http://10.1.2.3/", id="private"),
        pytest.param("http://169.254.169.254/latest/meta-data/", id="link-local-metadata"),
        pytest.param("http://[::1]/", id="ipv6-loopback"),
        pytest.param("http://[::ffff:127.0.0.1]/", id="ipv4-mapped-loopback"),
        pytest.param("http://0.0.0.0/", id="unspecified"),
    ],
)
def test_fetch_refuses_local_and_private_addresses(monkeypatch, url):
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", lambda *a, **k: pytest.fail("connected"))
    assert "local or private address" in problem_message(fetch, url)


def test_fetch_reports_an_unknown_server(monkeypatch):
    def unknown(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    assert problem_message(fetch, "https://news.example/story") == "Could not find the server news.example."


def test_fetch_lets_a_public_address_through_the_check(monkeypatch):
    public = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: public)

    def offline(self, request, *args, **kwargs):
        raise urllib.error.URLError(ConnectionRefusedError(111, "Connection refused"))

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", offline)
    assert problem_message(fetch, "https://news.example/story") == "Could not reach news.example: Connection refused."


# --------------------------------------------------------------------------
# fetch: against a local server
# --------------------------------------------------------------------------

CP1251_PAGE = (
    "<html><head><title>\u041c\u044d\u0440</title></head><body><p>\u0411\u044e\u0434\u0436\u0435\u0442 "
    "\u0432\u044b\u0440\u043e\u0441 \u043d\u0430 4%.</p></body></html>"
).encode("cp1251")
SERVER_LIMIT = 10_000  # max_bytes used against the local server


class _Handler(BaseHTTPRequestHandler):
    requests: list[str] = []

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _send(self, status, body=b"", content_type="text/html; charset=utf-8", length=True, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server's name)
        _Handler.requests.append(self.path)
        try:
            self._route()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as the timeout tests intend

    def _route(self):
        path = self.path
        if path == "/article.html":
            self._send(200, COUNCIL_PAGE)
        elif path == "/story":
            self._send(200, b"Ferry fares rise\n\nFares rise on 1 May.", content_type="text/plain; charset=utf-8")
        elif path == "/cp1251":
            self._send(200, CP1251_PAGE, content_type="text/html; charset=windows-1251")
        elif path == "/missing":
            self._send(404, b"<p>Not here</p>")
        elif path == "/broken":
            self._send(500, b"<p>Oops</p>")
        elif path == "/huge":
            self._send(200, b"a" * (SERVER_LIMIT * 2))
        elif path == "/huge-no-length":
            self._send(200, b"<p>" + b"a" * (SERVER_LIMIT * 2) + b"</p>", length=False)
        elif path == "/image":
            self._send(200, b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png")
        elif path == "/redirect":
            self._send(302, headers=[("Location", "/article.html")])
        elif path == "/redirect-to-file":
            self._send(302, headers=[("Location", "file:///etc/passwd")])
        elif path == "/slow":
            time.sleep(2)  # longer than the client's 0.5 s timeout
            self._send(200, COUNCIL_PAGE)
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(30):  # at most 3 s, then the handler ends by itself
                self.wfile.write(b"<p>drip</p>")
                self.wfile.flush()
                time.sleep(0.1)
        else:
            self._send(404, b"")


@pytest.fixture(scope="module")
def server():
    with serve(_Handler) as port:
        yield f"http://127.0.0.1:{port}"


def local_fetch(url, **kwargs):
    kwargs.setdefault("max_bytes", SERVER_LIMIT * 10)
    return fetch(url, allow_private=True, **kwargs)


def test_fetch_imports_a_page(server):
    article = local_fetch(f"{server}/article.html", timeout=5)
    assert article.title == "Riverton council budget rises 4%"
    assert article.published == date(2024, 3, 5)
    assert article.source_url == f"{server}/article.html"
    assert "Schools first" in article.body.split("\n\n")
    assert not any(furniture in article.body for furniture in PAGE_FURNITURE)


def test_fetch_follows_a_redirect_and_keeps_the_final_address(server):
    article = local_fetch(f"{server}/redirect", timeout=5)
    assert article.source_url == f"{server}/article.html"
    assert article.title == "Riverton council budget rises 4%"


def test_fetch_reads_plain_text_by_content_type(server):
    article = local_fetch(f"{server}/story", timeout=5)
    assert (article.title, article.body, article.source_url) == ("Ferry fares rise", "Fares rise on 1 May.", f"{server}/story")


def test_fetch_uses_the_content_type_charset(server):
    assert local_fetch(f"{server}/cp1251", timeout=5).body == "\u0411\u044e\u0434\u0436\u0435\u0442 \u0432\u044b\u0440\u043e\u0441 \u043d\u0430 4%."


@pytest.mark.parametrize(
    ("path", "message"),
    [
        pytest.param("/missing", "The server answered 404 Not Found for {server}/missing.", id="404"),
        pytest.param("/broken", "The server answered 500 Internal Server Error for {server}/broken.", id="500"),
        pytest.param("/huge", "The article is 20 kB; the limit is 10 kB.", id="oversized-content-length"),
        pytest.param("/huge-no-length", "The article is over 10 kB; the limit is 10 kB.", id="oversized-without-length"),
        pytest.param("/image", "The address points to a image/png file, not a web page.", id="not-a-page"),
        pytest.param("/redirect-to-file", "Only http:// and https:// addresses can be imported, not file:.", id="redirect-to-file"),
    ],
)
def test_fetch_refuses(server, path, message):
    assert problem_message(fetch, server + path, timeout=5, max_bytes=SERVER_LIMIT, allow_private=True) == message.format(server=server)


def test_fetch_gives_up_on_a_server_that_does_not_answer(server):
    started = time.monotonic()
    message = problem_message(local_fetch, f"{server}/slow", timeout=0.5)
    assert message == "127.0.0.1 did not answer within 0.5 seconds."
    assert time.monotonic() - started < 1.5


def test_fetch_gives_up_on_a_page_that_trickles_in(server):
    started = time.monotonic()
    message = problem_message(local_fetch, f"{server}/drip", timeout=0.5)
    assert message == "127.0.0.1 took longer than 0.5 seconds to send the page."
    assert time.monotonic() - started < 1.5


def test_fetch_does_not_contact_a_local_server_unless_allowed(server):
    before = len(_Handler.requests)
    assert "local or private address" in problem_message(fetch, f"{server}/article.html", timeout=5)
    assert len(_Handler.requests) == before


def test_fetch_reports_a_closed_port():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert problem_message(fetch, f"http://127.0.0.1:{port}/", timeout=2, allow_private=True).startswith("Could not reach 127.0.0.1")


# --------------------------------------------------------------------------
# performance
# --------------------------------------------------------------------------


def big_news_page(words: int = 20_000, seed: int = 7) -> bytes:
    """A ~20,000-word article in <article>, inside a realistic, noisy page."""
    rng = random.Random(seed)
    vocab = (
        "council budget rose percent million euros school figures report minister health year "
        "claim police city water plan court audit vote mayor said according data rate housing"
    ).split()
    paragraphs, total = [], 0
    while total < words:
        n = rng.randint(25, 90)
        sentence = " ".join(rng.choice(vocab) for _ in range(n))
        paragraphs.append(f'<p>{sentence.capitalize()}, <a href="/s/{total}">the report</a> <em>said</em>.</p>')
        total += n + 3
        if len(paragraphs) % 25 == 0:
            paragraphs.append(f"<h2>Section {len(paragraphs)}</h2><script>SCRIPT-MARKER alert(1)</script>")
            paragraphs.append('<div class="ad">ADVERT-MARKER <a href="/ad">Buy now</a></div>')
    links = "".join(f'<li><a href="/topic/{i}">NAV-MARKER topic {i}</a></li>' for i in range(120))
    comments = "".join(f"<li><p>COMMENT-MARKER reader {i} wrote something.</p></li>" for i in range(40))
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Budget special | The Courier</title>'
        '<meta property="og:site_name" content="The Courier"><style>.STYLE-MARKER{color:red}</style>'
        f'<script>var SCRIPT_MARKER = "{"x" * 5000}";</script></head><body>'
        f"<header><nav><ul>{links}</ul></nav></header>"
        f'<div class="layout"><main><article><h1>Budget special</h1>{"".join(paragraphs)}</article>'
        f'<aside><h3>Most read</h3><ul>{links}</ul></aside></main></div>'
        f'<section class="comments" id="comments"><ol>{comments}</ol></section>'
        f"<footer>FOOTER-MARKER {links}</footer><script>SCRIPT-MARKER track()</script></body></html>"
    )
    return page.encode("utf-8")


def test_a_20000_word_page_keeps_all_its_text_and_none_of_the_page_chrome():
    # Its speed is measured by `make bench` (import scenario), not here.
    page = big_news_page()
    article = extract(page, filename="budget.html")
    assert len(article.body.split()) >= 20_000
    for marker in ("NAV-MARKER", "SCRIPT-MARKER", "SCRIPT_MARKER", "alert(1)", "STYLE-MARKER", "COMMENT-MARKER", "FOOTER-MARKER"):
        assert marker not in article.body


def test_the_modules_do_not_import_django():
    code = "import sys, annotate.extract, annotate.textclean; print(sorted(m for m in sys.modules if m.startswith('django')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[2])
    assert result.stdout.strip() == "[]"
