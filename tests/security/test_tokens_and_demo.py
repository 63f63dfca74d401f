"""API tokens hashed at rest, shown once, listed by prefix, optionally expiring; create_token;
the demo admin is no Django superuser unless asked (issue 18, item 8)."""

import importlib
import io
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from annotate.models import ApiToken
from annotate.models.tokens import digest

pytestmark = pytest.mark.django_db

PROBE = "/api/v1/projects/"


def _get(key):
    return Client().get(PROBE, HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_is_stored_hashed_and_works_as_token_header(cast):
    token, key = ApiToken.objects.issue(cast.bob)
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in str(row)  # neither the key nor any column holding it
    assert row["digest"] == digest(key) and row["prefix"] == key[:8]
    assert len(key) >= 40
    response = _get(key)
    assert response.status_code == 200 and cast.project.slug in response.text


@pytest.mark.parametrize("mangle", [lambda k: k[:-1] + ("A" if k[-1] != "A" else "B"), lambda k: k[:8], lambda k: digest(k)], ids=["one-char-off", "prefix-only", "the-digest"])
def test_anything_but_the_key_is_refused(cast, mangle):
    _, key = ApiToken.objects.issue(cast.bob)
    response = _get(mangle(key))
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_an_expired_token_is_refused_with_a_reason(cast):
    token, key = ApiToken.objects.issue(cast.bob, expires_in_days=30)
    assert _get(key).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() - timedelta(seconds=1))
    response = _get(key)
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_an_inactive_users_token_is_refused(cast):
    _, key = ApiToken.objects.issue(cast.bob)
    cast.bob.is_active = False
    cast.bob.save()
    assert _get(key).status_code == 401


def test_the_profile_can_make_an_expiring_token(client, cast):
    client.force_login(cast.bob)
    client.post("/profile/token/", {"expires": "30"})
    token = ApiToken.objects.get(user=cast.bob)
    assert timedelta(days=29) < token.expires - timezone.now() <= timedelta(days=30)
    assert "expires" in client.get("/profile/").text


def test_the_admin_lists_tokens_by_prefix_only_and_cannot_make_one(cast):
    token, key = ApiToken.objects.issue(cast.bob)
    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw-for-tests-only")
    admin = Client()
    admin.force_login(root)
    listing = admin.get("/admin/annotate/apitoken/")
    assert listing.status_code == 200
    assert token.prefix in listing.text and key not in listing.text and token.digest not in listing.text
    change = admin.get(f"/admin/annotate/apitoken/{token.pk}/change/")
    assert change.status_code == 200 and key not in change.text and token.digest not in change.text
    assert admin.get("/admin/annotate/apitoken/add/").status_code == 403
    # DRF's own token admin (keys in full) is gone.
    assert admin.get("/admin/authtoken/tokenproxy/").status_code == 404


def test_create_token_prints_a_working_key_once(cast):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_token", "bob", "--expires-in-days", "7", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert _get(key).status_code == 200
    token = ApiToken.objects.get(user=cast.bob)
    assert token.matches(key) and token.expires is not None
    assert "shown only now" in err.getvalue() and key not in err.getvalue()


@pytest.mark.parametrize("args, message", [(["nobody"], "No user named"), (["bob", "--expires-in-days", "0"], "at least 1")])
def test_create_token_refuses_clearly(cast, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_token", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert not ApiToken.objects.exists()


def test_existing_plaintext_tokens_are_hashed_by_the_migration_and_keep_working(cast):
    migration = importlib.import_module("annotate.migrations.0006_api_tokens")
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer NOT NULL, created timestamp with time zone NOT NULL)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)", [key, cast.bob.pk, timezone.now()])

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.hash_existing_tokens(apps, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0  # no plaintext key left
        cursor.execute("DROP TABLE authtoken_token")
    assert ApiToken.objects.get(user=cast.bob).prefix == key[:8]
    assert _get(key).status_code == 200


# --- the demo ----------------------------------------------------------------------------


def _seed(*args):
    call_command("seed_demo", *args, stdout=io.StringIO())
    return get_user_model().objects.get(username="admin")


def test_the_demo_admin_is_a_project_admin_not_a_superuser(db, tmp_path, settings, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    admin = _seed()
    assert not admin.is_superuser and not admin.is_staff
    assert admin.memberships.get(project__slug="demo-desk").role == "admin"
    browser = Client()
    browser.force_login(admin)
    assert browser.get("/admin/").status_code == 302  # to the admin's login: not staff


def test_seed_demo_superuser_is_asked_for_and_withdrawn_on_a_plain_rerun(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    assert _seed("--superuser").is_superuser
    assert not _seed().is_superuser
