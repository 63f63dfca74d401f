"""Only a database that cannot be reached is an outage (503 with Retry-After).

A missing table or any other error that is not a lost, refused or timed-out connection
is a bug: a 500, logged with its traceback, never worded as "the database is not
answering". And `migrate` alone prepares the whole database: no other set-up command.

The in-process cases run on whichever database the suite runs on (SQLite or
PostgreSQL); the outage and fresh-database cases start the app in a subprocess with its
own DATABASE_URL, so they hold on every machine.
"""

import json
import logging
import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from annotate.middleware import MESSAGE, is_database_down

NOT_ANSWERING = "not answering"


@pytest.fixture
def bug_client(cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.alice)
    return client


def _drop(table):
    cascade = " CASCADE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}{cascade}")


def _assert_logged_with_traceback(caplog):
    records = [r for r in caplog.records if r.name == "django.request" and r.levelno >= logging.ERROR]
    assert records and records[-1].exc_info is not None, "the 500 was not logged with its traceback"


def test_a_missing_cache_table_is_a_server_error_not_an_outage(bug_client, settings, caplog):
    # The API's throttling counters live in the database cache when REDIS_URL is unset.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": settings.FACTMARK_CACHE_TABLE}}
    _drop(settings.FACTMARK_CACHE_TABLE)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = bug_client.get("/api/v1/claimreviews/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert NOT_ANSWERING not in response.content.decode()
    _assert_logged_with_traceback(caplog)


def test_a_missing_model_table_on_a_page_is_a_server_error_not_an_outage(bug_client, caplog):
    _drop("annotate_source")
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = bug_client.get("/p/harbour-desk/sources/?q=barrier")
    assert response.status_code == 500
    assert NOT_ANSWERING not in response.content.decode() and "briefly unavailable" not in response.content.decode()
    _assert_logged_with_traceback(caplog)


def test_a_syntax_error_is_not_classified_as_an_outage(db):
    with pytest.raises(Exception) as exc:
        with connection.cursor() as cursor:
            cursor.execute("SELEKT 1")
    assert not is_database_down(exc.value)


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


def _run_app(database_url, code, tmp_path, **extra_env):
    """Run `code` in a fresh Django process against `database_url`; return its JSON output."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "FACTMARK_ENV", "DEBUG"}}
    env.update({"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings", "DEMO_PASSWORD": "fresh-demo-pass-1", **extra_env})
    script = "import django, json\ndjango.setup()\n" + code
    result = subprocess.run([sys.executable, "-c", script], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


PROBE = """
from django.test import Client
client = Client(raise_request_exception=False)
answers = {}
# A token and a session cookie make the API and the page ask the database who is asking.
for path, cookie, token in (("/healthz", None, None), ("/api/v1/projects/", None, "Token " + "a" * 40), ("/", "x" * 32, None)):
    if cookie:
        client.cookies["sessionid"] = cookie
    headers = {"HTTP_AUTHORIZATION": token} if token else {}
    response = client.get(path, HTTP_HOST="localhost", **headers)
    answers[path] = [response.status_code, response.get("Retry-After"), response.content.decode()[:2000]]
print(json.dumps(answers))
"""


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(lambda tmp: f"postgresql://factmark:factmark@127.0.0.1:{_closed_port()}/factmark", id="postgresql-closed-port"),
        pytest.param(lambda tmp: f"sqlite:///{tmp}/no-such-folder/factmark.sqlite3", id="sqlite-file-cannot-be-opened"),
    ],
)
def test_a_database_that_cannot_be_reached_is_an_outage(url, tmp_path):
    # DEBUG off, as deployed: errors raised in middleware then go through handler500.
    answers = _run_app(url(tmp_path), PROBE, tmp_path, DEBUG="0")
    for path, (status, retry_after, body) in answers.items():
        assert status == 503, (path, status, body)
        assert retry_after == "30", path
        assert "Traceback" not in body
    assert json.loads(answers["/healthz"][2])["status"] == "unavailable"
    assert json.loads(answers["/api/v1/projects/"][2])["detail"] == MESSAGE
    assert "briefly unavailable" in answers["/"][2]


FRESH = """
from django.core.management import call_command
from django.test import Client
from annotate.models import Article, Claim
call_command("migrate", verbosity=0, interactive=False)
call_command("seed_demo", verbosity=0)
article = Article.objects.get(project__slug="demo-desk", source_url="https://example.org/riverside-courier/flood-barrier-vote")
claim = Claim.objects.filter(article=article).first()
client = Client(raise_request_exception=False)
answers = {}
from django.contrib.auth import get_user_model
editor = get_user_model().objects.get(username="editor")
assert editor.check_password("fresh-demo-pass-1")
client.force_login(editor)
for path in ["/", "/p/demo-desk/", f"/articles/{article.pk}/", f"/claims/{claim.pk}/", "/p/demo-desk/queue/",
             "/profile/", f"/f/demo-desk/{article.pk}/", "/healthz", "/api/schema/",
             "/api/v1/projects/", "/api/v1/articles/", "/api/v1/claims/", "/api/v1/verdicts/", "/api/v1/sources/",
             "/api/v1/claimreviews/?project=demo-desk", "/api/v1/annotations/?project=demo-desk",
             "/api/v1/export/verdicts.csv?project=demo-desk", "/api/v1/export/verdicts.jsonl?project=demo-desk",
             "/p/demo-desk/search/?q=barrier", f"/claims/{claim.pk}/checked-before/", "/p/demo-desk/claimants/"]:
    response = client.get(path, HTTP_HOST="localhost")
    answers[path] = response.status_code
print(json.dumps(answers))
"""


def test_migrate_alone_prepares_the_whole_database(tmp_path):
    answers = _run_app(f"sqlite:///{tmp_path}/fresh.sqlite3", FRESH, tmp_path)
    assert answers == {path: 200 for path in answers}, answers
