"""Import and revision: duplicates, all-or-nothing, re-anchoring that never loses a span."""

import pytest

from annotate import services
from annotate.extract import Extracted
from annotate.models import Article, ArticleRevision, Claim, HistoryEntry, Span
from tests.conftest import ARTICLE_BODY, make_article, make_claim

pytestmark = pytest.mark.django_db


def test_an_import_creates_the_article_and_its_first_revision(cast):
    assert cast.article.revision == 1
    assert list(cast.article.revisions.values_list("number", "body")) == [(1, ARTICLE_BODY)]


def test_the_same_text_twice_in_a_project_is_a_duplicate(cast):
    with pytest.raises(services.Duplicate) as exc:
        make_article(cast.project, title="Another title")
    assert exc.value.existing == cast.article
    assert Article.objects.filter(project=cast.project).count() == 1
    # Another project may hold the same text.
    make_article(cast.other)


def test_an_import_that_fails_half_way_leaves_no_article(cast, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ArticleRevision.objects, "create", broken)
    with pytest.raises(RuntimeError):
        make_article(cast.project, body="A different text.\n\nWith two paragraphs.")
    assert Article.objects.count() == 1


def test_a_revision_reanchors_moved_spans_and_orphans_deleted_ones(cast):
    kept = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    lost = make_claim(cast.article, "which the mayor denies", cast.alice)
    new_body = "Update: figures corrected on Friday.\n\n" + ARTICLE_BODY.replace(", which the mayor denies", "")
    result = services.revise_article(cast.article, cast.bob, Extracted(title="", body=new_body))
    assert (result.placed, result.orphaned) == (1, 1)
    kept_span, lost_span = Span.objects.get(pk=kept.span_id), Span.objects.get(pk=lost.span_id)
    assert new_body[kept_span.start : kept_span.end] == "protects 12,000 homes"
    assert kept_span.revision == 2 and not kept_span.orphaned
    assert lost_span.orphaned and Claim.objects.filter(pk=lost.pk).exists()
    assert HistoryEntry.objects.filter(claim=lost, action="span_orphaned").exists()
    article = Article.objects.get(pk=cast.article.pk)
    assert article.revision == 2 and article.body == new_body
    assert list(article.revisions.values_list("number", flat=True)) == [1, 2]


def test_a_revision_identical_to_the_current_text_is_refused(cast):
    with pytest.raises(services.Invalid):
        services.revise_article(cast.article, cast.bob, Extracted(title="", body=ARTICLE_BODY))
    assert ArticleRevision.objects.count() == 1


def test_a_revision_refreshes_the_context_of_a_span_next_to_an_edit(cast):
    near = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    far = make_claim(cast.article, "close about 20 times a year", cast.alice)
    new_body = ARTICLE_BODY.replace("euros and protects", "euros, and it protects")
    result = services.revise_article(cast.article, cast.bob, Extracted(title="", body=new_body))
    assert (result.placed, result.moved, result.orphaned) == (2, 2, 0)
    near_span, far_span = Span.objects.get(pk=near.span_id), Span.objects.get(pk=far.span_id)
    for span, quote in ((near_span, "protects 12,000 homes"), (far_span, "close about 20 times a year")):
        assert new_body[span.start : span.end] == quote and span.revision == 2
        assert new_body[span.start - len(span.prefix) : span.start] == span.prefix
        assert new_body[span.end : span.end + len(span.suffix)] == span.suffix
    assert near_span.prefix.endswith("euros, and it ") and near_span.anchor_method == "exact"
