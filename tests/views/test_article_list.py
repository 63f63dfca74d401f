"""The article list of a project: who may see it, its progress columns, and its query count."""

import pytest
from django.urls import reverse
from django.utils import timezone

from annotate import services
from annotate.extract import Extracted
from annotate.models import Status
from tests.conftest import make_article, make_claim, rating

pytestmark = pytest.mark.django_db


def url(project):
    return reverse("article-list", args=[project.slug])


def test_a_reviewer_sees_the_articles_of_their_project(client, cast):
    client.force_login(cast.alice)
    response = client.get(url(cast.project))
    assert response.status_code == 200
    assert cast.article.title in response.text
    assert f'href="/articles/{cast.article.pk}/"' in response.text
    assert reverse("article-import", args=[cast.project.slug]) in response.text


def test_an_outsider_gets_404_so_the_project_does_not_leak(client, cast):
    client.force_login(cast.carol)
    assert client.get(url(cast.project)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, cast):
    response = client.get(url(cast.project))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_scale_and_members_links_follow_the_role(client, cast):
    scale, members = reverse("rating-scale", args=[cast.project.slug]), reverse("project-members", args=[cast.project.slug])
    client.force_login(cast.alice)
    page = client.get(url(cast.project)).text
    assert scale not in page and members not in page
    client.force_login(cast.bob)
    page = client.get(url(cast.project)).text
    assert scale in page and members not in page
    client.force_login(cast.dora)
    page = client.get(url(cast.project)).text
    assert scale in page and members in page
    assert reverse("profile") in page


def test_it_counts_claims_verdicts_approvals_and_orphans_per_article(client, cast):
    article = cast.article
    first = make_claim(article, "the barrier cost 41 million euros", cast.alice)
    second = make_claim(article, "protects 12,000 homes", cast.alice)
    make_claim(article, "Critics claim the project ran three years late", cast.erin)
    services.save_verdict(first, cast.alice, rating(cast.project, "Accurate"))
    services.save_verdict(first, cast.erin, rating(cast.project, "Mixed"))
    services.save_verdict(second, cast.erin, rating(cast.project, "False"))
    services.settle_claim(first, cast.bob, first.version, rating(cast.project, "Accurate"), "Budget papers confirm it.")
    first.refresh_from_db()
    services.publish(first, cast.bob, first.version)
    # A revision that drops the third sentence orphans its span.
    services.revise_article(article, cast.alice, Extracted(title="", body=article.body.replace(
        "Critics claim the project ran three years late, which the mayor denies.", "The mayor spoke.")))

    client.force_login(cast.alice)
    response = client.get(url(cast.project))
    (row,) = response.context["page"].object_list
    assert (row.claim_count, row.verdict_claim_count, row.approved_count, row.orphaned_count) == (3, 2, 1, 1)
    assert row.revision == 2


def test_articles_without_claims_show_zeroes(client, cast):
    client.force_login(cast.alice)
    (row,) = client.get(url(cast.project)).context["page"].object_list
    assert (row.claim_count, row.verdict_claim_count, row.approved_count, row.orphaned_count) == (0, 0, 0, 0)


def test_it_lists_only_the_articles_of_the_project(client, cast):
    make_article(cast.other, body="Another desk's article body.\n\nWith a second paragraph.", title="Not yours")
    client.force_login(cast.alice)
    response = client.get(url(cast.project))
    assert "Not yours" not in response.text


def test_article_titles_are_text_not_markup(client, cast):
    make_article(cast.project, body="A body with <b>tags</b>.\n\nSecond paragraph.", title="<script>alert(1)</script>")
    client.force_login(cast.alice)
    response = client.get(url(cast.project))
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def _articles_with_claims(cast, n):
    for i in range(n):
        article = make_article(cast.project, body=f"Article number {i} says the budget rose by {i} percent.\n\nMore text.", title=f"Article {i}")
        claim = make_claim(article, "the budget rose", cast.alice)
        services.save_verdict(claim, cast.alice, rating(cast.project, "Mixed"))


@pytest.mark.parametrize("n", [3, 30])
def test_the_list_runs_the_same_queries_for_3_and_30_articles(client, cast, django_assert_num_queries, n):
    _articles_with_claims(cast, n)
    client.force_login(cast.alice)
    # 1 session, 2 user, 3 project + the user's role, 4 paginator COUNT,
    # 5 the page of articles with their four progress counts as subqueries.
    with django_assert_num_queries(5):
        response = client.get(url(cast.project))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == n + 1


def test_it_paginates_long_lists(client, cast):
    from annotate.views import articles

    for i in range(articles.ARTICLES_PER_PAGE + 1):
        make_article(cast.project, body=f"Body of article {i}.\n\nAnother paragraph.", title=f"Article {i}")
    client.force_login(cast.alice)
    first = client.get(url(cast.project))
    assert len(first.context["page"].object_list) == articles.ARTICLES_PER_PAGE
    assert 'href="?page=2"' in first.text
    second = client.get(url(cast.project), {"page": 2})
    assert len(second.context["page"].object_list) == 2
    assert cast.article.title in second.text  # the oldest comes last


def test_newest_articles_come_first(client, cast):
    newer = make_article(cast.project, body="A newer article.\n\nWith text.", title="Newer")
    newer.created_at = timezone.now() + timezone.timedelta(minutes=1)
    newer.save(update_fields=["created_at"])
    client.force_login(cast.alice)
    rows = client.get(url(cast.project)).context["page"].object_list
    assert [a.pk for a in rows] == [newer.pk, cast.article.pk]


def test_an_approved_claim_counts_as_approved(client, cast):
    claim = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    services.settle_claim(claim, cast.bob, claim.version, rating(cast.project, "Mostly accurate"), "Council data.")
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED
    client.force_login(cast.alice)
    (row,) = client.get(url(cast.project)).context["page"].object_list
    assert row.approved_count == 1
    assert row.verdict_claim_count == 0
