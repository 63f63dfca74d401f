"""A real worker process: `manage.py db_worker` runs the snapshot task that attaching a source queued.

Everything runs in subprocesses against a throw-away SQLite file (the test database of
pytest-django is not reachable from another process), with a settings module that adds
only the test host map for the local web server. This is the production path: the
request's transaction commits, the task row waits in the database, the worker picks it up.
"""

import os
import subprocess
import sys
from pathlib import Path

from tests.sources.conftest import SITE

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
from django.contrib.auth import get_user_model
from annotate import services
from annotate.extract import Extracted
from annotate.models import Membership, Project
user = get_user_model().objects.create_user("wendy", password="x")
project = Project.objects.create(slug="w", name="W")
Membership.objects.create(project=project, user=user, role="reviewer")
article = services.import_article(project, user, Extracted(title="T", body="The council said the barrier cost 41 million euros."))
claim = services.add_claim(article, user, 0, 16, "The council said")
services.add_evidence(claim, user, url="{url}", stance="supports", excerpt="the barrier cost 41 million euros")
from django_tasks_db.models import DBTaskResult
print("queued", DBTaskResult.objects.filter(status="READY").count())
"""

REPORT = """
from annotate.models import Evidence, Snapshot
from django_tasks_db.models import DBTaskResult
evidence = Evidence.objects.select_related("source").get()
print("state", evidence.source.check_state, evidence.verification, Snapshot.objects.count(),
      sorted(DBTaskResult.objects.values_list("status", flat=True)))
"""


def _manage(env, *args, timeout=120):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_a_db_worker_process_runs_the_snapshot_task(tmp_path, _server):
    SITE.reset()
    (tmp_path / "worker_settings.py").write_text(
        "from config.settings import *  # noqa: F403\n"
        f"DATABASES = {{'default': {{'ENGINE': 'django.db.backends.sqlite3', 'NAME': {str(tmp_path / 'w.sqlite3')!r}}}}}\n"
        "FACTMARK_FETCH_TEST_HOSTS = {'news.test': '127.0.0.1'}\n"
        "TASKS = {'default': {'BACKEND': 'django_tasks_db.DatabaseBackend'}}\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}", "DJANGO_SETTINGS_MODULE": "worker_settings",
           "FACTMARK_TASKS_IMMEDIATE": "0", "LOG_LEVEL": "ERROR"}  # fmt: skip
    env.pop("DATABASE_URL", None)
    _manage(env, "migrate", "--noinput", "-v0")
    url = f"http://news.test:{_server}/audit"
    assert "queued 1" in _manage(env, "shell", "-c", SETUP.format(url=url))
    assert "/audit" not in SITE.hits  # the request only queued it
    assert "state pending unchecked 0" in _manage(env, "shell", "-c", REPORT)
    _manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert SITE.hits.count("/audit") == 1
    assert "state ok found 1 ['SUCCESSFUL']" in _manage(env, "shell", "-c", REPORT)
