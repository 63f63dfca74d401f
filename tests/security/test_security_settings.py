"""Security headers, cookies, production mode, login throttling and API throttling.

Production-mode settings are read in a subprocess: the settings module decides
everything at import time from the environment, so a fresh interpreter is the
only honest way to see what `FACTMARK_ENV=production` turns on.
"""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from tests.conftest import make_user

# (path, who): one page of each kind, filled from the `published` fixture.
PAGES = [
    ("/login/", None), ("/", "alice"), ("/p/harbour-desk/", "alice"), ("/p/harbour-desk/import/", "alice"),
    ("/articles/{article}/", "alice"), ("/claims/{claim}/", "alice"), ("/p/harbour-desk/queue/", "bob"),
    ("/p/harbour-desk/members/", "dora"), ("/profile/", "alice"), ("/f/harbour-desk/{article}/", None),
    ("/admin/login/", None), ("/api/docs/", "bob"),
]


@pytest.fixture
def published(cast):
    from annotate import services
    from tests.conftest import make_claim, rating

    claim = make_claim(cast.article, "41 million euros", cast.alice)
    claim = services.settle_claim(claim, cast.bob, claim.version, rating(cast.project, "False"), "It cost 44 million.")
    services.publish(claim, cast.bob, claim.version)
    cast.claim = claim
    return cast


def _get(client, cast, path, who):
    if who:
        client.force_login(getattr(cast, who))
    response = client.get(path.format(article=cast.article.pk, claim=cast.claim.pk))
    assert response.status_code == 200, path
    return response


def _directives(header):
    """{'script-src': ["'self'"], …} from a Content-Security-Policy header."""
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.mark.parametrize("path, who", PAGES)
def test_every_page_sends_a_strict_content_security_policy(client, published, path, who):
    policy = _directives(_get(client, published, path, who)["Content-Security-Policy"])
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in policy.get(directive, []), (directive, policy)
        assert "'unsafe-eval'" not in policy.get(directive, []), (directive, policy)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


@pytest.mark.parametrize("path, who", [page for page in PAGES if not page[0].startswith("/admin/")])
def test_no_page_carries_inline_script_or_style_attributes(client, published, path, who):
    """What the CSP would block must not be there in the first place (it would be a broken page)."""
    html = _get(client, published, path, who).content.decode()
    assert " style=" not in html and " hx-on" not in html, path
    for chunk in html.split("<script")[1:]:
        tag, rest = chunk.split(">", 1)
        if "application/ld+json" in tag:
            continue  # data, not script; the browser does not run it
        assert "src=" in tag and rest.startswith("</script>"), f"{path}: inline script <script{tag}>"
        assert 'src="/' in tag and 'src="//' not in tag, f"{path}: script from another origin <script{tag}>"


@pytest.mark.parametrize("path, who", PAGES)
def test_every_page_forbids_framing_sniffing_and_cross_site_referrers(client, published, path, who):
    response = _get(client, published, path, who)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_api_also_sends_the_security_headers(client):
    response = client.get("/healthz")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_htmx_is_told_not_to_inject_inline_styles_or_evaluate_code(client, db):
    html = client.get("/login/").content.decode()
    config_start = html.index('name="htmx-config"')
    content = html[config_start:].split("content='", 1)[1].split("'", 1)[0]
    config = json.loads(content)
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    # No inline <script> body and no style attribute anywhere on the page.
    assert "style=" not in html
    for chunk in html.split("<script")[1:]:
        assert chunk.split(">", 1)[1].startswith("</script>"), chunk[:120]


@pytest.mark.django_db
def test_the_session_cookie_is_http_only_and_same_site(client, cast):
    response = client.post("/login/", {"username": "alice", "password": "pw-for-tests-only"})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


# --- production mode, in a subprocess ------------------------------------------------

PRODUCTION_ENV = {
    "FACTMARK_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "factmark.example.org",
    # A test checkout has no collectstatic output, so no manifest for hashed names.
    "STATIC_MANIFEST": "0",
}


def _clean_env(**extra):
    keep = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "FACTMARK_ENV", "DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
                                                        # set by tests/conftest.py for Playwright; check --deploy rightly refuses it
                                                        "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return {**keep, "DJANGO_SETTINGS_MODULE": "config.settings", **extra}


def _run(args, env):
    return subprocess.run(args, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120)


