"""The OpenAPI document describes the real responses.

The schema served at /api/schema/ is fetched, and real responses of every list and retrieve
endpoint (and of the writes and their 409s) are validated against the schema it declares for
that path, method, status and media type. Objects are validated strictly: a key the schema
does not list fails, so the documented shape cannot drift from the fast serialisers.
"""

import copy
import io
import re

import pytest
from django.core.management import call_command
from jsonschema import Draft7Validator

from tests.api.formats import formats
from tests.conftest import rating


@pytest.fixture
def openapi(api):
    response = api.anon.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def to_json_schema(node, components):
    """OpenAPI 3.0 schema -> JSON Schema: inline $refs, nullable -> null allowed, unknown keys refused."""
    if isinstance(node, list):
        return [to_json_schema(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/components/schemas/")
        return to_json_schema(components[name], components)
    node = {key: to_json_schema(value, components) for key, value in node.items()}
    if "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    if node.pop("nullable", False):
        node = {"anyOf": [node, {"type": "null"}]}
    return node


def operation_for(openapi, path, method):
    for template, operations in openapi["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method in operations:
            return template, operations[method]
    raise AssertionError(f"{method.upper()} {path} is not in the schema")


def check(openapi, response, method="get"):
    """Validate a real response against the schema's declaration; return the template it matched."""
    path = response.wsgi_request.path
    template, operation = operation_for(openapi, path, method)
    declared = operation["responses"].get(str(response.status_code))
    assert declared, f"{method.upper()} {template}: status {response.status_code} is not documented"
    media_type = response["Content-Type"].split(";")[0]
    assert media_type in declared.get("content", {}), f"{method.upper()} {template} {response.status_code}: {media_type} not documented"
    schema = to_json_schema(copy.deepcopy(declared["content"][media_type]["schema"]), openapi["components"]["schemas"])
    errors = sorted(Draft7Validator(schema, format_checker=formats).iter_errors(response.json()), key=lambda e: list(e.absolute_path))
    assert not errors, f"{method.upper()} {template} {response.status_code}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in errors[:5]
    )
    return (method, template, response.status_code)


def test_the_schema_generates_without_warnings_or_errors():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert out.getvalue().startswith("openapi: 3.")


def test_every_list_and_retrieve_response_matches_the_schema(api, cast, desk, openapi):
    source = desk.published.evidence.get().source
    verdict = desk.published.verdicts.first()
    checked = set()
    for url in (
        "/api/v1/projects/",
        f"/api/v1/projects/{cast.project.slug}/",
        "/api/v1/articles/",
        f"/api/v1/articles/{cast.article.pk}/",
        "/api/v1/claims/",
        f"/api/v1/claims/{desk.published.pk}/",
        f"/api/v1/claims/{desk.fresh.pk}/",
        "/api/v1/verdicts/",
        f"/api/v1/verdicts/{verdict.pk}/",
        "/api/v1/sources/",
        f"/api/v1/sources/{source.pk}/",
        "/api/v1/claimreviews/",
        f"/api/v1/claimreviews/{desk.published.pk}/",
        "/api/v1/annotations/?page_size=1",
        f"/api/v1/annotations/{desk.published.pk}/",
        f"/api/v1/annotations/{desk.fresh.pk}/",
        f"/api/v1/articles/{cast.article.pk}/suggestions/",
        # desk memory
        f"/api/v1/search/?project={cast.project.slug}&q=barrier",
        f"/api/v1/claims/{desk.fresh.pk}/similar/",
        f"/api/v1/claims/{desk.fresh.pk}/matches/",
    ):
        response = api.bob.get(url)
        assert response.status_code == 200, url
        checked.add(check(openapi, response))
    # An AnnotationPage (the other branch of the annotations list), with next and prev.
    page = api.bob.get(api.bob.get("/api/v1/annotations/?page_size=1").json()["first"]["next"])
    assert "prev" in page.json() and "next" in page.json()
    check(openapi, page)
    # Each list and retrieve operation of the schema was exercised.
    documented = {
        ("get", template, 200)
        for template, operations in openapi["paths"].items()
        if "get" in operations and template.startswith("/api/v1/") and "export" not in template
    }
    assert documented - checked == set()


def test_write_responses_and_conflicts_match_the_schema(api, cast, desk, openapi):
    body = cast.article.body
    start = body.index("close about 20 times")
    created = api.alice.post("/api/v1/claims/", {"article": cast.article.pk, "start": start, "end": start + 20, "quote": "close about 20 times"}, format="json")
    assert created.status_code == 201
    check(openapi, created, "post")

    edited = api.bob.patch(f"/api/v1/claims/{desk.fresh.pk}/", {"version": 1, "text": "Late"}, format="json")
    assert edited.status_code == 200
    check(openapi, edited, "patch")
    conflict = api.bob.patch(f"/api/v1/claims/{desk.fresh.pk}/", {"version": 1, "text": "Later"}, format="json")
    assert conflict.status_code == 409
    check(openapi, conflict, "patch")

    verdict = api.erin.post("/api/v1/verdicts/", {"claim": desk.fresh.pk, "rating": rating(cast.project, "Mixed").pk}, format="json")
    assert verdict.status_code == 201
    check(openapi, verdict, "post")
    again = api.erin.post("/api/v1/verdicts/", {"claim": desk.fresh.pk, "rating": "False"}, format="json")
    assert again.status_code == 409
    check(openapi, again, "post")
    changed = api.erin.patch(f"/api/v1/verdicts/{verdict.json()['id']}/", {"version": 1, "rationale": "Now with a reason."}, format="json")
    assert changed.status_code == 200
    check(openapi, changed, "patch")
    stale = api.erin.patch(f"/api/v1/verdicts/{verdict.json()['id']}/", {"version": 1, "rationale": "Old tab."}, format="json")
    assert stale.status_code == 409
    check(openapi, stale, "patch")

    article = api.alice.post("/api/v1/articles/", {"project": cast.project.slug, "text": "Title\n\nA new article."}, format="json")
    assert article.status_code == 201
    check(openapi, article, "post")
    duplicate = api.alice.post("/api/v1/articles/", {"project": cast.project.slug, "text": "Title\n\nA new article."}, format="json")
    assert duplicate.status_code == 409
    check(openapi, duplicate, "post")

    # Suggestions: accept (with and without a narrower span), dismiss, and a second decision (409).
    text = ("Survey of the port\n\nThe port authority said 1,200 ships docked in 2025, more than in any year before.\n\n"
            "Seven terminals are open, including North, South and Pier 4.")
    made = api.alice.post("/api/v1/articles/", {"project": cast.project.slug, "title": "Port", "body": text}, format="json")
    article_id = made.json()["id"]
    listed = api.alice.get(f"/api/v1/articles/{article_id}/suggestions/")
    check(openapi, listed)
    listed = listed.json()
    assert {"check-worthy", "inconsistency"} <= {item["kind"] for item in listed}, listed
    first, second = listed[0], listed[1]
    accepted = api.alice.post(f"/api/v1/articles/{article_id}/suggestions/{first['key']}/accept/",
                              {"start": first["start"], "end": first["start"] + 8, "quote": text[first["start"]:first["start"] + 8]}, format="json")
    assert accepted.status_code == 201, accepted.json()
    check(openapi, accepted, "post")
    dismissed = api.alice.post(f"/api/v1/articles/{article_id}/suggestions/{second['key']}/dismiss/")
    assert dismissed.status_code == 200
    check(openapi, dismissed, "post")
    twice = api.alice.post(f"/api/v1/articles/{article_id}/suggestions/{second['key']}/accept/", {}, format="json")
    assert twice.status_code == 409


def test_the_streamed_exports_are_documented_with_their_media_types(openapi):
    for path, media_type in (
        ("/api/v1/export/verdicts.csv", "text/csv"),
        ("/api/v1/export/verdicts.jsonl", "application/x-ndjson"),
        ("/api/v1/export/verdicts.json", "application/json"),
    ):
        operation = openapi["paths"][path]["get"]
        assert list(operation["responses"]["200"]["content"]) == [media_type]
        assert {p["name"] for p in operation["parameters"]} >= {"project", "article", "status", "rating", "reviewer", "updated_since"}


def test_claim_offsets_are_documented_as_code_points(openapi):
    create = openapi["components"]["schemas"]["ClaimCreateRequest"]["properties"]
    assert "code points" in create["start"]["description"]
    assert "code points" in openapi["components"]["schemas"]["Claim"]["properties"]["start"]["description"]


def test_the_docs_page_is_served_from_the_app_without_a_cdn(api):
    from django.contrib.staticfiles import finders

    page = api.anon.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith("/"), asset  # same origin: no CDN
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/").split("?")[0]), asset
    assert "<script>" not in html  # the start-up script is a file, so the CSP holds
    assert "<style" not in html and "/static/css/api-docs.css" in html  # and so are its styles
    script = api.anon.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
