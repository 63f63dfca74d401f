"""The review page (/articles/<id>/) and the claims panel fragment."""

import pytest
from django.urls import reverse

from annotate import services
from tests.conftest import make_claim, rating

pytestmark = pytest.mark.django_db


def review_url(article):
    return reverse("review", args=[article.pk])


def panel_url(article):
    return reverse("claims-panel", args=[article.pk])


def test_a_member_sees_the_article_with_its_highlights_and_claims(client, cast):
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    client.force_login(cast.erin)
    response = client.get(review_url(cast.article))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="article-body"' in html
    assert f'data-claims="{claim.pk}"' in html
    assert f'id="claim-row-{claim.pk}"' in html
    assert 'id="para-1" data-start="38"' in html
    assert "static/js/review.js" in html


def test_an_outsider_gets_404(client, cast):
    client.force_login(cast.carol)
    assert client.get(review_url(cast.article)).status_code == 404
    assert client.get(panel_url(cast.article)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, cast):
    for url in (review_url(cast.article), panel_url(cast.article)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_an_editor_and_an_admin_may_review_too(client, cast):
    for user in (cast.bob, cast.dora):
        client.force_login(user)
        assert client.get(review_url(cast.article)).status_code == 200


def test_article_text_is_escaped_never_markup(client, cast):
    from tests.conftest import make_article

    article = make_article(cast.project, body="Hello <script>alert(1)</script> & goodbye.\n\nSecond <b>para</b>.", title="<i>T</i>")
    make_claim(article, "<script>alert(1)</script>", cast.alice)
    client.force_login(cast.alice)
    html = client.get(review_url(article)).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>para</b>" not in html and "<i>T</i>" not in html


def test_the_claims_panel_lists_claims_in_article_order_with_my_verdict(client, cast):
    late = make_claim(cast.article, "the mayor denies", cast.alice)
    early = make_claim(cast.article, "41 million euros", cast.alice)
    services.save_verdict(late, cast.alice, rating(cast.project, "False"), "No.")
    client.force_login(cast.alice)
    response = client.get(panel_url(cast.article), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="claims-panel"')
    assert "<html" not in html
    assert html.index(f"claim-row-{early.pk}") < html.index(f"claim-row-{late.pk}")
    assert "Your verdict: </span>False" in html


def test_the_claims_panel_without_htmx_is_the_whole_page(client, cast):
    client.force_login(cast.alice)
    html = client.get(panel_url(cast.article)).content.decode()
    assert "<html" in html and 'id="claims-panel"' in html


def test_overlapping_highlights_show_their_depth_and_a_label(client, cast):
    outer = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    inner = make_claim(cast.article, "41 million", cast.alice)
    client.force_login(cast.alice)
    html = client.get(review_url(cast.article)).content.decode()
    assert f'class="hl s-open d2" data-claims="{outer.pk} {inner.pk}" data-label="#{inner.pk}">41 million</mark>' in html
    assert f'data-claims="{outer.pk}" data-label="#{outer.pk}">the barrier cost </mark>' in html


def test_orphaned_claims_are_listed_apart_with_their_quote(client, cast):
    claim = make_claim(cast.article, "three years late", cast.alice)
    claim.span.orphaned = True
    claim.span.save()
    client.force_login(cast.alice)
    html = client.get(review_url(cast.article)).content.decode()
    assert "Needs re-placing" in html
    assert 'id="orphan-list"' in html
    assert '<blockquote class="orphan-quote" dir="auto">three years late</blockquote>' in html
    assert f'data-claims="{claim.pk}"' not in html  # no highlight for a span that lost its place


def _many_claims(article, user, count):
    """`count` claims on successive words of a long article, one verdict on every other one."""
    from annotate.models import Claim, Span

    words = [(i, i + 4) for i in range(0, count * 5, 5)]
    spans = Span.objects.bulk_create(
        Span(article=article, start=s, end=e, quote=article.body[s:e], created_by=user) for s, e in words
    )
    claims = Claim.objects.bulk_create(
        Claim(project=article.project, article=article, span=span, text=f"claim {span.start}", created_by=user) for span in spans
    )
    scale = list(article.project.ratings.all())
    from annotate.models import Verdict

    Verdict.objects.bulk_create(Verdict(claim=c, reviewer=user, rating=scale[i % len(scale)]) for i, c in enumerate(claims[::2]))


@pytest.mark.parametrize("count", [10, 500])
def test_the_review_page_runs_a_fixed_number_of_queries(client, cast, django_assert_num_queries, count):
    from tests.conftest import make_article

    article = make_article(cast.project, body="word " * 3000, title="Long")
    _many_claims(article, cast.alice, count)
    client.force_login(cast.alice)
    # session, user, article with the user's role, every claim row with span and own verdict,
    # the rating scale (legend and colour stylesheet version)
    with django_assert_num_queries(5):
        response = client.get(review_url(article))
    assert response.content.decode().count('class="claim-row') == count


@pytest.mark.parametrize("count", [10, 500])
def test_the_claims_panel_runs_a_fixed_number_of_queries(client, cast, django_assert_num_queries, count):
    from tests.conftest import make_article

    article = make_article(cast.project, body="word " * 3000, title="Long")
    _many_claims(article, cast.alice, count)
    client.force_login(cast.alice)
    # session, user, article with the user's role, every claim row with span and own verdict
    with django_assert_num_queries(4):
        response = client.get(panel_url(article), headers={"HX-Request": "true"})
    assert response.content.decode().count('class="claim-row') == count
