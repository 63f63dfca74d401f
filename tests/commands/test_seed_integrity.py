"""seed_demo's integrity demo: a published fact-check whose article was revised under it (annotate/demo/integrity.py)."""

import pytest
from django.core.management import call_command

from annotate.demo import integrity as integrity_demo
from annotate.models import Article, Claim, Status

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_published_claim_changed_in_revision_and_is_safe_to_run_twice(client, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    call_command("seed_demo")
    call_command("seed_demo")
    article = Article.objects.get(title=integrity_demo.TITLE)
    claim = Claim.objects.select_related("span").get(article=article)
    assert article.revision == 2 and claim.status == Status.PUBLISHED
    assert claim.span.changed_in_revision and claim.span.quote == integrity_demo.QUOTE
    assert claim.span.revised_quote == integrity_demo.QUOTE.replace("40", "14")
    html = client.get(f"/f/{article.project.slug}/{article.pk}/").content.decode()
    assert integrity_demo.QUOTE in html and "The article has since changed" in html
