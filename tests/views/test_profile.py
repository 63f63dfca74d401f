"""The profile page: projects and roles, and the user's own API token (create, replace, revoke)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from annotate.models import ApiToken as Token
from annotate.views.profile import NEW_TOKEN_SESSION_KEY

pytestmark = pytest.mark.django_db


def test_it_shows_the_username_projects_and_roles(client, cast):
    client.force_login(cast.bob)
    response = client.get(reverse("profile"))
    assert response.status_code == 200
    assert "bob" in response.text
    assert cast.project.name in response.text and "Editor" in response.text
    assert cast.other.name not in response.text
    assert "You have no token." in response.text


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db):
    for response in (client.get(reverse("profile")), client.post(reverse("token-create")), client.post(reverse("token-revoke"))):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert Token.objects.count() == 0


def test_token_changes_need_a_post(client, cast):
    client.force_login(cast.bob)
    assert client.get(reverse("token-create")).status_code == 405
    assert client.get(reverse("token-revoke")).status_code == 405
    assert Token.objects.count() == 0


def test_the_new_token_is_shown_in_full_once_then_only_its_start(client, cast):
    client.force_login(cast.bob)
    response = client.post(reverse("token-create"))
    assert response.status_code == 302 and response.url == reverse("profile")
    token = Token.objects.get(user=cast.bob)
    key = client.session[NEW_TOKEN_SESSION_KEY]
    assert token.matches(key) and key not in str(Token.objects.values_list())  # stored hashed
    first = client.get(reverse("profile"))
    assert key in first.text
    assert f"Authorization: Token {key}" in first.text
    assert "no-cache" in first["Cache-Control"] or "no-store" in first["Cache-Control"]
    second = client.get(reverse("profile"))
    assert key not in second.text
    assert f"<code>{token.prefix}</code>" in second.text and key.startswith(token.prefix)
    assert "Authorization: Token YOUR_TOKEN" in second.text


def test_the_token_opens_the_api_until_it_is_revoked(client, cast):
    from django.test import Client

    client.force_login(cast.bob)
    client.post(reverse("token-create"))
    key = client.session[NEW_TOKEN_SESSION_KEY]
    api = Client()  # no session: only the token
    response = api.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert cast.project.slug in response.text
    client.post(reverse("token-revoke"))
    assert api.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {key}").status_code in (401, 403)


def test_creating_again_replaces_the_old_token(client, cast):
    client.force_login(cast.bob)
    client.post(reverse("token-create"))
    old = Token.objects.get(user=cast.bob).digest
    response = client.post(reverse("token-create"))
    new = Token.objects.get(user=cast.bob).digest
    assert new != old
    assert "the old one no longer works" in " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_revoking_deletes_the_token(client, cast):
    client.force_login(cast.bob)
    client.post(reverse("token-create"))
    response = client.post(reverse("token-revoke"))
    assert response.status_code == 302
    assert not Token.objects.filter(user=cast.bob).exists()
    page = client.get(reverse("profile"))
    assert "You have no token." in page.text


def test_revoking_without_a_token_changes_nothing(client, cast):
    client.force_login(cast.alice)
    response = client.post(reverse("token-revoke"))
    assert response.status_code == 302
    assert "You had no API token." in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert Token.objects.count() == 0


def test_a_user_only_touches_their_own_token(client, cast):
    carols, _ = Token.objects.issue(cast.carol)
    client.force_login(cast.bob)
    client.post(reverse("token-create"))
    client.post(reverse("token-revoke"))
    assert Token.objects.filter(pk=carols.pk).exists()
    page = client.get(reverse("profile"))
    assert carols.prefix not in page.text


def test_a_token_revoked_in_another_tab_is_not_revealed(client, cast):
    client.force_login(cast.bob)
    client.post(reverse("token-create"))
    key = client.session[NEW_TOKEN_SESSION_KEY]
    Token.objects.filter(user=cast.bob).delete()
    page = client.get(reverse("profile"))
    assert key not in page.text
    assert "You have no token." in page.text


def test_token_forms_carry_a_csrf_token(client, cast):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.bob)
    assert strict.post(reverse("token-create")).status_code == 403
    assert Token.objects.count() == 0
    page = strict.get(reverse("profile"))
    assert 'name="csrfmiddlewaretoken"' in page.text
