"""seed_demo's sources: one excerpt verified on its snapshot, one not on the page; no network; safe twice."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from annotate.models import Evidence, Snapshot

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_verified_excerpt_and_one_not_on_the_page(client, settings, tmp_path, monkeypatch):
    settings.FACTMARK_DEMO_PASSWORD_FILE = tmp_path / "demo-password"
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent
    states = {e.source.url.rsplit("/", 1)[1]: e.verification for e in Evidence.objects.select_related("source")}
    assert states == {"flood-damage-2016-2025": "found", "council-minutes-2019-06": "not_found"}
    assert Snapshot.objects.count() == 2
    found = Evidence.objects.get(verification="found")
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="reviewer"))
    html = client.get(reverse("evidence-snapshot", args=[found.claim_id, found.pk])).content.decode()
    assert '<mark id="excerpt-match">Average insured flood damage was 2.4 million euros a year.</mark>' in html
    missing = Evidence.objects.get(verification="not_found")
    assert "Excerpt not found on the page" in client.get(reverse("claim-detail", args=[missing.claim_id])).content.decode()
