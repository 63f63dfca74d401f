"""Bidirectional control characters (U+202A–U+202E, U+2066–U+2069) never reach stored text
(issue 18, item 8): not through import, the API, page forms, the admin or the services'
locked updates. "Tax falls \u202e%04\u202c" would otherwise display as "Tax falls 40%"."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from annotate.models import Article, Claim, Comment, Project, Verdict
from annotate.textclean import clean, strip_bidi
from tests.api.conftest import token_client
from tests.conftest import make_claim, rating

pytestmark = pytest.mark.django_db

CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
HOSTILE = f"Tax falls \u202e%04\u202c by {CONTROLS}2030"
CLEAN = "Tax falls %04 by 2030"


def test_strip_bidi_removes_each_control_and_nothing_else():
    assert strip_bidi(HOSTILE) == CLEAN
    for char in CONTROLS:
        assert strip_bidi(f"a{char}b") == "ab"
    kept = "\u200e\u200f\u200d\u05d0\u0627 emoji \U0001f600"  # marks, joiners, RTL letters: not controls
    assert strip_bidi(kept) == kept


def test_import_strips_them_from_the_article_body():
    assert clean(f"Title\n\n{HOSTILE}.") == f"Title\n\n{CLEAN}."


def test_an_article_imported_through_the_api_has_none(cast):
    response = token_client(cast.alice).post("/api/v1/articles/", {"project": "harbour-desk", "title": f"T{CONTROLS}", "body": f"{HOSTILE}."}, format="json")
    assert response.status_code == 201, response.content
    article = Article.objects.get(pk=response.json()["id"])
    assert article.body == f"{CLEAN}." and article.title == "T"


def test_claims_verdicts_and_their_edits_through_the_api_have_none(cast):
    alice = token_client(cast.alice)
    start = cast.article.body.index("tidal")
    created = alice.post("/api/v1/claims/", {"article": cast.article.pk, "start": start, "end": start + 5, "quote": "tidal",
                                             "text": HOSTILE, "claimant": f"The {CONTROLS}mayor"}, format="json")
    assert created.status_code == 201, created.content
    claim = Claim.objects.get(pk=created.json()["id"])
    assert (claim.text, claim.claimant) == (CLEAN, "The mayor")
    edited = alice.patch(f"/api/v1/claims/{claim.pk}/", {"version": claim.version, "text": f"Edited {HOSTILE}"}, format="json")
    assert edited.status_code == 200, edited.content
    claim.refresh_from_db()
    assert claim.text == f"Edited {CLEAN}"
    verdict = alice.post("/api/v1/verdicts/", {"claim": claim.pk, "rating": "False", "rationale": HOSTILE}, format="json")
    assert verdict.status_code == 201, verdict.content
    assert Verdict.objects.get(pk=verdict.json()["id"]).rationale == CLEAN


def test_a_comment_through_the_page_form_has_none(cast):
    claim = make_claim(cast.article, "41 million euros", cast.alice)
    browser = Client()
    browser.force_login(cast.alice)
    browser.post(f"/claims/{claim.pk}/comments/", {"text": HOSTILE})
    assert Comment.objects.get(claim=claim).text == CLEAN


def test_any_other_save_has_none_too(cast):
    # The admin and the commands save models directly: the same pre_save hook cleans them.
    project = Project.objects.get(slug="other-desk")
    project.name = f"Other {CONTROLS}desk"
    project.save()
    project.refresh_from_db()
    assert project.name == "Other desk"
    user = get_user_model().objects.create_user(f"new{CONTROLS}user", first_name=f"N{CONTROLS}")
    assert (user.username, user.first_name) == ("newuser", "N")
