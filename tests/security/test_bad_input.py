"""Bad input through the pages, the htmx endpoints and the API alike.

Each case is (who, method, url, payload) → the expected 4xx, a message a person can act
on (found in the page, the fragment or the JSON), and a database exactly as it was
(every row of every model, compared before and after).
"""

import html
import json
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotate import services
from tests.conftest import make_article, make_claim, rating

MAX_ARTICLE = 20_000  # FACTMARK_MAX_ARTICLE_BYTES for these tests
MAX_REQUEST = 30_000  # DATA_UPLOAD_MAX_MEMORY_SIZE for these tests


@dataclass
class Case:
    id: str
    who: str  # a key of world.users
    method: str
    url: Callable
    payload: Callable
    status: int
    message: str  # shown to the person, case-insensitive
    kind: str = "form"  # form | htmx | json | multipart | raw


def _selection(w, quote):
    start = w.article.body.index(quote)
    return {"start": start, "end": start + len(quote), "quote": quote}


# --- selections: the same mistakes through the page form, htmx and the API -----------------
SELECTIONS = [
    # id, payload, message (page), message (API)
    ("offsets-past-the-end", lambda w: {"start": w.size + 5, "end": w.size + 9, "quote": "abcd"},
     "but the article has only", "but the article has only"),
    ("end-past-the-end", lambda w: {"start": 3, "end": w.size + 9, "quote": "abcd"}, "but the article has only", "but the article has only"),
    ("start-equals-end", lambda w: {"start": 10, "end": 10, "quote": "a"}, "selection is empty", "selection is empty"),
    ("start-after-end", lambda w: {"start": 20, "end": 10, "quote": "abcdefghij"}, "selection is empty", "after its end"),
    ("negative-start", lambda w: {"start": -1, "end": 10, "quote": "abcdefghijk"},
     "greater than or equal to 0", "greater than or equal to 0"),
    ("quote-does-not-match", lambda w: {**_selection(w, "41 million euros"), "quote": "14 million euros"},
     "does not match the article", "does not match the article"),
    ("whitespace-only", lambda w: {"start": w.gap, "end": w.gap + 2, "quote": "\n\n"}, "only whitespace", "only whitespace"),
    ("offsets-not-numbers", lambda w: {"start": "ten", "end": "twenty", "quote": "x"}, "whole number", "valid integer"),
    ("quote-missing", lambda w: {"start": 0, "end": 5}, "required", "required"),
]

CASES = []
for sid, payload, page_message, api_message in SELECTIONS:
    CASES += [
        Case(f"claim-page-{sid}", "reviewer", "POST", lambda w: f"/articles/{w.article.pk}/claims/", payload, 422, page_message),
        Case(f"claim-htmx-{sid}", "reviewer", "POST", lambda w: f"/articles/{w.article.pk}/claims/", payload, 422, page_message, "htmx"),
        Case(f"claim-api-{sid}", "reviewer", "POST", lambda w: "/api/v1/claims/",
             lambda w, payload=payload: {"article": w.article.pk, **payload(w)}, 400, api_message, "json"),
    ]

