"""A database that stops answering without closing (issue 18, item 4): 503s within seconds,
/healthz within its own limit, recovery once it answers again, nothing acknowledged lost.

The app runs in a subprocess (as tests/security/test_outage_or_bug.py does) whose
DATABASE_URL points at a loopback proxy in front of this test's PostgreSQL database; the
test turns the proxy into a black hole and back, and sends requests one at a time.
"""

import json
import os
import select
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from annotate.models import ApiToken, Claim
from tests.conftest import make_claim
from tests.security.blackhole import BlackHoleProxy

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LIMITS = {"DB_CONNECT_TIMEOUT": "2", "DB_STATEMENT_TIMEOUT": "2", "DB_ANSWER_TIMEOUT": "3", "DB_HEALTH_TIMEOUT": "2"}
# Health: its budget (2 s) plus scheduling slack on a busy 2-core machine. Pages and API:
# the health check of the kept connection (2 s) then a new connection (2 s), or one answer (3 s).
HEALTH_LIMIT = 2 + 1.5
REQUEST_LIMIT = 2 + 2 + 1.5
ANSWER_WITHIN = 60  # the test's own bound on any one request (a hang fails instead of blocking the run)

APP = r"""
import django, json, sys, time
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
for line in sys.stdin:
    ask = json.loads(line)
    started = time.monotonic()
    headers = {"HTTP_AUTHORIZATION": ask["token"]} if ask.get("token") else {}
    if ask["method"] == "GET":
        response = client.get(ask["path"], HTTP_HOST="localhost", **headers)
    else:
        response = client.post(ask["path"], json.dumps(ask["data"]), content_type="application/json", HTTP_HOST="localhost", **headers)
    print(json.dumps({"status": response.status_code, "seconds": time.monotonic() - started,
                      "body": response.content.decode()[:300], "retry_after": response.get("Retry-After")}), flush=True)
"""


class App:
    def __init__(self, database_url):
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "FACTMARK_ENV", "DEBUG"}}
        env.update({"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0", **LIMITS})
        self.process = subprocess.Popen([sys.executable, "-c", APP], env=env, cwd=settings.BASE_DIR, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def ask(self, method, path, token=None, data=None):
        self.process.stdin.write(json.dumps({"method": method, "path": path, "token": token, "data": data}) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], ANSWER_WITHIN)
        assert ready, f"{method} {path}: no answer within {ANSWER_WITHIN} s"
        line = self.process.stdout.readline()
        assert line, "the app process died"
        return json.loads(line)

    def stop(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def proxied_app():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the black hole sits between the app and its database server")
    db = connection.settings_dict
    proxy = BlackHoleProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    app = App(f"postgresql://{db['USER']}:{db['PASSWORD']}@127.0.0.1:{proxy.port}/{db['NAME']}")
    yield proxy, app
    app.stop()
    proxy.stop()


def test_a_silent_database_gives_503s_within_seconds_then_recovers_and_loses_nothing(cast, proxied_app, capsys):
    proxy, app = proxied_app
    claim = make_claim(cast.article, "41 million euros", cast.alice)
    token = "Token " + ApiToken.objects.issue(cast.alice)[1]
    start = cast.article.body.index("tidal")
    acknowledged = []

    def new_claim(text):
        answer = app.ask("POST", "/api/v1/claims/", token,
                         {"article": cast.article.pk, "start": start, "end": start + 5, "quote": "tidal", "text": text})
        if answer["status"] == 201:
            acknowledged.append(text)
        return answer

    assert app.ask("GET", "/healthz")["status"] == 200
    assert new_claim("before the outage")["status"] == 201

    proxy.black_hole()
    health = app.ask("GET", "/healthz")
    assert health["status"] == 503 and health["seconds"] < HEALTH_LIMIT, health
    for path in ("/api/v1/projects/", f"/api/v1/claims/{claim.pk}/"):
        answer = app.ask("GET", path, token)
        assert answer["status"] == 503 and answer["seconds"] < REQUEST_LIMIT, (path, answer)
        assert answer["retry_after"] == "30"
        assert json.loads(answer["body"])["status"] == "unavailable"
    write = new_claim("during the outage")
    assert write["status"] == 503 and write["seconds"] < REQUEST_LIMIT, write
    page = app.ask("GET", "/")
    assert page["status"] in (302, 503) and page["seconds"] < REQUEST_LIMIT, page

    with capsys.disabled():
        print(f"\nblack hole: /healthz 503 in {health['seconds']:.1f} s, API 503 in {answer['seconds']:.1f} s, write 503 in {write['seconds']:.1f} s")
    proxy.resume()
    deadline = time.monotonic() + 20
    while (health := app.ask("GET", "/healthz"))["status"] != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert health["status"] == 200, health
    assert new_claim("after the outage")["status"] == 201
    assert app.ask("GET", "/api/v1/projects/", token)["status"] == 200

    # Every acknowledged write is stored; the refused one was not half-saved.
    stored = list(Claim.objects.filter(article=cast.article).exclude(pk=claim.pk).values_list("text", flat=True))
    assert acknowledged == ["before the outage", "after the outage"]
    assert sorted(stored) == sorted(acknowledged)
