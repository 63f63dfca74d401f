"""Checked before in the claim panel: suggestions with reasons, confirm and dismiss (recorded,
in the history, never suggested again), the earlier verdict offered, auto-link, fixed queries."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from annotate import services
from annotate.memory import similar
from annotate.models import ProjectEvent, ClaimMatch, HistoryEntry, Verdict
from tests.conftest import HX, make_article, make_claim, rating

pytestmark = pytest.mark.django_db


def fragment(client, claim):
    return client.get(reverse("checked-before", args=[claim.pk]), headers=HX)


def decide(client, claim, earlier, decision, htmx=True):
    return client.post(reverse("match-decide", args=[claim.pk]), {"earlier": earlier.pk, "decision": decision}, headers=HX if htmx else {})


def test_the_claim_panel_loads_checked_before_as_its_own_fragment(client, memory):
    client.force_login(memory.erin)
    panel = client.get(reverse("claim-detail", args=[memory.later.pk]), headers=HX).content.decode()
    assert f'hx-get="{reverse("checked-before", args=[memory.later.pk])}"' in panel and 'hx-trigger="load"' in panel


def test_the_earlier_claim_is_shown_with_its_verdict_and_reasons(client, memory):
    client.force_login(memory.erin)
    response = fragment(client, memory.later)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"#{memory.earlier.pk}</span> The barrier cost 41 million euros." in html
    assert "False" in html and "Published" in html
    assert "same numbers: 41 million" in html and "word trigrams" in html and "full-text match" in html
    assert f"#{memory.ferry.pk}<" not in html  # unrelated, and later anyway
    # Without htmx the same list is a page of its own.
    page = client.get(reverse("checked-before", args=[memory.later.pk]))
    assert page.status_code == 200 and "<html" in page.content.decode() and "same numbers" in page.content.decode()


def test_only_earlier_claims_are_suggested(client, memory):
    client.force_login(memory.alice)
    assert f"#{memory.later.pk}</span>" not in fragment(client, memory.earlier).content.decode()


def test_confirming_records_it_in_the_history_and_offers_the_earlier_verdict(client, memory):
    client.force_login(memory.erin)
    response = decide(client, memory.later, memory.earlier, "confirmed")
    html = response.content.decode()
    assert response.status_code == 200 and "Same claim as" in html
    match = ClaimMatch.objects.get(claim=memory.later, earlier=memory.earlier)
    assert match.decision == "confirmed" and match.decided_by == memory.erin and not match.automatic and match.score > 0.6
    entry = HistoryEntry.objects.get(claim=memory.later, action="match_confirmed")
    assert entry.actor == memory.erin and entry.changes["earlier"] == memory.earlier.pk
    assert "announce" in response["HX-Trigger"]
    # The history tab says it in words.
    panel = client.get(reverse("claim-detail", args=[memory.later.pk]), headers=HX).content.decode()
    assert f"confirmed it repeats claim #{memory.earlier.pk}" in panel
    # The earlier final verdict, offered as this claim's proposal: one click saves it as erin's verdict.
    false = rating(memory.project, "False")
    assert f'name="rating" value="{false.pk}"' in html
    saved = client.post(reverse("verdict-save", args=[memory.later.pk]),
                        {"rating": false.pk, "rationale": f"Checked before as claim #{memory.earlier.pk}: It cost 52 million, not 41.", "version": 0}, headers=HX)
    assert saved.status_code == 200
    assert Verdict.objects.get(claim=memory.later, reviewer=memory.erin).rating == false


def test_a_dismissed_pair_is_never_suggested_again(client, memory):
    client.force_login(memory.erin)
    response = decide(client, memory.later, memory.earlier, "dismissed", htmx=False)
    assert response.status_code == 302 and response["Location"] == reverse("checked-before", args=[memory.later.pk])
    assert HistoryEntry.objects.filter(claim=memory.later, action="match_dismissed", actor=memory.erin).exists()
    assert f"#{memory.earlier.pk}</span>" not in fragment(client, memory.later).content.decode()
    assert memory.earlier.pk not in [s.candidate.id for s in similar.ranked(memory.later, threshold=0.0)]
    # Editing the claim does not bring it back.
    services.update_claim(memory.later, memory.erin, memory.later.version, text="The tidal barrier cost 41 million euros to build.")
    memory.later.refresh_from_db()
    assert memory.earlier.pk not in [s.candidate.id for s in similar.ranked(memory.later, threshold=0.0)]


@pytest.mark.parametrize("data, message", [
    ({"decision": "confirmed"}, "Say which earlier claim."),
    ({"earlier": "x", "decision": "confirmed"}, "Enter a whole number."),
    ({"earlier": 1, "decision": "maybe"}, "Decide “confirmed” or “dismissed”."),
])
def test_bad_decisions_are_refused_and_change_nothing(client, memory, data, message):
    client.force_login(memory.erin)
    response = client.post(reverse("match-decide", args=[memory.later.pk]), data, headers=HX)
    assert response.status_code == 422 and message in response.content.decode()
    assert not ClaimMatch.objects.exists() and not HistoryEntry.objects.filter(action__startswith="match_").exists()


def test_a_claim_of_another_project_or_itself_cannot_be_matched(client, memory):
    foreign_article = make_article(memory.other, body="Another desk's barrier cost 41 million euros.", title="Elsewhere")
    foreign = make_claim(foreign_article, "barrier cost 41 million euros", memory.carol)
    client.force_login(memory.erin)
    for earlier in (foreign, memory.later):
        response = decide(client, memory.later, earlier, "confirmed")
        assert response.status_code == 422 and "not another claim of this project" in response.content.decode()
    assert not ClaimMatch.objects.exists()


def test_outsiders_cannot_see_or_decide(client, memory):
    client.force_login(memory.carol)
    assert fragment(client, memory.later).status_code == 404
    assert decide(client, memory.later, memory.earlier, "confirmed").status_code == 404
    assert not ClaimMatch.objects.exists()


def test_editors_may_decide_too(client, memory):
    client.force_login(memory.bob)
    assert decide(client, memory.later, memory.earlier, "confirmed").status_code == 200
    assert ClaimMatch.objects.get().decided_by == memory.bob


def test_above_the_auto_link_threshold_a_new_claim_is_linked_without_asking(memory):
    project = memory.project
    project.match_autolink = 0.6
    project.save()
    body = "Ferry news\n\nThe barrier cost 41 million euros, said the council again."
    article = make_article(project, body=body, title="Again", user=memory.alice)
    claim = make_claim(article, "The barrier cost 41 million euros", memory.alice, claimant="The council")
    match = ClaimMatch.objects.get(claim=claim, earlier=memory.earlier)
    assert match.automatic and match.decision == "confirmed" and match.decided_by is None
    assert HistoryEntry.objects.filter(claim=claim, action="match_confirmed", changes__earlier=memory.earlier.pk, changes__automatic=True).exists()
    # At the default threshold (0.95) the mayor's rewording was only suggested, not linked.
    assert not ClaimMatch.objects.filter(claim=memory.later).exists()


def test_thresholds_are_validated_in_the_page_and_the_database(client, memory):
    client.force_login(memory.dora)
    url = reverse("match-thresholds", args=[memory.project.slug])
    response = client.post(url, {"match_suggest": "0.9", "match_autolink": "0.5"})
    assert response.status_code == 400 and "cannot be below the suggest threshold" in response.content.decode()
    response = client.post(url, {"match_suggest": "1.5", "match_autolink": "0.5"})
    assert response.status_code == 400 and "between 0 and 1" in response.content.decode()
    memory.project.refresh_from_db()
    assert (memory.project.match_suggest, memory.project.match_autolink) == (0.6, 0.95)
    assert client.post(url, {"match_suggest": "0.55", "match_autolink": "0.9"}).status_code == 302
    memory.project.refresh_from_db()
    assert (memory.project.match_suggest, memory.project.match_autolink) == (0.55, 0.9)
    # The change is a line of the project's history, old → new; refused posts wrote none.
    events = list(ProjectEvent.objects.filter(project=memory.project, action="thresholds_changed").values_list("changes", flat=True))
    assert events == [{"suggest from": [0.6, 0.55], "link without asking from": [0.95, 0.9]}]
    client.force_login(memory.alice)
    assert client.post(url, {"match_suggest": "0.1", "match_autolink": "0.2"}).status_code == 403
    memory.project.match_suggest = 0.99
    with pytest.raises(IntegrityError), transaction.atomic():
        memory.project.save()


@pytest.mark.parametrize("extra", [0, 40])
def test_checked_before_costs_a_fixed_number_of_queries(client, memory, django_assert_num_queries, extra):
    body = "\n\n".join(f"Pier {i} cost {i + 1} million euros to repair." for i in range(extra)) or "Nothing here."
    article = make_article(memory.project, body=body, title="Piers", user=memory.alice)
    for i in range(extra):
        make_claim(article, f"Pier {i} cost {i + 1} million euros", memory.alice)
    later = make_claim(memory.second, "the mayor told the café owners", memory.erin, text="The barrier cost 41 million euros, the mayor said.")
    client.force_login(memory.erin)
    # session, user; the claim with the user's role; its decisions; the candidates with their signals;
    # the shown claims with rating and article; the user's own verdict.
    with django_assert_num_queries(7):
        assert fragment(client, later).status_code == 200


def test_a_rare_word_finds_the_restatement_among_many_claims_of_common_words(memory, monkeypatch):
    """PostgreSQL shortlists by the rarest lexemes (planner statistics); SQLite scores its pool in Python.
    Either way, a restatement that shares a rare place name and figure is found among many look-alikes,
    even when each probe may bring back only two claims."""
    from django.db import connection

    lookalikes = [f"The council said the ferry subsidy cost {i} million euros last year." for i in range(100, 160)]
    body = "\n\n".join(lookalikes + ["The Kellham ferry subsidy cost 41 million euros last year."])
    article = make_article(memory.project, body=body, title="Ferries", user=memory.alice)
    for text in lookalikes:
        make_claim(article, text, memory.alice)
    ferry = make_claim(article, "The Kellham ferry subsidy cost 41 million euros last year.", memory.alice)
    later = make_claim(memory.second, "the mayor told the café owners", memory.erin,
                       text="Subsidising the Kellham ferry came to 41 million euros last year, the council said.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE annotate_searchdocument")  # the statistics production has
        monkeypatch.setattr(similar, "PER_PROBE", 2)
        monkeypatch.setattr(similar, "RARE_ROWS", 3)
    found = similar.candidates(later)
    assert ferry.pk in [c.id for c in found]
    assert similar.ranked(later, decided={})[0].candidate.id == ferry.pk


@pytest.mark.parametrize("text", [
    "O'Neil's figure: \\\"5%\\\" & rising | falling! (not) <-> 'quoted' \\\\ back:slash*",
    "Ünïcödé naïve café: 12 € — ‘curly’ “quotes”",
    "the of and a",  # stop words only: no lexeme, no candidate, no error
])
def test_any_claim_text_can_be_looked_up(memory, text):
    body = f"Intro.\n\n{text}\n\nEnd."
    article = make_article(memory.project, body=body, title="Odd", user=memory.alice)
    claim = make_claim(article, text, memory.alice)
    assert isinstance(similar.ranked(claim, decided={}), list)
