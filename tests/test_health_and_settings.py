import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def down(self, sql, params=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", down)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "unavailable"


def _settings_in_subprocess(env):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "FACTMARK_ENV", "DEBUG", "DATABASE_URL"}}
    return subprocess.run([sys.executable, "-c", code], env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
                          cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("secret", ["", "short", "x" * 60], ids=["missing", "too-short", "not-random"])
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    result = _settings_in_subprocess({"FACTMARK_ENV": "production", "SECRET_KEY": secret, "ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_starts_with_a_real_secret_key_and_secure_defaults():
    result = _settings_in_subprocess({"FACTMARK_ENV": "production", "SECRET_KEY": "k" + "abcdefghij0123456789" * 3, "ALLOWED_HOSTS": "example.org"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_a_bad_boolean_in_the_environment_fails_loudly():
    result = _settings_in_subprocess({"DEBUG": "perhaps"})
    assert result.returncode != 0 and "DEBUG" in result.stderr
