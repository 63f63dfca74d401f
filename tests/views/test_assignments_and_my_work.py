"""Assignments (claim, article, taking a claim) and My work, for each role both ways, with a
fixed query count for My work at 10 and 500 claims."""

import re

import pytest
from django.urls import reverse

from annotate import services
from annotate.models import Claim, HistoryEntry, Notification, ProjectEvent
from tests.conftest import HX, make_article, make_claim, make_user, rating

pytestmark = pytest.mark.django_db


def assignees(claim):
    return sorted(Claim.objects.get(pk=claim.pk).assignees.values_list("username", flat=True))


@pytest.fixture
def claim(cast):
    return make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)


# --- assigning a claim ---------------------------------------------------------


@pytest.mark.parametrize("who", ["bob", "dora"])
def test_editors_and_admins_assign_a_claim_plain_and_htmx(client, cast, claim, who):
    client.force_login(getattr(cast, who))
    url = reverse("claim-assign", args=[claim.pk])
    response = client.post(url, {"assignees": ["alice", "erin"], "version": claim.version})
    assert response.status_code == 302
    assert assignees(claim) == ["alice", "erin"]
    response = client.post(url, {"assignees": ["erin"], "version": claim.version}, headers=HX)
    assert response.status_code == 200 and 'id="assign-' in response.text and "Assignees saved." in response.text
    assert assignees(claim) == ["erin"]
    entry = HistoryEntry.objects.filter(claim=claim, action="assigned").latest("id")
    assert entry.changes == {"assignees": [["alice", "erin"], ["erin"]]}


def test_a_reviewer_cannot_assign_and_nothing_changes(client, cast, claim):
    client.force_login(cast.alice)
    response = client.post(reverse("claim-assign", args=[claim.pk]), {"assignees": ["alice"], "version": claim.version})
    assert response.status_code == 403
    assert assignees(claim) == []


@pytest.mark.parametrize("who,expected", [("carol", 404), (None, 302)])
def test_outsiders_and_anonymous_cannot_see_or_assign(client, cast, claim, who, expected):
    if who:
        client.force_login(getattr(cast, who))
    assert client.get(reverse("claim-assign", args=[claim.pk])).status_code == expected
    assert client.post(reverse("claim-assign", args=[claim.pk]), {"assignees": ["bob"], "version": claim.version}).status_code == expected
    assert assignees(claim) == []


def test_an_outsider_cannot_be_assigned_clear_error(client, cast, claim):
    client.force_login(cast.bob)
    response = client.post(reverse("claim-assign", args=[claim.pk]), {"assignees": ["alice", "carol"], "version": claim.version}, headers=HX)
    assert response.status_code == 422
    assert "Not a member of this project, so cannot be assigned: carol" in response.text
    assert assignees(claim) == []
    with pytest.raises(services.Invalid, match="carol"):
        services.workflow.set_assignees(claim, cast.bob, claim.version, ["carol"])


def test_a_stale_version_is_refused(client, cast, claim):
    seen = claim.version
    services.update_claim(claim, cast.alice, claim.version, text="Edited meanwhile")
    client.force_login(cast.bob)
    response = client.post(reverse("claim-assign", args=[claim.pk]), {"assignees": ["alice"], "version": seen}, headers=HX)
    assert response.status_code == 409
    assert assignees(claim) == []


def test_the_claim_panel_loads_who_works_on_it(client, cast, claim):
    services.workflow.set_assignees(claim, cast.bob, claim.version, ["erin"])
    client.force_login(cast.alice)
    panel = client.get(reverse("claim-detail", args=[claim.pk])).text
    assert f'hx-get="{reverse("claim-assign", args=[claim.pk])}"' in panel
    block = client.get(reverse("claim-assign", args=[claim.pk]), headers=HX).text
    assert "erin" in block and "assign-form" not in block  # a reviewer sees, but cannot assign
    client.force_login(cast.bob)
    block = client.get(reverse("claim-assign", args=[claim.pk]), headers=HX).text
    assert "assign-form" in block and '<option value="alice"' in block


# --- taking a claim ---------------------------------------------------------------


def test_a_reviewer_takes_an_unassigned_claim(client, cast, claim):
    client.force_login(cast.erin)
    response = client.post(reverse("claim-take", args=[claim.pk]), headers=HX)
    assert response.status_code == 200 and "The claim is yours" in response.text
    assert assignees(claim) == ["erin"]
    # Once assigned, nobody else can take it.
    client.force_login(cast.alice)
    response = client.post(reverse("claim-take", args=[claim.pk]))
    assert response.status_code == 422 and "already assigned" in response.text
    assert assignees(claim) == ["erin"]


def test_an_outsider_cannot_take_a_claim(client, cast, claim):
    client.force_login(cast.carol)
    assert client.post(reverse("claim-take", args=[claim.pk])).status_code == 404
    assert assignees(claim) == []


# --- assigning every claim of an article --------------------------------------------


