"""The write paths every page and API call goes through."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from annotate import services
from annotate.models import Claim, Evidence, HistoryEntry, Source, Span, Status, Verdict
from tests.conftest import make_claim, rating

pytestmark = pytest.mark.django_db


def counts():
    return (Span.objects.count(), Claim.objects.count(), Verdict.objects.count(), Evidence.objects.count(), Source.objects.count(), HistoryEntry.objects.count())


def test_it_creates_a_claim_with_its_span_context_and_history(cast):
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    span = claim.span
    assert cast.article.body[span.start : span.end] == "the barrier cost 41 million euros"
    assert span.prefix.endswith("The council said ") and span.suffix.startswith(" and protects")
    assert claim.text == "the barrier cost 41 million euros"
    assert claim.status == Status.OPEN and claim.version == 1
    assert list(claim.history.values_list("action", flat=True)) == ["claim_created"]


@pytest.mark.parametrize(
    "start,end,quote,message",
    [
        (0, 10_000, "x", "has only"),
        (5, 5, "", "empty"),
        (10, 5, "x", "after its end"),
        (0, 7, "Nothing", "does not match"),
    ],
    ids=["past-the-end", "empty", "reversed", "quote-mismatch"],
)
def test_it_refuses_a_bad_selection_and_writes_nothing(cast, start, end, quote, message):
    before = counts()
    with pytest.raises(services.Invalid) as exc:
        services.add_claim(cast.article, cast.alice, start, end, quote)
    assert message in exc.value.message
    assert counts() == before


def test_it_refuses_a_whitespace_only_selection(cast):
    body = cast.article.body
    start = body.index("\n\n")
    with pytest.raises(services.Invalid):
        services.add_claim(cast.article, cast.alice, start, start + 2, "\n\n")
    assert Claim.objects.count() == 0


def test_it_converts_browser_utf16_offsets_at_one_boundary(cast):
    from tests.conftest import make_article

    article = make_article(cast.project, body="Fans 🎉 said the harbour is 200 years old.\n\nSecond paragraph.", title="Emoji")
    quote = "the harbour is 200 years old"
    utf16_start = len("Fans 🎉 said ".encode("utf-16-le")) // 2
    claim = services.add_claim(article, cast.alice, utf16_start, utf16_start + len(quote), quote, offsets="utf16")
    assert article.body[claim.span.start : claim.span.end] == quote
    assert claim.span.start == utf16_start - 1  # the emoji is one code point, two UTF-16 units


def test_a_stale_claim_edit_is_a_conflict_and_changes_nothing(cast):
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    services.update_claim(claim, cast.erin, 1, text="The barrier cost 41 million euros.")
    with pytest.raises(services.Conflict) as exc:
        services.update_claim(claim, cast.alice, 1, text="My edit based on version 1")
    assert exc.value.current.version == 2
    claim.refresh_from_db()
    assert claim.text == "The barrier cost 41 million euros." and claim.version == 2


def test_a_verdict_is_one_per_reviewer_and_updates_under_its_version(cast):
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    verdict = services.save_verdict(claim, cast.alice, rating(cast.project, "Accurate"), "Budget papers agree.")
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW
    with pytest.raises(services.Conflict):
        services.save_verdict(claim, cast.alice, rating(cast.project, "False"), "second create")
    updated = services.save_verdict(claim, cast.alice, rating(cast.project, "Mixed"), "On reflection.", version=verdict.version)
    assert updated.rating.label == "Mixed" and updated.version == 2
    with pytest.raises(services.Conflict):
        services.save_verdict(claim, cast.alice, rating(cast.project, "False"), "stale", version=1)
    assert Verdict.objects.get().rating.label == "Mixed"
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.create(claim=claim, reviewer=cast.alice, rating=rating(cast.project, "False"))


def test_a_rating_from_another_projects_scale_is_refused(cast):
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    before = counts()
    with pytest.raises(services.Invalid) as exc:
        services.save_verdict(claim, cast.alice, rating(cast.other, "False"), "")
    assert "scale" in exc.value.message
    assert counts() == before


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd", "ftp://example.org/x", "not a url"])
def test_a_source_url_that_is_not_http_is_refused(cast, url):
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    before = counts()
    with pytest.raises(services.Invalid):
        services.add_evidence(claim, cast.alice, url=url, stance="supports")
    assert counts() == before


def test_sources_are_shared_across_claims_of_a_project(cast):
    first = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    second = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    services.add_evidence(first, cast.alice, url="https://example.org/budget", stance="supports", title="Budget")
    services.add_evidence(second, cast.erin, url="https://example.org/budget", stance="context")
    assert Source.objects.count() == 1
    with pytest.raises(services.Invalid):
        services.add_evidence(second, cast.erin, url="https://example.org/budget", stance="refutes")


def test_only_the_creator_deletes_a_claim_without_other_verdicts(cast):
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    with pytest.raises(PermissionDenied):
        services.delete_claim(claim, cast.erin)
    services.save_verdict(claim, cast.erin, rating(cast.project, "False"))
    with pytest.raises(services.Invalid):
        services.delete_claim(claim, cast.alice)
    assert Claim.objects.filter(pk=claim.pk).exists()
    Verdict.objects.all().delete()
    services.delete_claim(claim, cast.alice)
    assert not Claim.objects.exists() and not Span.objects.exists()


def test_publishing_needs_a_final_verdict_and_records_who_and_when(cast):
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    with pytest.raises(services.Invalid):
        services.publish(claim, cast.bob, claim.version)
    claim = services.settle_claim(claim, cast.bob, claim.version, rating(cast.project, "Accurate"), "Matches the budget.")
    assert claim.status == Status.APPROVED and claim.approved_by == cast.bob and claim.approved_at
    claim = services.publish(claim, cast.bob, claim.version)
    assert claim.status == Status.PUBLISHED and claim.published_at
    claim = services.unpublish(claim, cast.bob, claim.version, "The council withdrew the figure.")
    assert claim.status == Status.APPROVED and claim.published_at is None
    assert claim.history.order_by("-id").first().changes["reason"] == "The council withdrew the figure."
    actions = list(claim.history.order_by("id").values_list("action", flat=True))
    assert actions == ["claim_created", "final_verdict", "status_changed", "status_changed"]


def test_the_database_refuses_a_published_claim_without_a_final_verdict(cast):
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status=Status.PUBLISHED)
