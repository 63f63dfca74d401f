"""train_suggestions: rules alone below the label threshold; past it a stored, versioned model that the page names."""

import io

import pytest
from django.core.management import call_command

from annotate import suggestions
from annotate.models import Decision, SuggestionDecision, SuggestionModel
from annotate.suggest.text import sentences
from tests.conftest import make_article
from tests.suggest.labelled import load_checkworthy


def _label(project, user, articles):
    for a in articles:
        article = make_article(project, body=a.body, title=a.title, user=user)
        labels = dict((text, label) for label, text in a.sentences)
        for s in sentences(article.body):
            if s.text in labels:
                SuggestionDecision.objects.create(
                    article=article, key=f"k{s.start}", kind="check-worthy", start=s.start, end=s.end, quote=s.text,
                    revision=1, decision=Decision.ACCEPTED if labels[s.text] else Decision.DISMISSED, decided_by=user,
                )


def test_too_few_labels_keep_the_rules(cast):
    _label(cast.project, cast.alice, load_checkworthy()[:2])
    out = io.StringIO()
    call_command("train_suggestions", project=cast.project.slug, stdout=out)
    assert "rules only" in out.getvalue() and not SuggestionModel.objects.exists()


def test_enough_labels_train_a_versioned_model_that_scores_the_next_article(cast, client):
    _label(cast.project, cast.alice, load_checkworthy())
    out = io.StringIO()
    call_command("train_suggestions", project=cast.project.slug, stdout=out)
    row = SuggestionModel.objects.get()
    assert row.version == 1 and row.label_count >= 200 and "held_out" in row.metrics
    call_command("train_suggestions", project=cast.project.slug, stdout=out)
    assert "unchanged" in out.getvalue() and SuggestionModel.objects.count() == 1
    call_command("train_suggestions", project=cast.project.slug, force=True, stdout=out)
    assert SuggestionModel.objects.order_by("-version").first().version == 2

    article = make_article(cast.project, body="Harbour news\n\nThe port said 1,200 ships docked in 2025, a record.", title="Port", user=cast.alice)
    cached = suggestions.suggestion_set(article)
    assert cached.model_version == 2 and cached.scored_by.startswith("rules + desk model v2")
    client.force_login(cast.alice)
    assert "rules + desk model v2" in client.get(f"/articles/{article.pk}/suggestions/").content.decode()
