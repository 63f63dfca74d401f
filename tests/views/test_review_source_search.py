"""GET /p/<slug>/sources/?q=: known sources of the project, offered while typing a source URL."""

import pytest
from django.urls import reverse

from annotate.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(cast):
    Source.objects.create(project=cast.project, url="https://stats.example.org/budget", title="Budget <2024>", publisher="Stats office")
    Source.objects.create(project=cast.project, url="https://news.example.org/barrier", title="Barrier opens", publisher="Daily")
    Source.objects.create(project=cast.other, url="https://secret.example.org/budget", title="Other desk budget")


def search(client, project, **params):
    return client.get(reverse("source-search", args=[project.slug]), params, headers={"HX-Request": "true"})


def test_it_offers_matching_sources_of_the_project_only(client, cast, sources):
    client.force_login(cast.alice)
    response = search(client, cast.project, q="budget")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="https://stats.example.org/budget" dir="auto">Budget &lt;2024&gt; — Stats office</option>' in html
    assert "Barrier" not in html and "secret" not in html


def test_it_reads_the_url_field_as_typed_by_htmx(client, cast, sources):
    client.force_login(cast.alice)
    assert "news.example.org" in search(client, cast.project, url="news.ex").content.decode()


def test_a_single_character_offers_nothing(client, cast, sources):
    client.force_login(cast.alice)
    assert "<option" not in search(client, cast.project, q="b").content.decode()


def test_an_outsider_gets_404_and_an_anonymous_visitor_the_login_page(client, cast, sources):
    client.force_login(cast.carol)
    assert search(client, cast.project, q="budget").status_code == 404
    client.logout()
    # htmx asks: a 401 with the session-expired event (annotate/session_expiry.py), not a login page in the datalist
    response = search(client, cast.project, q="budget")
    assert response.status_code == 401 and "session-expired" in response["HX-Trigger"]
    response = client.get(reverse("source-search", args=[cast.project.slug]), {"q": "budget"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
