"""Article import by URL shares the sources' fetcher: one total deadline, a concurrency cap (issue 18 item 4)."""

import threading
import time

import pytest
from django.urls import reverse

from annotate import netfetch
from annotate.models import Article
from tests.api.conftest import token_client
from tests.unit.test_netfetch import wait_until_all_slots_are_taken

pytestmark = pytest.mark.django_db


def test_a_header_trickling_server_is_cut_off_at_the_deadline_on_the_import_page(client, cast, site, settings):
    settings.FACTMARK_FETCH_TIMEOUT = 1
    client.force_login(cast.alice)
    client.post(reverse("article-import", args=[cast.project.slug]), {"step": "preview", "text": ""})  # warm up: templates, URLs
    started = time.monotonic()
    response = client.post(reverse("article-import", args=[cast.project.slug]), {"step": "preview", "url": f"{site.base}/trickle-headers"})
    elapsed = time.monotonic() - started
    assert response.status_code == 400
    assert "news.test did not answer within 1 seconds." in response.content.decode()
    assert elapsed < 2.5, elapsed  # before: the deadline was checked only while reading the body
    assert Article.objects.count() == 1


def test_a_header_trickling_server_is_cut_off_at_the_deadline_in_the_api(cast, site, settings):
    settings.FACTMARK_FETCH_TIMEOUT = 1
    api = token_client(cast.alice)
    api.post("/api/v1/articles/", {"project": cast.project.slug}, format="json")  # warm up: serializers, URLs
    started = time.monotonic()
    response = api.post("/api/v1/articles/", {"project": cast.project.slug, "url": f"{site.base}/trickle-headers"}, format="json")
    assert response.status_code == 400 and "did not answer within 1 seconds" in str(response.json())
    assert time.monotonic() - started < 2.5


def test_beyond_the_cap_an_import_is_refused_with_a_clear_message(client, cast, site, settings):
    settings.FACTMARK_FETCH_TIMEOUT = 3
    netfetch.set_concurrency(1)
    try:
        holder = threading.Thread(target=lambda: _fetch_quietly(f"{site.base}/trickle-headers"))
        holder.start()
        wait_until_all_slots_are_taken()
        client.force_login(cast.alice)
        response = client.post(reverse("article-import", args=[cast.project.slug]), {"step": "preview", "url": f"{site.base}/plain"})
        assert response.status_code == 400
        assert "Factmark is already fetching 1 web pages; try again in a minute." in response.content.decode()
        holder.join()
        response = client.post(reverse("article-import", args=[cast.project.slug]), {"step": "preview", "url": f"{site.base}/plain"})
        assert response.status_code == 200
    finally:
        netfetch.set_concurrency(netfetch.DEFAULT_CONCURRENCY)


def _fetch_quietly(url):
    try:
        netfetch.fetch(url, timeout=1.5, hosts={"news.test": "127.0.0.1"})
    except netfetch.FetchProblem:
        pass
