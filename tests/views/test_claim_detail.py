"""GET /claims/<id>/: the claim panel, as a fragment for htmx and as the whole page otherwise."""

import re

import pytest
from django.urls import reverse

from annotate import services
from annotate.models import HistoryEntry
from tests.conftest import HX, make_claim, rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(cast):
    return make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)


def url(claim):
    return reverse("claim-detail", args=[claim.pk])


def test_htmx_gets_the_panel_fragment_and_the_url_is_pushed(client, cast, claim):
    client.force_login(cast.erin)
    response = client.get(url(claim), headers=HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert f'<h2 id="claim-heading" tabindex="-1">Claim #{claim.pk}</h2>' in html
    assert response.headers["HX-Push-Url"] == url(claim)
    assert "Vary" in response.headers and "HX-Request" in response.headers["Vary"]


def test_every_radio_of_the_panel_has_its_own_id_and_label(client, cast, claim):
    client.force_login(cast.erin)
    html = client.get(url(claim), headers=HX).content.decode()
    ids = re.findall(r'<input type="radio"[^>]* id="([^"]+)"', html)
    assert ids and len(ids) == len(set(ids))
    assert all(not i.startswith("_") and f'for="{i}"' in html for i in ids)
    assert 'id="evidence_stance_0"' in html


def test_a_reload_or_deep_link_gets_the_whole_page_with_the_claim_open(client, cast, claim):
    client.force_login(cast.erin)
    html = client.get(url(claim)).content.decode()
    assert "<html" in html and 'id="article-body"' in html
    assert 'id="claim-heading"' in html
    assert f'id="claim-row-{claim.pk}" class="claim-row s-open is-current"' in html


def test_a_history_restore_gets_the_whole_page_even_from_htmx(client, cast, claim):
    client.force_login(cast.erin)
    html = client.get(url(claim), headers={**HX, "HX-History-Restore-Request": "true"}).content.decode()
    assert "<html" in html


def test_an_outsider_gets_404_and_an_anonymous_visitor_the_login_page(client, cast, claim):
    client.force_login(cast.carol)
    assert client.get(url(claim), headers=HX).status_code == 404
    client.logout()
    response = client.get(url(claim))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_panel_shows_my_verdict_sources_comments_and_readable_history(client, cast, claim):
    services.save_verdict(claim, cast.alice, rating(cast.project, "Mixed"), "Half of it.")
    verdict = claim.verdicts.get()
    services.save_verdict(claim, cast.alice, rating(cast.project, "False"), "Wrong.", version=verdict.version)
    services.add_evidence(claim, cast.alice, url="https://example.org/budget", stance="refutes", title="Budget <b>2024</b>", publisher="Council")
    services.add_comment(claim, cast.erin, "Check the <i>annex</i>.")
    client.force_login(cast.alice)
    html = client.get(url(claim), headers=HX).content.decode()
    assert "Wrong.</textarea>" in html
    assert "checked" in html.split("False</bdi></span>")[0].rsplit("<label", 1)[1]
    assert "Budget &lt;b&gt;2024&lt;/b&gt;" in html
    assert "Check the &lt;i&gt;annex&lt;/i&gt;." in html
    assert "verdict: changed the rating from “Mixed” to “False”" in html
    assert html.index("attached https://example.org/budget") < html.index("created the claim on")  # newest first


def test_another_reviewers_verdict_is_counted_and_blocks_delete(client, cast, claim):
    services.save_verdict(claim, cast.erin, rating(cast.project, "Accurate"), "Their reasoning")
    client.force_login(cast.alice)
    html = client.get(url(claim), headers=HX).content.decode()
    assert "1 other verdict" in html
    assert "Their reasoning</textarea>" not in html  # the form holds only my own verdict
    assert "Delete claim" not in html


def test_the_creator_is_offered_delete_and_others_are_not(client, cast, claim):
    client.force_login(cast.alice)
    assert "Delete claim…" in client.get(url(claim), headers=HX).content.decode()
    client.force_login(cast.erin)
    assert "Delete claim…" not in client.get(url(claim), headers=HX).content.decode()


def test_editors_get_the_editor_actions_and_reviewers_do_not(client, cast, claim):
    client.force_login(cast.bob)
    assert f'id="editor-actions-{claim.pk}"' in client.get(url(claim), headers=HX).content.decode()
    client.force_login(cast.alice)
    assert f'id="editor-actions-{claim.pk}"' not in client.get(url(claim), headers=HX).content.decode()


def _busy_claim(cast, claim, count):
    from annotate.models import Comment, Evidence, Source, Verdict

    sources = Source.objects.bulk_create(Source(project=cast.project, url=f"https://example.org/{i}", title=f"S{i}") for i in range(count))
    Evidence.objects.bulk_create(Evidence(claim=claim, source=s, stance="context", added_by=cast.erin) for s in sources)
    Comment.objects.bulk_create(Comment(claim=claim, author=cast.erin, text=f"c{i}") for i in range(count))
    HistoryEntry.objects.bulk_create(HistoryEntry(claim=claim, actor=cast.erin, action="source_added", changes={"url": "u", "stance": "context"}) for _ in range(count))
    Verdict.objects.create(claim=claim, reviewer=cast.erin, rating=rating(cast.project, "Mixed"))


@pytest.mark.parametrize("count", [10, 500])
def test_the_panel_runs_a_fixed_number_of_queries(client, cast, claim, django_assert_num_queries, count):
    _busy_claim(cast, claim, count)
    client.force_login(cast.alice)
    # session, user, claim with role, ratings, verdicts, evidence+sources, comments+authors, history+actors
    with django_assert_num_queries(8):
        response = client.get(url(claim), headers=HX)
    assert response.content.decode().count('class="evidence stance-context"') == count