def test_production_mode_turns_on_https_hsts_and_secure_cookies():
    names = ["DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
             "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "X_FRAME_OPTIONS", "SECURE_PROXY_SSL_HEADER"]
    code = ("import json, django; django.setup(); from django.conf import settings; "
            f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))")
    result = _run([sys.executable, "-c", code], _clean_env(**PRODUCTION_ENV))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True and values["SECURE_HSTS_PRELOAD"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_production_mode_redirects_to_https_and_sends_hsts():
    # A request through the real middleware stack of a production-configured process.
    code = (
        "import django; django.setup(); from django.test import Client; from django.test.utils import setup_test_environment; "
        "c = Client(); "
        "plain = c.get('/login/', HTTP_HOST='factmark.example.org'); "
        "tls = c.get('/static/none.css', HTTP_HOST='factmark.example.org', HTTP_X_FORWARDED_PROTO='https'); "
        "print(plain.status_code, plain['Location'], tls.get('Strict-Transport-Security'))"
    )
    result = _run([sys.executable, "-c", code], _clean_env(**PRODUCTION_ENV))
    assert result.returncode == 0, result.stderr
    status, location, hsts = result.stdout.split(" ", 2)
    assert status == "301" and location == "https://factmark.example.org/login/"
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts


def test_check_deploy_with_production_settings_reports_nothing():
    result = _run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], _clean_env(**PRODUCTION_ENV))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# --- login throttling (django-axes) -------------------------------------------------


@pytest.fixture
def two_users(db):
    return make_user("mallory-target"), make_user("bystander")


def _login(client, username, password, ip="203.0.113.7"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_repeated_wrong_passwords_lock_the_account_for_that_address(client, two_users, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(limit - 1):
        response = _login(client, "mallory-target", f"guess-{attempt}")
        assert response.status_code == 200, "a plain failed login shows the form again"
        assert "Please enter a correct username and password" in response.content.decode()
    locked = _login(client, "mallory-target", "guess-last")
    assert locked.status_code == 429
    assert "too many login attempts" in locked.content.decode().lower()

    # The right password is refused too while the lock lasts.
    right = _login(client, "mallory-target", "pw-for-tests-only")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session

    # Another user from the same address is not affected, nor the same user elsewhere.
    assert _login(client, "bystander", "pw-for-tests-only").status_code == 302
    client.logout()
    assert _login(client, "mallory-target", "pw-for-tests-only", ip="198.51.100.9").status_code == 302


def test_the_admin_login_is_throttled_too(client, two_users, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/admin/login/", {"username": "mallory-target", "password": f"x{attempt}"}, REMOTE_ADDR="203.0.113.8")
    assert response.status_code == 429


# --- API throttling (DRF) -----------------------------------------------------------


@pytest.fixture
def tight_rates(settings, monkeypatch):
    """Override the rates as settings would; DRF copies them onto the class at import, so patch there too."""
    rates = {"anon": "3/min", "user": "4/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    yield rates
    cache.clear()


def test_the_api_answers_429_when_an_anonymous_client_exceeds_its_rate(client, db, tight_rates):
    statuses = [client.get("/api/schema/", REMOTE_ADDR="203.0.113.20").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/schema/", REMOTE_ADDR="203.0.113.20")
    assert response.status_code == 429
    # The schema view renders errors in its own (YAML/OpenAPI) format; the words are what matter.
    assert "throttled" in response.content.decode().lower()
    assert int(response["Retry-After"]) > 0


def test_the_api_answers_429_when_a_token_user_exceeds_their_rate(client, cast, tight_rates):
    from annotate.models import ApiToken

    _, key = ApiToken.objects.issue(cast.bob)
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    statuses = [client.get("/api/schema/", **headers).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    # Another user keeps their own budget.
    _, other = ApiToken.objects.issue(cast.alice)
    assert client.get("/api/schema/", HTTP_AUTHORIZATION=f"Token {other}").status_code == 200


# --- CSRF and redirects ------------------------------------------------------------------


def test_a_page_post_without_the_csrf_token_is_refused(cast):
    from django.test import Client

    from annotate.models import Comment
    from tests.conftest import make_claim

    claim = make_claim(cast.article, "41 million euros", cast.alice)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.alice)
    response = browser.post(f"/claims/{claim.pk}/comments/", {"text": "Forged from another site."}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_the_api_with_a_session_needs_the_csrf_token_but_not_with_a_token(cast):
    from django.test import Client
    from annotate.models import ApiToken

    body = {"project": "harbour-desk", "title": "Forged", "body": "Forged from another site."}
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.alice)
    refused = browser.post("/api/v1/articles/", body, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    _, key = ApiToken.objects.issue(cast.alice)
    script = Client(enforce_csrf_checks=True)
    accepted = script.post("/api/v1/articles/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}")
    assert accepted.status_code == 201


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"])
def test_login_never_redirects_to_another_site(client, cast, target):
    response = client.post(f"/login/?next={target}", {"username": "alice", "password": "pw-for-tests-only", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/", response["Location"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_the_editor_actions_never_redirect_to_another_site(client, published, target):
    client.force_login(published.bob)
    claim = published.claim
    response = client.post(f"/claims/{claim.pk}/unpublish/", {"reason": "Checking a source.", "confirm": "on", "version": claim.version, "next": target})
    assert response.status_code == 302
    assert response["Location"].startswith("/p/harbour-desk/queue/"), response["Location"]