# --- articles -------------------------------------------------------------------------------
IMPORT = "/p/harbour-desk/import/"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
BAD_UTF8_WITH_BOM = b"\xef\xbb\xbfCaf\xc3\x28 au lait \xff\xfe"
CASES += [
    Case("import-empty-text", "reviewer", "POST", lambda w: IMPORT, lambda w: {"text": ""}, 400, "Paste the text, upload a file or give a web address"),
    Case("import-whitespace-text", "reviewer", "POST", lambda w: IMPORT, lambda w: {"text": " \n\t \n"}, 400, "Paste the text"),
    Case("import-text-and-url", "reviewer", "POST", lambda w: IMPORT, lambda w: {"text": "Words.", "url": "https://example.org/"}, 400, "Use only one of"),
    Case("import-oversized-text", "reviewer", "POST", lambda w: IMPORT, lambda w: {"text": "word " * 5_000}, 400, "the limit is 20,000"),
    Case("import-binary-file", "reviewer", "POST", lambda w: IMPORT,
         lambda w: {"file": SimpleUploadedFile("photo.txt", PNG, "text/plain")}, 400, "looks like a binary file", "multipart"),
    Case("import-empty-file", "reviewer", "POST", lambda w: IMPORT,
         lambda w: {"file": SimpleUploadedFile("empty.txt", b"", "text/plain")}, 400, "empty", "multipart"),
    Case("import-wrongly-encoded-file", "reviewer", "POST", lambda w: IMPORT,
         lambda w: {"file": SimpleUploadedFile("cafe.txt", BAD_UTF8_WITH_BOM, "text/plain")}, 400, "Could not work out the text encoding", "multipart"),
    Case("import-oversized-file", "reviewer", "POST", lambda w: IMPORT,
         lambda w: {"file": SimpleUploadedFile("long.txt", b"word " * 5_000, "text/plain")}, 400, "the limit is 20,000", "multipart"),
    Case("import-javascript-url", "reviewer", "POST", lambda w: IMPORT, lambda w: {"url": "javascript:alert(1)"}, 400, "Only http:// and https://"),
    Case("import-file-url", "reviewer", "POST", lambda w: IMPORT, lambda w: {"url": "file:///etc/passwd"}, 400, "Only http:// and https://"),
    Case("import-data-url", "reviewer", "POST", lambda w: IMPORT, lambda w: {"url": "data:text/html,<h1>x</h1>"}, 400, "Only http:// and https://"),
    Case("import-private-address", "reviewer", "POST", lambda w: IMPORT, lambda w: {"url": "http://127.0.0.1:5432/"}, 400, "local or private address"),
    Case("import-revises-another-desks-article", "reviewer", "POST", lambda w: IMPORT,
         lambda w: {"text": "New text.", "revises": w.foreign_article.pk}, 400, "Select a valid choice"),
    Case("import-save-tampered-body", "reviewer", "POST", lambda w: IMPORT,
         lambda w: {"step": "save", "title": "T", "body": "Tampered text.", "signature": w.signature}, 400, "Import the article again"),
    Case("import-save-javascript-source-url", "reviewer", "POST", lambda w: IMPORT,
         lambda w: {"step": "save", "title": "T", "body": w.signed_body, "signature": w.signature, "source_url": "javascript:alert(1)"},
         400, "Enter a valid URL"),
    Case("import-save-nul-in-title", "reviewer", "POST", lambda w: IMPORT,
         lambda w: {"step": "save", "title": "T\x00", "body": w.signed_body, "signature": w.signature}, 400, "Null characters are not allowed"),
    Case("import-request-body-too-large", "reviewer", "POST", lambda w: IMPORT, lambda w: {"text": "x" * (MAX_REQUEST + 1000)}, 413, "too large"),
    Case("api-import-empty-body", "reviewer", "POST", lambda w: "/api/v1/articles/", lambda w: {"project": "harbour-desk", "title": "T", "body": "   "}, 400, "No article text found", "json"),
    Case("api-import-nothing", "reviewer", "POST", lambda w: "/api/v1/articles/", lambda w: {"project": "harbour-desk"}, 400, "body", "json"),
    Case("api-import-nul-byte", "reviewer", "POST", lambda w: "/api/v1/articles/", lambda w: {"project": "harbour-desk", "title": "T", "body": "a\x00b"}, 400, "Null characters are not allowed", "json"),
    Case("api-import-lone-surrogate", "reviewer", "POST", lambda w: "/api/v1/articles/", lambda w: '{"project": "harbour-desk", "title": "T", "body": "a\\ud800b"}', 400, "Surrogate characters are not allowed", "raw"),
    Case("api-import-oversized-text", "reviewer", "POST", lambda w: "/api/v1/articles/", lambda w: {"project": "harbour-desk", "title": "T", "body": "word " * 5_000}, 400, "the limit is 20,000", "json"),
    Case("api-import-javascript-source-url", "reviewer", "POST", lambda w: "/api/v1/articles/",
         lambda w: {"project": "harbour-desk", "title": "T", "body": "Words.", "source_url": "javascript:alert(1)"}, 400, "Enter a valid URL", "json"),
    Case("api-import-file-url", "reviewer", "POST", lambda w: "/api/v1/articles/", lambda w: {"project": "harbour-desk", "url": "file:///etc/passwd"}, 400, "Enter a valid URL", "json"),
    Case("api-import-another-desk", "reviewer", "POST", lambda w: "/api/v1/articles/", lambda w: {"project": "other-desk", "title": "T", "body": "Words."}, 400, "in your projects", "json"),
    Case("api-import-duplicate", "reviewer", "POST", lambda w: "/api/v1/articles/", lambda w: {"project": "harbour-desk", "title": "Again", "body": w.article.body}, 409, "already imported", "json"),
    Case("api-malformed-json", "reviewer", "POST", lambda w: "/api/v1/articles/", lambda w: '{"project": "harbour-desk", "body": ', 400, "JSON parse error", "raw"),
    Case("api-json-not-an-object", "reviewer", "POST", lambda w: "/api/v1/claims/", lambda w: "[1, 2, 3]", 400, "Expected a dictionary", "raw"),
    Case("api-request-body-too-large", "reviewer", "POST", lambda w: "/api/v1/articles/",
         lambda w: {"project": "harbour-desk", "title": "T", "body": "x" * (MAX_REQUEST + 1000)}, 413, "too large", "json"),
    Case("api-claim-request-body-too-large", "reviewer", "POST", lambda w: "/api/v1/claims/",
         lambda w: {**_selection(w, "41 million euros"), "article": w.article.pk, "text": "x" * (MAX_REQUEST + 1000)}, 413, "too large", "json"),
]

