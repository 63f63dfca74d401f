"""The editor queue: who may see it, what waits there, the verdicts side by side,
the agreement figures, the filters, and a query count that does not grow with the queue."""

import re

import pytest
from django.urls import reverse

from annotate import services
from annotate.agreement import alpha
from annotate.models import Status
from tests.conftest import make_article, make_claim, make_user, rating

pytestmark = pytest.mark.django_db


def url(project, **params):
    base = reverse("editor-queue", args=[project.slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def rate(claim, user, label, rationale=""):
    return services.save_verdict(claim, user, rating(claim.project, label), rationale)


def claims_on_words(article, user, count):
    """`count` claims, one per word of the article (wrapping onto two-word spans)."""
    words = [m.span() for m in re.finditer(r"\w+", article.body)]
    claims = []
    for i in range(count):
        start = words[i % len(words)][0]
        end = words[min(i % len(words) + i // len(words), len(words) - 1)][1]
        claims.append(services.add_claim(article, user, start, end, article.body[start:end]))
    return claims


def row(page, claim):
    """The HTML of one queue row."""
    match = re.search(rf'<article class="queue-row[^"]*" id="queue-row-{claim.pk}".*?</article>', page, re.S)
    assert match, f"claim {claim.pk} is not in the queue"
    return match.group(0)


# --- who may see it ------------------------------------------------------------


@pytest.mark.parametrize("who", ["bob", "dora"])
def test_editors_and_admins_see_the_queue(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.get(url(cast.project))
    assert response.status_code == 200
    assert "Editor queue" in response.text


def test_a_reviewer_gets_403(client, cast):
    client.force_login(cast.alice)
    assert client.get(url(cast.project)).status_code == 403


def test_an_outsider_gets_404_so_the_project_does_not_leak(client, cast):
    client.force_login(cast.carol)
    assert client.get(url(cast.project)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, cast):
    response = client.get(url(cast.project))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- what waits there ----------------------------------------------------------


def tab_counts(page):
    """{tab key: the count its link shows}."""
    return {key: int(n) for key, n in re.findall(r'data-tab="(\w+)"[^>]*>[^<]*<span class="tab-count">\((\d+)\)', page)}


def rows(page):
    return set(map(int, re.findall(r'id="queue-row-(\d+)"', page)))


def test_it_holds_every_unsettled_claim_each_in_one_tab_whose_count_equals_its_rows(client, cast):
    cast.project.required_verdicts = 2
    cast.project.save()
    no_verdict = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    waiting = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    ready = make_claim(cast.article, "ran three years late", cast.alice)
    second = make_claim(cast.article, "the mayor denies", cast.alice)
    approved = make_claim(cast.article, "close about 20 times a year", cast.alice)
    published = make_claim(cast.article, "Harbour city opens", cast.alice)
    rate(waiting, cast.alice, "Accurate")
    for claim in (ready, second, approved, published):
        rate(claim, cast.alice, "False")
        rate(claim, cast.erin, "False")
    second.refresh_from_db()
    services.set_status(second, cast.bob, second.version, Status.SECOND_OPINION)
    for claim in (approved, published):
        claim.refresh_from_db()
        services.settle_claim(claim, cast.bob, claim.version, rating(cast.project, "False"), "Records.")
    published.refresh_from_db()
    services.publish(published, cast.bob, published.version)

    client.force_login(cast.bob)
    page = client.get(url(cast.project)).text
    assert rows(page) == {no_verdict.pk, waiting.pk, ready.pk, second.pk, approved.pk}
    counts = tab_counts(page)
    assert counts == {"all": 5, "open": 1, "waiting": 1, "ready": 1, "second": 1, "approved": 1}
    expected = {"open": no_verdict, "waiting": waiting, "ready": ready, "second": second, "approved": approved}
    for tab, claim in expected.items():
        tab_page = client.get(url(cast.project, tab=tab)).text
        assert rows(tab_page) == {claim.pk}
        assert len(rows(tab_page)) == counts[tab]
    # Each row shows its progress against the project's required verdicts.
    assert "1 of 2 verdicts" in row(page, waiting)
    assert "2 of 2 verdicts" in row(page, ready)
    assert "0 of 2 verdicts" in row(page, no_verdict)


def test_rows_come_oldest_first(client, cast):
    first = make_claim(cast.article, "ran three years late", cast.alice)
    second = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    client.force_login(cast.bob)
    page = client.get(url(cast.project)).text
    assert page.index(f'id="queue-row-{first.pk}"') < page.index(f'id="queue-row-{second.pk}"')


def test_it_filters_by_assignee(client, cast):
    from annotate import services

    mine = make_claim(cast.article, "ran three years late", cast.alice)
    erins = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    nobodys = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    services.workflow.set_assignees(mine, cast.bob, mine.version, ["bob"])
    services.workflow.set_assignees(erins, cast.bob, erins.version, ["erin", "alice"])
    client.force_login(cast.bob)
    assert rows(client.get(url(cast.project, assignee="me")).text) == {mine.pk}
    assert rows(client.get(url(cast.project, assignee="erin")).text) == {erins.pk}
    assert rows(client.get(url(cast.project, assignee="none")).text) == {nobodys.pk}
    page = client.get(url(cast.project, assignee="erin")).text
    assert tab_counts(page)["all"] == 1 and tab_counts(page)["open"] == 1


def test_it_shows_the_reviewers_verdicts_side_by_side_with_a_disagreement_marker(client, cast):
    split = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    agreed = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    rate(split, cast.alice, "Accurate", "The council's budget says 41 million.")
    rate(split, cast.erin, "Misleading", "Maintenance costs are <b>left out</b>.")
    rate(agreed, cast.alice, "Mixed")
    rate(agreed, cast.erin, "Mixed")

    client.force_login(cast.bob)
    page = client.get(url(cast.project)).text
    html = row(page, split)
    assert "Reviewers disagree" in html
    assert html.index("alice") < html.index("erin")  # same order on every row
    assert "Accurate" in html and "Misleading" in html
    assert 'fill="#1a7f37"' in html and 'fill="#bc4c00"' in html  # colour next to the label text
    assert "The council&#x27;s budget says 41 million." in html
    assert "&lt;b&gt;left out&lt;/b&gt;" in html and "<b>left out</b>" not in html
    assert "Reviewers disagree" not in row(page, agreed)
    assert "Reviewers agree" in row(page, agreed)


def test_each_row_carries_the_final_verdict_form_targeting_the_row(client, cast):
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    rate(claim, cast.alice, "Accurate")
    client.force_login(cast.bob)
    html = row(client.get(url(cast.project)).text, claim)
    final = reverse("claim-final", args=[claim.pk])
    assert f'action="{final}"' in html and f'hx-post="{final}"' in html
    assert f'hx-target="#queue-row-{claim.pk}"' in html
    claim.refresh_from_db()
    assert f'name="version" value="{claim.version}"' in html
    # Every project rating is offered, Unverifiable included.
    for label in ("Accurate", "Mostly accurate", "Mixed", "Misleading", "False", "Unverifiable"):
        assert f">{label}</option>" in html


# --- agreement -----------------------------------------------------------------


def test_it_shows_alpha_for_the_project_and_each_article_with_its_unit_count(client, cast):
    second = make_article(cast.project, body="The mayor said turnout was 61 percent.\n\nShe also said it rained.", title="Turnout")
    a = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    b = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    c = make_claim(cast.article, "ran three years late", cast.alice)
    d = make_claim(second, "turnout was 61 percent", cast.alice)
    for claim, first, other in ((a, "False", "False"), (b, "Accurate", "Mostly accurate"), (c, "Mixed", "Misleading"), (d, "Mixed", "Accurate")):
        rate(claim, cast.alice, first)
        rate(claim, cast.erin, other)

    client.force_login(cast.bob)
    page = client.get(url(cast.project)).text
    project_alpha = alpha([[1, 1], [5, 4], [3, 2], [3, 5]])
    article_alpha = alpha([[1, 1], [5, 4], [3, 2]])
    project_row = re.search(r'<tr class="agreement-project">.*?</tr>', page, re.S).group(0)
    assert f"{project_alpha:.2f}" in project_row and "4 claims" in project_row
    article_row = re.search(rf'<tr class="agreement-article" id="agreement-article-{cast.article.pk}">.*?</tr>', page, re.S).group(0)
    assert f"{article_alpha:.2f}" in article_row and "3 claims" in article_row
    # One claim is not enough to say anything about agreement.
    second_row = re.search(rf'<tr class="agreement-article" id="agreement-article-{second.pk}">.*?</tr>', page, re.S).group(0)
    assert "not enough data" in second_row and "1 claim<" in second_row


def test_ratings_without_a_value_are_left_out_of_alpha(client, cast):
    a = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    b = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    rate(a, cast.alice, "False")
    rate(a, cast.erin, "Mostly accurate")
    rate(b, cast.alice, "Unverifiable")  # missing: b has only one value, so it is not pairable
    rate(b, cast.erin, "Accurate")
    client.force_login(cast.bob)
    page = client.get(url(cast.project)).text
    project_row = re.search(r'<tr class="agreement-project">.*?</tr>', page, re.S).group(0)
    assert "not enough data" in project_row and "1 claim<" in project_row


def test_an_empty_project_says_not_enough_data(client, cast):
    client.force_login(cast.bob)
    page = client.get(url(cast.project)).text
    assert "not enough data" in page
    assert "Nothing here" in page


# --- filters -------------------------------------------------------------------


def test_it_filters_by_article_status_and_disagreement(client, cast):
    second = make_article(cast.project, body="The mayor said turnout was 61 percent.", title="Turnout")
    a = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    b = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    c = make_claim(second, "turnout was 61 percent", cast.alice)
    rate(a, cast.alice, "False")
    rate(a, cast.erin, "Accurate")
    rate(b, cast.alice, "Mixed")
    rate(c, cast.alice, "Mixed")
    b.refresh_from_db()
    services.set_status(b, cast.bob, b.version, Status.SECOND_OPINION)
    client.force_login(cast.bob)

    def shown(**params):
        page = client.get(url(cast.project, **params)).text
        return {claim.pk for claim in (a, b, c) if f'id="queue-row-{claim.pk}"' in page}

    assert shown() == {a.pk, b.pk, c.pk}
    assert shown(article=second.pk) == {c.pk}
    assert shown(status="needs_second_opinion") == {b.pk}
    assert shown(status="in_review") == {a.pk, c.pk}
    assert shown(disagree="on") == {a.pk}
    assert shown(article=cast.article.pk, status="in_review") == {a.pk}
    # A bad value is ignored rather than failing the page.
    assert shown(status="lost", article="nope") == {a.pk, b.pk, c.pk}


def test_tab_links_keep_the_other_filters(client, cast):
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    rate(claim, cast.alice, "False")
    client.force_login(cast.bob)
    page = client.get(url(cast.project, article=cast.article.pk, page=1)).text
    assert f'href="?article={cast.article.pk}&amp;tab=open"' in page


# --- queries -------------------------------------------------------------------


@pytest.mark.parametrize("count", [10, 500])
def test_the_number_of_queries_does_not_grow_with_the_queue(client, cast, django_assert_num_queries, count):
    body = " ".join(f"Claim number {i} says the harbour grew." for i in range(count))
    article = make_article(cast.project, body=body, title="Many claims")
    reviewers = [cast.alice, cast.erin, make_user("frank")]
    cast.project.memberships.create(user=reviewers[2], role="reviewer")
    labels = ["Accurate", "Mixed", "False", "Unverifiable"]
    for i, claim in enumerate(claims_on_words(article, cast.alice, count)):
        for j, reviewer in enumerate(reviewers[: 1 + i % 3]):
            rate(claim, reviewer, labels[(i + j) % len(labels)], f"Reason {i}/{j}")
    client.force_login(cast.bob)
    # session, user, project with role, ratings, articles and members (filter choices),
    # the tab counts, the paginator count, the claim page, its verdicts with rating and
    # reviewer, its assignees, the agreement values.
    with django_assert_num_queries(12):
        response = client.get(url(cast.project))
    assert response.status_code == 200
    assert response.text.count('class="queue-row') == min(count, 25)
