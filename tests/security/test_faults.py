"""Faults: a database that stops answering, and writes that fail half-way.

Two ways to lose the database, and both must hold:

* in-process (SQLite and PostgreSQL): every query raises OperationalError, through
  the test client;
* for real (PostgreSQL): the app runs in its own gunicorn process, talking to the
  shared PostgreSQL through a TCP proxy in this test. Cutting the proxy is the outage
  (the shared server keeps running for everyone else); restoring it must bring the
  same process back to 200 without a restart.
"""

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.db.backends.utils import CursorWrapper
from django.db.models.sql.compiler import SQLInsertCompiler
from django.test import Client

from annotate import services
from annotate.extract import Extracted
from annotate.forms.articles import sign_body
from annotate.models import Article
from tests.conftest import make_claim, rating

API_PROBE = "/api/v1/projects/"


@contextlib.contextmanager
def database_down():
    """Every query fails as if the server were gone; undone before the test database is torn down."""

    def down(self, sql, params=None):
        raise OperationalError("could not connect to server: Connection refused")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", down)
        patch.setattr(CursorWrapper, "executemany", down)
        yield


@pytest.fixture
def outage_client(cast):
    """A logged-in client that returns error responses instead of raising them."""
    client = Client(raise_request_exception=False)
    client.force_login(cast.alice)
    return client


def _assert_html_503(response):
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "briefly unavailable" in html
    assert "Traceback" not in html and "OperationalError" not in html


@pytest.mark.parametrize("path", ["/", "/p/harbour-desk/", "/profile/"])
def test_pages_answer_a_503_page_when_the_database_is_down(outage_client, path):
    with database_down():
        response = outage_client.get(path)
    _assert_html_503(response)


def test_a_form_post_answers_a_503_page_when_the_database_is_down(outage_client):
    with database_down():
        response = outage_client.post("/p/harbour-desk/import/", {"text": "Some text to import."})
    _assert_html_503(response)


def test_the_api_answers_a_json_503_when_the_database_is_down(cast):
    from annotate.models import ApiToken

    _, key = ApiToken.objects.issue(cast.bob)
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get(API_PROBE, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "unavailable" and "database" in body["detail"]


def test_healthz_reports_the_outage_and_the_recovery(client, transactional_db):
    # transactional: on failure /healthz closes the connection, which would end a test-wrapping transaction.
    with database_down():
        down = client.get("/healthz")
    assert down.status_code == 503 and down.json()["status"] == "unavailable"
    up = client.get("/healthz")
    assert up.status_code == 200 and up.json() == {"status": "ok"}


def test_pages_serve_again_once_the_database_answers(outage_client):
    with database_down():
        assert outage_client.get("/").status_code == 503
    assert outage_client.get("/").status_code == 200


# --- all or nothing -----------------------------------------------------------------


def _fail_on_insert(monkeypatch, number, error=OperationalError("server closed the connection unexpectedly")):
    """Let the first `number - 1` INSERTs through, then fail: a crash in the middle of a write."""
    original = SQLInsertCompiler.execute_sql
    seen = []

    def execute_sql(self, *args, **kwargs):
        seen.append(self.query.model._meta.label)
        if len(seen) == number:
            raise error
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLInsertCompiler, "execute_sql", execute_sql)
    return seen


def test_an_import_that_fails_after_the_first_insert_leaves_no_half_article(cast, monkeypatch, unchanged_database):
    snapshot = unchanged_database()
    inserts = _fail_on_insert(monkeypatch, 2)
    with pytest.raises(OperationalError):
        services.import_article(cast.project, cast.alice, Extracted(title="Half", body="A body that never lands."))
    assert inserts == ["annotate.Article", "annotate.ArticleRevision"]
    monkeypatch.undo()
    snapshot.assert_unchanged("failed import")
    assert not Article.objects.filter(title="Half").exists()


def test_the_import_page_answers_503_and_saves_nothing_when_the_write_fails_half_way(cast, monkeypatch, unchanged_database):
    client = Client(raise_request_exception=False)
    client.force_login(cast.alice)
    body = "Port authority denies the barrier leaks.\n\nIt said the seals were replaced in May."
    snapshot = unchanged_database()
    inserts = _fail_on_insert(monkeypatch, 2)
    response = client.post("/p/harbour-desk/import/", {
        "step": "save", "title": "Leaks", "body": body, "signature": sign_body(cast.project, cast.alice, body),
        "author": "", "publisher": "", "published": "", "source_url": "", "revises": "",
    })
    monkeypatch.undo()
    assert inserts[:2] == ["annotate.Article", "annotate.ArticleRevision"], inserts
    _assert_html_503(response)
    snapshot.assert_unchanged("import page")


def test_a_bug_in_the_middle_of_an_import_gives_a_500_page_and_saves_nothing(cast, monkeypatch, unchanged_database):
    client = Client(raise_request_exception=False)
    client.force_login(cast.alice)
    body = "A second article about the harbour."
    snapshot = unchanged_database()
    _fail_on_insert(monkeypatch, 2, error=RuntimeError("bug"))
    response = client.post("/p/harbour-desk/import/", {
        "step": "save", "title": "Bug", "body": body, "signature": sign_body(cast.project, cast.alice, body),
    })
    monkeypatch.undo()
    assert response.status_code == 500
    assert "Traceback" not in response.content.decode() and "RuntimeError" not in response.content.decode()
    snapshot.assert_unchanged("import page, bug")