# --- sources and evidence -------------------------------------------------------------------
for bad_url in ("javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "file:///etc/passwd", "ftp://example.org/x", "not a web address"):
    CASES.append(Case(f"evidence-url-{bad_url.split(':')[0].replace(' ', '-')}", "reviewer", "POST", lambda w: f"/claims/{w.claim.pk}/evidence/",
                      lambda w, u=bad_url: {"url": u, "title": "Source", "stance": "refutes"}, 422, "starting with http:// or https://", "htmx"))
CASES += [
    Case("evidence-unknown-stance", "reviewer", "POST", lambda w: f"/claims/{w.claim.pk}/evidence/",
         lambda w: {"url": "https://example.org/a", "stance": "agrees"}, 422, "Select a valid choice"),
    Case("evidence-on-another-desks-claim", "reviewer", "POST", lambda w: f"/claims/{w.foreign_claim.pk}/evidence/",
         lambda w: {"url": "https://example.org/a", "stance": "refutes"}, 404, "not found"),
    Case("evidence-already-attached", "reviewer", "POST", lambda w: f"/claims/{w.claim.pk}/evidence/",
         lambda w: {"url": w.source_url, "stance": "supports"}, 422, "already attached"),
]

# --- verdicts -------------------------------------------------------------------------------
VERDICT = lambda w: f"/claims/{w.fresh.pk}/verdict/"  # noqa: E731 - a table of lambdas
CASES += [
    Case("verdict-rating-from-another-scale", "reviewer", "POST", VERDICT, lambda w: {"rating": w.foreign_rating.pk, "version": 0}, 422, "not on this project's scale"),
    Case("verdict-rating-that-does-not-exist", "reviewer", "POST", VERDICT, lambda w: {"rating": 999999, "version": 0}, 422, "not on this project's scale", "htmx"),
    Case("verdict-rating-not-a-number", "reviewer", "POST", VERDICT, lambda w: {"rating": "False", "version": 0}, 422, "not on this project's scale"),
    Case("verdict-on-another-desks-claim", "reviewer", "POST", lambda w: f"/claims/{w.foreign_claim.pk}/verdict/",
         lambda w: {"rating": w.false.pk, "version": 0}, 404, "not found"),
    Case("verdict-on-a-claim-that-does-not-exist", "reviewer", "POST", lambda w: "/claims/999999/verdict/", lambda w: {"rating": 1, "version": 0}, 404, "not found"),
    Case("verdict-stale-version", "reviewer", "POST", lambda w: f"/claims/{w.claim.pk}/verdict/",
         lambda w: {"rating": w.mixed.pk, "rationale": "Changed.", "version": 7}, 409, "changed this in the meantime"),
    Case("verdict-second-first-verdict", "reviewer", "POST", lambda w: f"/claims/{w.claim.pk}/verdict/",
         lambda w: {"rating": w.mixed.pk, "version": 0}, 409, "already gave a verdict", "htmx"),
    Case("verdict-nul-in-rationale", "reviewer", "POST", VERDICT, lambda w: {"rating": w.false.pk, "rationale": "a\x00b", "version": 0}, 422, "Null characters"),
    Case("verdict-rationale-too-long", "reviewer", "POST", VERDICT, lambda w: {"rating": w.false.pk, "rationale": "x" * 20_001, "version": 0}, 422, "at most 20000"),
    Case("api-verdict-rating-from-another-scale", "reviewer", "POST", lambda w: "/api/v1/verdicts/",
         lambda w: {"claim": w.fresh.pk, "rating": w.foreign_rating.pk}, 400, "not on this project's scale", "json"),
    Case("api-verdict-rating-label-not-on-scale", "reviewer", "POST", lambda w: "/api/v1/verdicts/",
         lambda w: {"claim": w.fresh.pk, "rating": "Pants on fire"}, 400, "is not on this project's rating scale", "json"),
    Case("api-verdict-on-another-desks-claim", "reviewer", "POST", lambda w: "/api/v1/verdicts/",
         lambda w: {"claim": w.foreign_claim.pk, "rating": w.false.pk}, 400, "in your projects", "json"),
    Case("api-verdict-on-a-claim-that-does-not-exist", "reviewer", "POST", lambda w: "/api/v1/verdicts/",
         lambda w: {"claim": 999999, "rating": w.false.pk}, 400, "in your projects", "json"),
    Case("api-verdict-twice", "reviewer", "POST", lambda w: "/api/v1/verdicts/", lambda w: {"claim": w.claim.pk, "rating": w.mixed.pk}, 409, "already gave a verdict", "json"),
    Case("api-verdict-stale-version", "reviewer", "PATCH", lambda w: f"/api/v1/verdicts/{w.verdict.pk}/",
         lambda w: {"version": w.verdict.version + 3, "rationale": "Changed."}, 409, "changed this in the meantime", "json"),
    Case("api-verdict-someone-elses", "editor", "PATCH", lambda w: f"/api/v1/verdicts/{w.verdict.pk}/",
         lambda w: {"version": w.verdict.version, "rationale": "Mine now."}, 403, "Only the reviewer who gave this verdict", "json"),
    Case("api-verdict-lone-surrogate", "reviewer", "POST", lambda w: "/api/v1/verdicts/",
         lambda w: json.dumps({"claim": w.fresh.pk, "rating": w.false.pk}).replace("}", ', "rationale": "\\udfff"}'), 400, "Surrogate characters", "raw"),
]

# --- claims: edit, comments, delete ---------------------------------------------------------
EDIT = lambda w: f"/claims/{w.claim.pk}/edit/"  # noqa: E731
CASES += [
    Case("claim-edit-stale-version", "reviewer", "POST", EDIT, lambda w: {"text": "New", "version": w.claim.version + 1}, 409, "changed this in the meantime"),
    Case("claim-edit-stale-version-htmx", "reviewer", "POST", EDIT, lambda w: {"text": "New", "version": w.claim.version + 1}, 409, "changed this in the meantime", "htmx"),
    Case("claim-edit-empty-text", "reviewer", "POST", EDIT, lambda w: {"text": "  ", "version": w.claim.version}, 422, "required"),
    Case("claim-edit-bad-date", "reviewer", "POST", EDIT, lambda w: {"text": "T", "claim_date": "2024-02-30", "version": w.claim.version}, 422, "Enter a valid date"),
    Case("claim-edit-claimant-too-long", "reviewer", "POST", EDIT, lambda w: {"text": "T", "claimant": "c" * 201, "version": w.claim.version}, 422, "at most 200"),
    Case("claim-edit-no-version", "reviewer", "POST", EDIT, lambda w: {"text": "T"}, 422, "required"),
    Case("api-claim-stale-version", "reviewer", "PATCH", lambda w: f"/api/v1/claims/{w.claim.pk}/",
         lambda w: {"version": w.claim.version + 1, "text": "New"}, 409, "changed this in the meantime", "json"),
    Case("api-claim-nothing-to-change", "reviewer", "PATCH", lambda w: f"/api/v1/claims/{w.claim.pk}/", lambda w: {"version": w.claim.version}, 400, "Nothing to change", "json"),
    Case("api-claim-unknown-status", "editor", "PATCH", lambda w: f"/api/v1/claims/{w.claim.pk}/",
         lambda w: {"version": w.claim.version, "status": "done"}, 400, "is not a valid choice", "json"),
    Case("api-claim-publish-without-final-verdict", "editor", "PATCH", lambda w: f"/api/v1/claims/{w.claim.pk}/",
         lambda w: {"version": w.claim.version, "status": "published"}, 400, "Settle a final verdict", "json"),
    Case("api-claim-final-rating-from-another-scale", "editor", "PATCH", lambda w: f"/api/v1/claims/{w.claim.pk}/",
         lambda w: {"version": w.claim.version, "final_rating": w.foreign_rating.pk, "final_rationale": "R"}, 400, "not on this project's scale", "json"),
    Case("api-claim-final-rating-as-reviewer", "reviewer", "PATCH", lambda w: f"/api/v1/claims/{w.claim.pk}/",
         lambda w: {"version": w.claim.version, "final_rating": w.false.pk, "final_rationale": "R"}, 403, "editor role", "json"),
    Case("api-claim-that-does-not-exist", "reviewer", "PATCH", lambda w: "/api/v1/claims/999999/", lambda w: {"version": 1, "text": "T"}, 404, "No such claim", "json"),
    Case("api-claim-id-not-a-number", "reviewer", "GET", lambda w: "/api/v1/claims/abc/", lambda w: None, 404, "Not found", "json"),
    Case("api-claim-on-another-desks-article", "reviewer", "POST", lambda w: "/api/v1/claims/",
         lambda w: {"article": w.foreign_article.pk, "start": 0, "end": 4, "quote": w.foreign_article.body[:4]}, 400, "in your projects", "json"),
    Case("api-claim-unknown-offsets-unit", "reviewer", "POST", lambda w: "/api/v1/claims/",
         lambda w: {"article": w.article.pk, **_selection(w, "41 million euros"), "offsets": "bytes"}, 400, "is not a valid choice", "json"),
    Case("claim-on-an-article-that-does-not-exist", "reviewer", "POST", lambda w: "/articles/999999/claims/", lambda w: {"start": 0, "end": 3, "quote": "abc"}, 404, "not found"),
    Case("claim-on-another-desks-article", "reviewer", "POST", lambda w: f"/articles/{w.foreign_article.pk}/claims/",
         lambda w: {"start": 0, "end": 4, "quote": w.foreign_article.body[:4]}, 404, "not found"),
    Case("comment-empty", "reviewer", "POST", lambda w: f"/claims/{w.claim.pk}/comments/", lambda w: {"text": "   "}, 422, "required", "htmx"),
    Case("comment-nul", "reviewer", "POST", lambda w: f"/claims/{w.claim.pk}/comments/", lambda w: {"text": "a\x00b"}, 422, "Null characters"),
    Case("comment-on-another-desks-claim", "reviewer", "POST", lambda w: f"/claims/{w.foreign_claim.pk}/comments/", lambda w: {"text": "Hi"}, 404, "not found"),
    Case("delete-a-claim-with-someone-elses-verdict", "reviewer", "POST", lambda w: f"/claims/{w.claim.pk}/delete/", lambda w: {}, 422, "Another reviewer has given a verdict"),
    Case("delete-someone-elses-claim", "editor", "POST", lambda w: f"/claims/{w.fresh.pk}/delete/", lambda w: {}, 403, "Only the reviewer who created this claim can delete it"),
    Case("replace-span-quote-does-not-match", "reviewer", "POST", lambda w: f"/claims/{w.orphan.pk}/replace/",
         lambda w: {**_selection(w, "41 million euros"), "quote": "nothing like it"}, 422, "does not match the article"),
]

# --- editor: final verdict, status, scale, members ------------------------------------------
CASES += [
    Case("final-rating-from-another-scale", "editor", "POST", lambda w: f"/claims/{w.claim.pk}/final/",
         lambda w: {"rating": w.foreign_rating.pk, "final_rationale": "R", "version": w.claim.version}, 400, "not on this project's scale", "htmx"),
    Case("final-empty-rationale", "editor", "POST", lambda w: f"/claims/{w.claim.pk}/final/",
         lambda w: {"rating": w.false.pk, "final_rationale": " ", "version": w.claim.version}, 400, "rationale", "htmx"),
    Case("final-stale-version", "editor", "POST", lambda w: f"/claims/{w.claim.pk}/final/",
         lambda w: {"rating": w.false.pk, "final_rationale": "R", "version": w.claim.version + 1}, 409, "changed this in the meantime", "htmx"),
    Case("status-unknown", "editor", "POST", lambda w: f"/claims/{w.claim.pk}/status/", lambda w: {"status": "done", "version": w.claim.version}, 400, "Unknown status", "htmx"),
    Case("status-publish-without-final-verdict", "editor", "POST", lambda w: f"/claims/{w.claim.pk}/status/",
         lambda w: {"status": "published", "version": w.claim.version}, 400, "final verdict", "htmx"),
    Case("status-stale-version", "editor", "POST", lambda w: f"/claims/{w.claim.pk}/status/",
         lambda w: {"status": "needs_second_opinion", "version": w.claim.version + 1}, 409, "changed this in the meantime", "htmx"),
    Case("scale-colour-not-hex", "editor", "POST", lambda w: "/p/harbour-desk/scale/add/",
         lambda w: {"new-label": "Satire", "new-colour": "red"}, 400, "#rrggbb"),
    Case("scale-duplicate-label", "editor", "POST", lambda w: "/p/harbour-desk/scale/add/",
         lambda w: {"new-label": "false", "new-colour": "#123456"}, 400, "already has a rating called"),
    Case("scale-edit-another-desks-rating", "editor", "POST", lambda w: f"/p/harbour-desk/scale/{w.foreign_rating.pk}/",
         lambda w: {}, 404, "not found"),
    Case("members-add-unknown-user", "admin", "POST", lambda w: "/p/harbour-desk/members/add/", lambda w: {"username": "nobody-here", "role": "reviewer"}, 400, "nobody-here"),
    Case("members-remove-another-desks-membership", "admin", "POST", lambda w: f"/p/harbour-desk/members/{w.foreign_membership.pk}/remove/",
         lambda w: {}, 404, "not found"),
]


@pytest.fixture
def world(cast, settings):
    from annotate.forms.articles import sign_body
    from annotate.models import Membership

    settings.FACTMARK_MAX_ARTICLE_BYTES = MAX_ARTICLE
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST
    article, alice, erin = cast.article, cast.alice, cast.erin
    claim = make_claim(article, "41 million euros", alice)
    verdict = services.save_verdict(claim, alice, rating(cast.project, "False"), "Budget papers say 44.")
    services.save_verdict(claim, erin, rating(cast.project, "Mixed"), "Depends what you count.")
    evidence = services.add_evidence(claim, alice, url="https://example.org/report", stance="refutes", title="Report")
    fresh = make_claim(article, "12,000 homes", alice)
    foreign_article = make_article(cast.other, body="Another desk's article about rail fares.", title="Rail", user=cast.carol)
    foreign_claim = make_claim(foreign_article, "rail fares", cast.carol)
    orphan = make_claim(article, "three years late", alice)
    orphan.span.__class__.objects.filter(pk=orphan.span_id).update(orphaned=True)  # what a revision leaves behind
    signed_body = "A previewed article.\n\nWith two paragraphs."
    return SimpleNamespace(
        users={"reviewer": alice, "editor": cast.bob, "admin": cast.dora},
        article=article, size=len(article.body), gap=article.body.index("\n\n"),
        claim=claim.__class__.objects.get(pk=claim.pk), fresh=fresh, orphan=orphan, verdict=verdict,
        false=rating(cast.project, "False"), mixed=rating(cast.project, "Mixed"),
        foreign_article=foreign_article, foreign_claim=foreign_claim, foreign_rating=rating(cast.other, "False"),
        foreign_membership=Membership.objects.get(project=cast.other, user=cast.carol),
        source_url=evidence.source.url, signed_body=signed_body, signature=sign_body(cast.project, alice, signed_body),
    )


def _send(client, case, w):
    url, payload = case.url(w), case.payload(w)
    if case.method == "GET":
        return client.get(url)
    if case.kind in ("json", "raw"):
        body = payload if case.kind == "raw" else json.dumps(payload)
        return client.generic(case.method, url, body, content_type="application/json")
    headers = {"HTTP_HX_REQUEST": "true"} if case.kind == "htmx" else {}
    return client.post(url, payload, **headers)


def _text(response):
    content = response.content.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        content = json.dumps(json.loads(content), ensure_ascii=False)
    return html.unescape(content)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gets_a_clear_error_and_changes_nothing(client, world, unchanged_database, case):
    client.force_login(world.users[case.who])
    snapshot = unchanged_database()
    response = _send(client, case, world)
    text = _text(response)
    assert response.status_code == case.status, f"{case.id}: {response.status_code} {text[:600]}"
    assert case.message.lower() in text.lower(), f"{case.id}: message {case.message!r} not in {text[:1500]}"
    assert "Traceback" not in text
    snapshot.assert_unchanged(case.id)


def test_the_table_covers_every_kind_of_bad_input_the_issue_lists():
    ids = " ".join(c.id for c in CASES)
    for needle in ("past-the-end", "start-after-end", "does-not-match", "whitespace-only", "import-empty", "binary", "oversized",
                   "wrongly-encoded", "javascript", "evidence-url-data", "evidence-url-file", "rating-from-another-scale",
                   "verdict-on-another-desks-claim", "evidence-on-another-desks-claim", "does-not-exist", "malformed-json",
                   "request-body-too-large", "stale-version"):
        assert needle in ids, needle
    print(f"\nbad-input cases: {len(CASES)}")
