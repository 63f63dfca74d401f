"""Search on the current database (PostgreSQL full text or the SQLite fallback): what it
finds, the web-search syntax, filters, paging, highlighting, and vectors kept current."""

import pytest
from django.db import connection

from annotate import services
from annotate.memory.claimants import normalise_claimant
from annotate.memory.search import Params, search
from tests.conftest import make_article, make_claim, rating

pytestmark = pytest.mark.django_db


def found(project, q, **filters):
    hits, _ = search(project, Params(q=q, **filters))
    return {(h.kind, h.id) for h in hits}


def test_a_word_of_either_wording_finds_both_claims(memory):
    assert {("claim", memory.earlier.pk), ("claim", memory.later.pk)} <= found(memory.project, "barrier")
    assert ("claim", memory.later.pk) in found(memory.project, "building")
    assert ("claim", memory.earlier.pk) not in found(memory.project, "building", kinds=("claim",))


def test_claims_are_found_by_rationale_claimant_and_quote(memory):
    assert ("claim", memory.earlier.pk) in found(memory.project, "budget papers")  # a reviewer's rationale
    assert ("claim", memory.earlier.pk) in found(memory.project, "52 million")  # the final rationale
    assert ("claim", memory.earlier.pk) in found(memory.project, "council", kinds=("claim",))  # the claimant


def test_articles_and_sources_are_found(memory):
    assert ("article", memory.second.pk) in found(memory.project, "ferry")
    assert ("article", memory.article.pk) in found(memory.project, "tidal barrier opens")
    source = memory.earlier.evidence.get().source
    assert ("source", source.pk) in found(memory.project, "flood defence")  # an excerpt
    assert ("source", source.pk) in found(memory.project, "budget", kinds=("source",))


def test_web_search_syntax(memory):
    assert found(memory.project, '"came to 41 million"', kinds=("claim",)) == {("claim", memory.later.pk)}
    assert ("claim", memory.later.pk) not in found(memory.project, "barrier -building", kinds=("claim",))
    assert ("claim", memory.earlier.pk) in found(memory.project, "barrier -building", kinds=("claim",))
    either = found(memory.project, "passengers OR budget", kinds=("claim",))
    assert {("claim", memory.ferry.pk), ("claim", memory.earlier.pk)} <= either


def test_filters_by_kind_rating_status_claimant_article_and_date(memory):
    project = memory.project
    false = rating(project, "False")
    assert found(project, "barrier", rating=false.pk) == {("claim", memory.earlier.pk)}
    assert found(project, "barrier", status="open") == {("claim", memory.later.pk)}
    assert found(project, "million", claimant=normalise_claimant("THE COUNCIL"), kinds=("claim",)) == {("claim", memory.earlier.pk), ("claim", memory.ferry.pk)}
    in_second = found(project, "barrier", article=memory.second.pk)
    assert in_second == {("claim", memory.later.pk), ("article", memory.second.pk)}
    today = memory.later.created_at.date()
    assert found(project, "barrier", date_to=today.replace(year=today.year - 1)) == set()
    assert ("claim", memory.later.pk) in found(project, "barrier", date_from=today, date_to=today)


def test_other_projects_are_never_searched(memory):
    stranger = make_article(memory.other, body="The barrier of the other desk cost 41 million euros too.", title="Other")
    make_claim(stranger, "cost 41 million euros", memory.carol)
    assert all(kind != "article" or pk != stranger.pk for kind, pk in found(memory.project, "barrier"))
    assert found(memory.other, "euros") == {("article", stranger.pk), ("claim", stranger.claims.get().pk)}


def test_snippets_highlight_and_escape(memory):
    services.update_claim(memory.ferry, memory.erin, memory.ferry.version, text="<b>Ferry</b> fares < 5 euros & <i onmouseover=x>rising</i>")
    hits, _ = search(memory.project, Params(q="ferry", kinds=("claim",)))
    [hit] = hits
    assert "<mark>" in hit.snippet
    # Only our own <mark>s are markup: the rest of the text is escaped (or, on PostgreSQL, its tags dropped by ts_headline).
    assert "<" not in hit.snippet.replace("<mark>", "").replace("</mark>", "")
    assert "&lt;" in hit.snippet and "&amp;" in hit.snippet


def test_results_are_ranked_and_paged(memory):
    body = "\n\n".join(f"Ferry line {i} carries {i} thousand passengers." for i in range(25))
    article = make_article(memory.project, body=body, title="Ferry lines", user=memory.alice)
    for i in range(25):
        make_claim(article, f"Ferry line {i} carries", memory.alice)
    first, more = search(memory.project, Params(q="ferry", kinds=("claim",)), page_size=10)
    second, _ = search(memory.project, Params(q="ferry", kinds=("claim",), page=2), page_size=10)
    assert len(first) == 10 and more and len(second) == 10
    assert not {h.id for h in first} & {h.id for h in second}
    assert [h.rank for h in first] == sorted((h.rank for h in first), reverse=True)


def test_the_index_follows_every_write(memory):
    """PostgreSQL: triggers keep the vectors current; SQLite reads the tables, so it holds there too."""
    claim = memory.ferry
    assert ("claim", claim.pk) not in found(memory.project, "commuters", kinds=("claim",))
    claim = services.update_claim(claim, memory.erin, claim.version, text="Ferries move commuters across the bay.")
    assert ("claim", claim.pk) in found(memory.project, "commuters", kinds=("claim",))
    services.save_verdict(claim, memory.alice, rating(memory.project, "Mixed"), "Timetables show lighthouse crossings.")
    assert ("claim", claim.pk) in found(memory.project, "lighthouse", kinds=("claim",))
    source = memory.earlier.evidence.get().source
    services.add_evidence(claim, memory.alice, url=source.url, stance="context", excerpt="Seagull statistics")
    assert ("source", source.pk) in found(memory.project, "seagull", kinds=("source",))
    later = memory.later.pk
    assert ("claim", later) in found(memory.project, "building", kinds=("claim",))
    services.delete_claim(memory.later, memory.erin)
    assert ("claim", later) not in found(memory.project, "building", kinds=("claim",))


def test_postgres_ignores_accents_and_stems_in_the_article_language(memory):
    if connection.vendor != "postgresql":
        pytest.skip("unaccent and stemming are PostgreSQL's; the SQLite fallback matches substrings")
    assert ("article", memory.second.pk) in found(memory.project, "cafe")  # "café" in the text
    assert ("claim", memory.earlier.pk) in found(memory.project, "barriers", kinds=("claim",))  # English stemming
    french = make_article(memory.project, body="Les digues protègent les maisons du port depuis des années.", title="Digues", user=memory.alice)
    assert french.language == "fr"
    assert ("article", french.pk) in found(memory.project, "digue maison")  # French stemming: digues, maisons