def test_a_revision_that_fails_half_way_keeps_the_old_text_and_spans(cast, monkeypatch, unchanged_database):
    make_claim(cast.article, "41 million euros", cast.alice)
    snapshot = unchanged_database()
    _fail_on_insert(monkeypatch, 1)  # the revision row, after spans were updated and the body saved
    with pytest.raises(OperationalError):
        services.revise_article(cast.article, cast.alice, Extracted(title="New", body=cast.article.body.replace("41", "44")))
    monkeypatch.undo()
    snapshot.assert_unchanged("failed revision")


@pytest.mark.parametrize("failing_insert", [2, 3], ids=["claim-after-span", "history-after-claim"])
def test_a_claim_that_fails_half_way_leaves_no_span_or_claim(cast, monkeypatch, unchanged_database, failing_insert):
    snapshot = unchanged_database()
    _fail_on_insert(monkeypatch, failing_insert)
    if connection.vendor == "postgresql":
        # There span, claim and history entry are one INSERT (annotate/claimrows.py): it runs,
        # then the connection fails before anything else, so all three must be rolled back.
        from annotate import claimrows

        def written_then_lost(sql, params, original=claimrows._write):
            original(sql, params)
            raise OperationalError("server closed the connection unexpectedly")

        monkeypatch.setattr(claimrows, "_write", written_then_lost)
    start = cast.article.body.index("12,000 homes")
    with pytest.raises(OperationalError):
        services.add_claim(cast.article, cast.alice, start, start + len("12,000 homes"), "12,000 homes")
    monkeypatch.undo()
    snapshot.assert_unchanged("failed claim")


def test_a_verdict_that_fails_half_way_leaves_no_verdict_and_no_status_change(cast, monkeypatch, unchanged_database):
    claim = make_claim(cast.article, "12,000 homes", cast.alice)
    snapshot = unchanged_database()
    _fail_on_insert(monkeypatch, 2)  # the history entry, after the verdict row
    with pytest.raises(OperationalError):
        services.save_verdict(claim, cast.erin, rating(cast.project, "False"), "Only 9,000.")
    monkeypatch.undo()
    snapshot.assert_unchanged("failed verdict")


def test_evidence_that_fails_half_way_leaves_no_source(cast, monkeypatch, unchanged_database):
    claim = make_claim(cast.article, "12,000 homes", cast.alice)
    snapshot = unchanged_database()
    _fail_on_insert(monkeypatch, 2)  # the evidence row, after the new source
    with pytest.raises(OperationalError):
        services.add_evidence(claim, cast.alice, url="https://example.org/report", stance="refutes", title="Report")
    monkeypatch.undo()
    snapshot.assert_unchanged("failed evidence")


# --- a real outage: gunicorn behind a TCP proxy to the shared PostgreSQL --------------


class TcpProxy:
    """Forwards 127.0.0.1:<port> to the database; `cut()` is an outage, `restore()` ends it."""

    def __init__(self, target):
        self.target = target
        self.port = 0
        self._listener = None
        self._sockets = set()
        self._lock = threading.Lock()

    def start(self):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update((client, upstream))
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                self._close(sock)

    def _close(self, sock):
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()
        with self._lock:
            self._sockets.discard(sock)

    def cut(self):
        # shutdown() wakes the thread blocked in accept(); close() alone does not on Linux.
        self._close(self._listener)
        with self._lock:
            open_sockets = list(self._sockets)
        for sock in open_sockets:
            self._close(sock)

    restore = start


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.fixture
def app_behind_proxy(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("the proxy outage needs PostgreSQL; the in-process outage tests above cover SQLite")
    db = connection.settings_dict
    proxy = TcpProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    proxy.start()
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"FACTMARK_ENV", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}},
        "DATABASE_URL": f"postgresql://{db['USER']}:{db['PASSWORD']}@127.0.0.1:{proxy.port}/{db['NAME']}",
        "DB_CONN_MAX_AGE": "60",  # a persistent connection that the outage breaks under the worker's feet
        "DB_CONNECT_TIMEOUT": "3",
        "DEBUG": "false",
        "STATIC_MANIFEST": "false",
        "LOG_LEVEL": "CRITICAL",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60", "config.wsgi"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if _get(port, "/healthz")[0] == 200:
                break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail("gunicorn did not start: " + server.stdout.read().decode(errors="replace")[-3000:])
        time.sleep(0.3)
    yield proxy, port, server
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    proxy.cut()


@pytest.mark.postgres
def test_a_real_outage_gives_503s_and_the_same_process_recovers(app_behind_proxy, cast):
    proxy, port, server = app_behind_proxy
    browser = Client()
    browser.force_login(cast.alice)
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"}
    from annotate.models import ApiToken

    token = {"Authorization": f"Token {ApiToken.objects.issue(cast.bob)[1]}"}
    probes = [("/", cookie, "text/html"), ("/p/harbour-desk/", cookie, "text/html"), (API_PROBE, token, "application/json"),
              ("/healthz", {}, "application/json")]

    for path, headers, _ in probes:
        assert _get(port, path, headers)[0] == 200, path

    proxy.cut()
    for path, headers, content_type in probes:
        status, got_type, body = _get(port, path, headers)
        assert status == 503, (path, status, body[:500])
        assert got_type.startswith(content_type), (path, got_type)
        assert "Traceback" not in body and "OperationalError" not in body, path
        if content_type == "application/json":
            assert json.loads(body)["status"] == "unavailable"
        else:
            assert "briefly unavailable" in body

    proxy.restore()
    for path, headers, _ in probes:
        assert _get(port, path, headers)[0] == 200, path
    assert server.poll() is None, "the server was not restarted"
