"""A revision never changes what a claim says (issue 18, item 1), through the services.

The failures reproduced by the attack run, each a row: a number changed (40 -> 14,
500 -> 5,000, 1.3 -> 13), a negation, a name, a deleted sentence, a deleted sentence
whose words stand elsewhere. A span moves only onto its own words; otherwise the
claim is flagged "changed in revision" (quote kept, candidate stored, history entry,
hook called) or orphaned. Then a person accepts the new wording (the verdict
re-opens), re-places it, or orphans it.
"""

import pytest

from annotate import integrity_hooks, services
from annotate.extract import Extracted
from annotate.models import CHANGED_IN_REVISION, Article, Claim, HistoryEntry, Span, Status
from tests.conftest import make_article, make_claim, rating

pytestmark = pytest.mark.django_db

BODY = (
    "Budget day in Harbour city\n\n"
    "The minister said tax will fall by 40 percent next year.\n\n"
    "The council will build 500 new homes on the old docks.\n\n"
    "Inflation rose by 1.3 percent in March, the bank said.\n\n"
    "The mayor will attend the opening, said Anna Smith.\n\n"
    "Critics say the barrier ran three years late. Its critics say it ran three years late."
)


@pytest.fixture
def article(cast):
    return make_article(cast.project, body=BODY, title="Budget day", user=cast.alice)


def revise(article, user, body):
    article = Article.objects.get(pk=article.pk)
    return services.revise_article(article, user, Extracted(title="", body=body))


def publish(cast, claim, label="False"):
    claim.refresh_from_db()
    services.save_verdict(claim, cast.alice, rating(cast.project, label), "Checked against the budget.")
    claim.refresh_from_db()
    claim = services.settle_claim(claim, cast.bob, claim.version, rating(cast.project, label), "The budget says otherwise.")
    return services.publish(claim, cast.bob, claim.version)