def test_an_editor_assigns_every_unsettled_claim_of_an_article(client, cast):
    a = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    b = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    settled = make_claim(cast.article, "ran three years late", cast.alice)
    services.settle_claim(settled, cast.bob, settled.version, rating(cast.project, "False"), "No.")
    client.force_login(cast.bob)
    list_page = client.get(reverse("article-list", args=[cast.project.slug])).text
    assert reverse("article-assign", args=[cast.article.pk]) in list_page
    assert client.get(reverse("article-assign", args=[cast.article.pk])).status_code == 200
    response = client.post(reverse("article-assign", args=[cast.article.pk]), {"assignees": ["alice", "erin"]})
    assert response.status_code == 302
    assert assignees(a) == assignees(b) == ["alice", "erin"]
    assert assignees(settled) == []
    assert ProjectEvent.objects.filter(project=cast.project, action="article_assigned").exists()
    assert Notification.objects.filter(user=cast.alice, kind="assigned").count() == 1


def test_a_reviewer_cannot_assign_an_article_and_an_outsider_cannot_be_assigned(client, cast):
    a = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    client.force_login(cast.alice)
    assert client.post(reverse("article-assign", args=[cast.article.pk]), {"assignees": ["alice"]}).status_code == 403
    client.force_login(cast.bob)
    response = client.post(reverse("article-assign", args=[cast.article.pk]), {"assignees": ["carol"]})
    assert response.status_code == 422 and "carol" in response.text
    assert assignees(a) == []


# --- My work -----------------------------------------------------------------------


def test_my_work_lists_my_claims_without_my_verdict_oldest_first(client, cast):
    first = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    second = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    done = make_claim(cast.article, "ran three years late", cast.alice)
    not_mine = make_claim(cast.article, "the mayor denies", cast.alice)
    for claim in (second, first, done):
        services.workflow.set_assignees(claim, cast.bob, claim.version, ["alice"])
    services.workflow.set_assignees(not_mine, cast.bob, not_mine.version, ["erin"])
    services.save_verdict(done, cast.alice, rating(cast.project, "False"))
    client.force_login(cast.alice)
    page = client.get(reverse("my-work", args=[cast.project.slug])).text
    listed = [int(n) for n in re.findall(r'id="my-work-(\d+)"', page)]
    assert listed == [first.pk, second.pk]
    # Next claim opens the oldest; after it, the next one; at the end, back to My work.
    response = client.get(reverse("next-claim", args=[cast.project.slug]))
    assert response.url == reverse("claim-detail", args=[first.pk])
    response = client.get(reverse("next-claim", args=[cast.project.slug]) + f"?after={first.pk}")
    assert response.url == reverse("claim-detail", args=[second.pk])
    for claim in (first, second):
        services.save_verdict(claim, cast.alice, rating(cast.project, "Mixed"))
    response = client.get(reverse("next-claim", args=[cast.project.slug]))
    assert response.url == reverse("my-work", args=[cast.project.slug])
    assert "Nothing waiting for you" in client.get(response.url).text


@pytest.mark.parametrize("who,expected", [("alice", 200), ("bob", 200), ("dora", 200), ("carol", 404)])
def test_my_work_for_each_role(client, cast, who, expected):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("my-work", args=[cast.project.slug])).status_code == expected


def test_my_work_needs_a_login(client, cast):
    response = client.get(reverse("my-work", args=[cast.project.slug]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("count", [10, 500])
def test_my_work_query_count_does_not_grow(client, cast, django_assert_num_queries, count):
    body = " ".join(f"Claim {i} says the harbour grew." for i in range(count))
    article = make_article(cast.project, body=body, title="Many claims")
    words = [m.span() for m in re.finditer(r"Claim \d+", body)]
    claims = [services.add_claim(article, cast.alice, s, e, body[s:e]) for s, e in words]
    Claim.assignees.through.objects.bulk_create(Claim.assignees.through(claim_id=c.pk, user_id=cast.alice.pk) for c in claims)
    client.force_login(cast.alice)
    # session, user, project with role, the claims with article and span
    with django_assert_num_queries(4):
        response = client.get(reverse("my-work", args=[cast.project.slug]))
    assert response.text.count('class="my-work-item"') == count


def test_the_review_page_knows_where_the_next_claim_is(client, cast, claim):
    client.force_login(cast.alice)
    page = client.get(reverse("review", args=[cast.article.pk])).text
    assert f'data-next-claim-url="{reverse("next-claim", args=[cast.project.slug])}"' in page
    assert "js/workflow.js" in page


def test_an_account_outside_every_project_cannot_be_assigned(cast):
    stranger = make_user("stranger")
    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    with pytest.raises(services.Invalid):
        services.workflow.set_assignees(claim, cast.bob, claim.version, [stranger.username])


def test_next_claim_says_when_the_open_one_is_the_last(client, cast, claim):
    services.workflow.set_assignees(claim, cast.bob, claim.version, ["alice"])
    client.force_login(cast.alice)
    response = client.get(reverse("next-claim", args=[cast.project.slug]) + f"?after={claim.pk}", follow=True)
    assert "This is the last claim waiting for your verdict." in response.text