CASES = [
    ("40->14", "tax will fall by 40 percent", ("40 percent", "14 percent"), "changed", "tax will fall by 14 percent"),
    ("500->5,000", "500 new homes", ("500 new", "5,000 new"), "changed", "5,000 new homes"),
    ("1.3->13", "rose by 1.3 percent", ("1.3 percent", "13 percent"), "changed", "rose by 13 percent"),
    ("negation", "The mayor will attend the opening", ("will attend", "will not attend"), "changed",
     "The mayor will not attend the opening"),
    ("name", "said Anna Smith", ("Anna Smith", "Anna Smyth"), "changed", "said Anna Smyth"),
    ("deleted-sentence", "tax will fall by 40 percent",
     ("The minister said tax will fall by 40 percent next year.\n\n", ""), "orphaned", None),
    ("deleted-sentence-duplicated-elsewhere", "three years late",
     ("Critics say the barrier ran three years late. ", ""), "changed", "three years late"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_a_revision_never_moves_a_claim_onto_other_words(cast, article, monkeypatch, django_capture_on_commit_callbacks, case):
    _, quote, (before, after), outcome, candidate = case
    claim = make_claim(article, quote, cast.alice)
    old_span = Span.objects.get(pk=claim.span_id)
    notified = []
    monkeypatch.setattr(integrity_hooks, "notify_changed_in_revision", notified.extend)
    new_body = BODY.replace(before, after, 1)
    with django_capture_on_commit_callbacks(execute=True):
        result = revise(article, cast.bob, new_body)
    span = Span.objects.get(pk=claim.span_id)
    # The words of the claim never change behind anyone's back.
    assert (span.quote, span.start, span.end, span.revision) == (old_span.quote, old_span.start, old_span.end, 1)
    assert Claim.objects.get(pk=claim.pk).text == claim.text
    assert span.orphaned and result.placed == 0 and result.moved == 0
    if outcome == "changed":
        assert (span.anchor_method, result.changed, result.orphaned) == (CHANGED_IN_REVISION, 1, 0)
        assert new_body[span.revised_start : span.revised_end] == span.revised_quote == candidate
        entry = HistoryEntry.objects.get(claim=claim, action="span_changed")
        assert entry.changes["quote"] == quote and entry.changes["new_quote"] == candidate and entry.changes["revision"] == 2
        assert [c.pk for c in notified] == [claim.pk]
    else:
        assert (span.anchor_method, result.changed, result.orphaned) == ("orphaned", 0, 1)
        assert HistoryEntry.objects.filter(claim=claim, action="span_orphaned").count() == 1
        assert notified == []


def test_every_move_writes_a_history_entry_and_keeps_the_words(cast, article):
    claim = make_claim(article, "500 new homes", cast.alice)
    result = revise(article, cast.bob, "Update: figures corrected.\n\n" + BODY)
    span = Span.objects.get(pk=claim.span_id)
    new_body = Article.objects.get(pk=article.pk).body
    assert (result.placed, result.moved, result.changed) == (1, 1, 0)
    assert new_body[span.start : span.end] == "500 new homes" and not span.orphaned and span.revision == 2
    entry = HistoryEntry.objects.get(claim=claim, action="span_moved")
    assert entry.changes["to"] == [span.start, span.end] and entry.changes["from"] != entry.changes["to"]


def test_a_published_claim_keeps_its_checked_wording_on_the_public_page(client, cast, article):
    claim = publish(cast, make_claim(article, "tax will fall by 40 percent", cast.alice))
    revise(article, cast.bob, BODY.replace("40 percent", "14 percent"))
    claim.refresh_from_db()
    assert claim.status == Status.PUBLISHED
    html = client.get(f"/f/{cast.project.slug}/{article.pk}/").content.decode()
    assert "<blockquote class=\"quote\" dir=\"auto\">tax will fall by 40 percent</blockquote>" in html
    assert "The article has since changed" in html and "tax will fall by 14 percent" in html


def test_a_second_revision_that_restores_the_words_puts_the_claim_back(cast, article):
    claim = make_claim(article, "tax will fall by 40 percent", cast.alice)
    revise(article, cast.bob, BODY.replace("40 percent", "14 percent"))
    revise(article, cast.bob, "Corrected.\n\n" + BODY)
    span = Span.objects.get(pk=claim.span_id)
    body = Article.objects.get(pk=article.pk).body
    assert not span.orphaned and span.anchor_method != CHANGED_IN_REVISION and span.revised_quote == ""
    assert body[span.start : span.end] == "tax will fall by 40 percent" and span.revision == 3


@pytest.fixture
def flagged(cast, article):
    claim = publish(cast, make_claim(article, "tax will fall by 40 percent", cast.alice, text="Tax will fall by 40 percent"))
    revise(article, cast.bob, BODY.replace("40 percent", "14 percent"))
    return Claim.objects.select_related("span", "article").get(pk=claim.pk)


def test_accepting_the_new_wording_moves_the_highlight_updates_the_text_and_reopens_the_verdict(cast, flagged):
    version = flagged.version
    claim = services.integrity.accept_revised_wording(flagged, cast.bob, version)
    span = Span.objects.get(pk=claim.span_id)
    body = Article.objects.get(pk=claim.article_id).body
    assert body[span.start : span.end] == span.quote == "tax will fall by 14 percent"
    assert (span.orphaned, span.anchor_method, span.revision, span.revised_quote) == (False, "accepted", 2, "")
    assert claim.text == "tax will fall by 14 percent"
    assert (claim.status, claim.published_at, claim.version) == (Status.IN_REVIEW, None, version + 1)
    entry = HistoryEntry.objects.get(claim=claim, action="wording_accepted")
    assert entry.changes["quote"] == ["tax will fall by 40 percent", "tax will fall by 14 percent"]
    assert entry.changes["status"] == ["published", "in_review"] and entry.changes["kinds"] == ["number"]


def test_accepting_with_a_stale_version_or_after_another_revision_changes_nothing(cast, flagged):
    with pytest.raises(services.Conflict):
        services.integrity.accept_revised_wording(flagged, cast.bob, flagged.version - 1)
    # The text changed under the flag (a revision whose re-anchoring we skip here): the candidate is gone.
    body = Article.objects.get(pk=flagged.article_id).body
    Article.objects.filter(pk=flagged.article_id).update(body=body.replace("14 percent", "15 percent"), revision=3)
    with pytest.raises(services.Invalid, match="no longer in the article"):
        services.integrity.accept_revised_wording(flagged, cast.bob, flagged.version)
    claim = Claim.objects.select_related("span").get(pk=flagged.pk)
    assert (claim.status, claim.version, claim.span.quote) == (Status.PUBLISHED, flagged.version, "tax will fall by 40 percent")
    assert not HistoryEntry.objects.filter(claim=claim, action="wording_accepted").exists()


def test_orphaning_a_changed_claim_keeps_its_wording_and_says_so_in_the_history(cast, flagged):
    claim = services.integrity.orphan_changed_span(flagged, cast.bob, flagged.version)
    span = Span.objects.get(pk=claim.span_id)
    assert (span.orphaned, span.anchor_method, span.quote, span.revised_quote) == (True, "orphaned", "tax will fall by 40 percent", "")
    assert HistoryEntry.objects.get(claim=claim, action="span_orphaned").changes["rejected"] == "tax will fall by 14 percent"
    with pytest.raises(services.Invalid, match="no longer flagged"):
        services.integrity.orphan_changed_span(claim, cast.bob, claim.version)


def test_replacing_a_changed_claim_clears_the_candidate(cast, flagged):
    body = Article.objects.get(pk=flagged.article_id).body
    start = body.index("tax will fall by 14 percent")
    services.replace_span(flagged, cast.bob, start, start + 27, "tax will fall by 14 percent")
    span = Span.objects.get(pk=flagged.span_id)
    assert (span.orphaned, span.anchor_method, span.revised_quote, span.revision) == (False, "manual", "", 2)
    assert HistoryEntry.objects.get(claim=flagged, action="span_replaced").changes["was_changed"] is True


@pytest.mark.parametrize(
    "edit",
    [
        ("40 percent", "14 percent"), ("The council", "Update.\n\nThe council"), ("said.", "said so."),
        ("Anna Smith.\n\n", ""), ("three years late. Its", "four years late. Its"),
    ],
)
def test_after_any_revision_every_placed_span_quotes_the_text_at_its_offsets(cast, article, edit):
    for quote in ("tax will fall by 40 percent", "500 new homes", "the bank said", "said Anna Smith", "three years late"):
        make_claim(article, quote, cast.alice)
    revise(article, cast.bob, BODY.replace(*edit))
    body = Article.objects.get(pk=article.pk).body
    for span in Span.objects.filter(article=article):
        if not span.orphaned:
            assert body[span.start : span.end] == span.quote and span.revision == 2
        elif span.anchor_method == CHANGED_IN_REVISION:
            assert body[span.revised_start : span.revised_end] == span.revised_quote


def test_a_claim_posted_against_an_old_revision_is_refused(cast, article):
    revise(article, cast.bob, "Update.\n\n" + BODY)
    stale = Article.objects.get(pk=article.pk)
    start = stale.body.index("500 new homes")
    with pytest.raises(services.StaleRevision, match="revision 1; it is now at revision 2"):
        services.add_claim(stale, cast.alice, start, start + 13, "500 new homes", revision=1)
    assert not Claim.objects.exists()


def test_a_claim_checked_against_a_text_revised_meanwhile_is_checked_again_under_the_lock(cast, article):
    """The article object the request loaded is at revision 1; a revision lands before the claim's transaction."""
    loaded = Article.objects.get(pk=article.pk)
    revise(article, cast.bob, "Update: a sentence before.\n\n" + BODY)
    start = loaded.body.index("500 new homes")
    # The old offsets quote other text now: refused, nothing stored against revision 1.
    with pytest.raises(services.StaleRevision):
        services.add_claim(loaded, cast.alice, start, start + 13, "500 new homes")
    assert not Span.objects.exists()
    # Offsets that still quote the same text in the new revision are stored against it.
    loaded = Article.objects.get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(revision=3)  # a concurrent revision that changed nothing before here
    start = loaded.body.index("Budget day")
    claim = services.add_claim(loaded, cast.alice, start, start + 10, "Budget day")
    assert Span.objects.get(pk=claim.span_id).revision == 3


# --- property: through the write path, a placed span always quotes its original words ---------

from itertools import count  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402

from annotate.wording import same_wording  # noqa: E402
from tests.unit.test_reanchor_integrity import revisions  # noqa: E402

_serial = count()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(revisions())
def test_after_a_random_revision_every_placed_span_quotes_its_original_words(cast, case):
    old, new, spans = case
    tag = f"Example {next(_serial)}\n\n"  # each example its own article (imports refuse duplicates)
    old, new = tag + old, tag + new
    if old == new:
        return
    article = make_article(cast.project, body=old, title=tag.strip(), user=cast.alice)
    original = {}
    for _, position, quote in spans:
        start = position.start + len(tag)
        claim = services.add_claim(article, cast.alice, start, start + len(quote.exact), quote.exact)
        original[claim.span_id] = quote.exact
    revise(article, cast.bob, new)
    body = Article.objects.get(pk=article.pk).body
    for span in Span.objects.filter(article=article):
        if span.orphaned:
            assert span.quote == original[span.pk]  # flagged or orphaned: the checked words are kept
            if span.changed_in_revision:
                assert body[span.revised_start : span.revised_end] == span.revised_quote
        else:
            assert body[span.start : span.end] == span.quote and span.revision == 2
            assert same_wording(span.quote, original[span.pk])


def test_a_revision_based_on_an_old_revision_is_refused_under_the_lock(cast, article):
    loaded = Article.objects.get(pk=article.pk)
    revise(article, cast.bob, "Update.\n\n" + BODY)
    with pytest.raises(services.StaleRevision, match="it is now at revision 2"):
        services.revise_article(loaded, cast.bob, Extracted(title="", body=BODY + "\n\nMore."), revision=1)
    assert Article.objects.get(pk=article.pk).revision == 2


def test_a_published_claim_changed_in_revision_notifies_its_editors_and_assignees(cast, article, django_capture_on_commit_callbacks):
    """The hook is wired to notifications: the project's editors and the claim's assignees hear of it."""
    from annotate.models import Notification

    claim = make_claim(article, "tax will fall by 40 percent", cast.alice)
    claim = publish(cast, claim)
    claim.assignees.add(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        revise(article, cast.bob, BODY.replace("40 percent", "14 percent", 1))
    rows = Notification.objects.filter(claim=claim, kind=Notification.Kind.CHANGED)
    # alice is assigned; bob (editor) and dora (admin) settle the desk's fact-checks; erin is neither.
    assert sorted(n.user.username for n in rows) == sorted({cast.alice.username, cast.bob.username, cast.dora.username})
    assert all("published" in n.text and f"#{claim.pk}" in n.text for n in rows)
    # An unchanged revision (the same words moved) notifies nobody.
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        revise(article, cast.bob, "Preface.\n\n" + BODY.replace("40 percent", "14 percent", 1))
    assert not Notification.objects.filter(kind=Notification.Kind.CHANGED).exists()


@pytest.mark.parametrize("flagged", [1, 12])
def test_a_revision_notifies_about_its_flagged_claims_in_a_fixed_number_of_statements(cast, flagged, django_capture_on_commit_callbacks, django_assert_num_queries):
    """However many claims one revision flags: the editors, the assignees, one INSERT."""
    from annotate.models import Notification

    sentences = [f"Pier {i} cost {i + 40} million euros to repair." for i in range(12)]
    article = make_article(cast.project, body="Piers\n\n" + "\n\n".join(sentences), title="Piers", user=cast.alice)
    claims = [make_claim(article, f"cost {i + 40} million euros", cast.alice) for i in range(flagged)]
    for claim in claims:
        claim.assignees.add(cast.erin)
    changed = [s.replace(f"cost {i + 40} million", f"cost {i + 14} million") if i < flagged else s for i, s in enumerate(sentences)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = revise(article, cast.bob, "Piers\n\n" + "\n\n".join(changed))
    assert result.changed == flagged
    with django_assert_num_queries(3):
        for callback in callbacks:
            callback()
    # Per claim: erin (assigned), bob and dora (editor, admin); alice is neither.
    rows = Notification.objects.filter(kind=Notification.Kind.CHANGED, claim__in=claims)
    assert rows.count() == 3 * flagged
    assert {(n.claim_id, n.user.username) for n in rows} == {(c.pk, u) for c in claims for u in ("erin", "bob", "dora")}
