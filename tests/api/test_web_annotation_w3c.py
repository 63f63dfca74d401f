"""annotations/: W3C Web Annotation, validated against the W3C test suite's JSON Schemas.

The schemas are vendored in tests/interop/w3c-web-annotation-schemas/ (W3C test-suite
licence in its license.md).
Each `*Musts.test` file lists the assertion schemas of one object kind (annotation,
collection, page); each assertion says what a conforming object gives (`expectedResult`),
how much it matters (`assertionType`), and what an unexpected result means
(`onUnexpectedResult`: fail… counts against us, pass… is an optional feature we may lack;
…AndSkip / …AndAbort stop the remaining assertions of that test). The assertions `$ref`
shared definitions by their ids, so every JSON file is registered and references resolve
offline. A missing schema folder fails the test: it is never skipped. The "uri" and
"date-time" formats are really checked (tests/api/formats.py).
"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from annotate import services
from tests.api.formats import formats
from tests.conftest import make_article, make_claim, rating

SCHEMAS = Path(settings.BASE_DIR) / "tests" / "interop" / "w3c-web-annotation-schemas"
BASE = "https://w3c-web-annotation-schemas.invalid/"
MUSTS = {
    "annotation": "annotations/annotationMusts.test",
    "collection": "collections/collectionMusts.test",
    "page": "collections/pages/pageMusts.test",
}
ANNO_CONTENT_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'

class Suite:
    """The W3C assertions, ready to run: registry of every schema, and the must-lists."""

    def __init__(self, root):
        assert root.is_dir(), f"The W3C Web Annotation schemas are missing: expected them in {root}"
        resources = []
        self.schemas = {}
        for path in sorted(root.rglob("*.json")):
            schema = json.loads(path.read_text(encoding="utf-8"))
            # Ids are relative ("annotations.json"); anchor them so "$ref": "id.json#/…" resolves.
            schema["id"] = BASE + schema["id"]
            resources.append((schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)))
            self.schemas[path.relative_to(root).as_posix()] = schema
        self.registry = Registry().with_resources(resources)
        self.tests = {kind: json.loads((root / name).read_text(encoding="utf-8")) for kind, name in MUSTS.items()}

    def check(self, kind, instance):
        """Run every assertion of the kind's test; return (checked, failures)."""
        checked, failures = 0, []
        for name in self.tests[kind]["assertions"]:
            schema = self.schemas[name]
            # Entered by reference, so relative "$ref"s resolve against the schema's own address
            # even where a root "$ref" hides its "id" (draft 4 ignores siblings of "$ref").
            validator = Draft4Validator({"$ref": schema["id"]}, registry=self.registry, format_checker=formats)
            valid = validator.is_valid(instance)
            checked += 1
            expected = schema.get("expectedResult", "valid") == "valid"
            if valid == expected:
                continue
            on_unexpected = schema.get("onUnexpectedResult", "failAndContinue")
            if on_unexpected.startswith("fail") and schema.get("assertionType", "must") == "must":
                errors = "; ".join(e.message[:200] for e in validator.iter_errors(instance)) if expected else "validated but should not"
                failures.append(f"{name}: {schema.get('errorMessage', '')} [{errors}]")
            if on_unexpected.endswith(("AndSkip", "AndAbort")):
                break
        return checked, failures


@pytest.fixture(scope="module")
def suite():
    return Suite(SCHEMAS)


@pytest.fixture
def annotated(cast, desk):
    """Claims in every shape: final verdict with a source, reviewers' verdicts only, nothing yet, an article with its own URL."""
    article = make_article(
        cast.project, body="Ferry news 🚢.\n\nFares rise 5% in May, the operator says.", title="Ferry fares", user=cast.alice,
        source_url="https://news.example/ferry?id=3&x=é",
    )  # fmt: skip
    claim = make_claim(article, "Fares rise 5% in May", cast.erin)
    services.save_verdict(claim, cast.erin, rating(cast.project, "Mostly accurate"), "")
    services.add_evidence(claim, cast.erin, url="https://timetable.example/may", stance="supports")
    return article, claim


def collect(client, first_url):
    """The collection, then every page following `next` from the first page's own address."""
    collection = client.get(first_url).json()
    pages, url = [], collection["first"]["id"]
    while url:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == ANNO_CONTENT_TYPE
        page = response.json()
        pages.append(page)
        url = page.get("next")
    return collection, pages


def test_every_annotation_collection_and_page_meets_the_w3c_must_assertions(api, cast, desk, annotated, suite, record_property):
    collection, pages = collect(api.bob, "/api/v1/annotations/?page_size=2")
    annotations = [item for page in pages for item in page["items"]]
    assert len(annotations) == 4 and len(pages) == 2
    detail = api.bob.get(annotations[-1]["id"])
    assert detail["Content-Type"] == ANNO_CONTENT_TYPE
    annotations.append(detail.json())

    checked, failures = 0, []
    for kind, instances in (("annotation", annotations), ("collection", [collection]), ("page", [*pages, collection["first"]])):
        for instance in instances:
            n, failed = suite.check(kind, instance)
            checked += n
            failures += [f"{kind} {instance.get('id')}: {f}" for f in failed]
    expected = 5 * len(suite.tests["annotation"]["assertions"]) + len(suite.tests["collection"]["assertions"]) + 3 * len(suite.tests["page"]["assertions"])
    record_property("w3c_assertions_checked", checked)
    print(f"\nW3C Web Annotation: {checked} must assertions checked over {len(annotations) + 1 + 3} objects, {len(failures)} failed")
    assert checked == expected == 5 * 54 + 10 + 3 * 15
    assert failures == []


def test_the_validator_does_catch_a_broken_annotation(suite, api, desk):
    """Guards the test above against passing vacuously (e.g. unresolved references)."""
    good = api.bob.get(f"/api/v1/annotations/{desk.published.pk}/").json()
    assert suite.check("annotation", good)[1] == []
    broken = {**good, "bodyValue": "both body and bodyValue", "@context": "http://example.org/other", "id": "not a uri"}
    broken["target"] = {**good["target"], "selector": [{"type": "TextQuoteSelector", "prefix": "no exact"}]}
    failed = " ".join(suite.check("annotation", broken)[1])
    for assertion in ("3.1-annotationContextValidated", "3.1-annotationIdValidated", "3.2.5-notBodyBodyValue", "4.2.4-textQuoteSelectorValid"):
        assert assertion in failed
    assert suite.check("collection", {**api.bob.get("/api/v1/annotations/").json(), "total": -1})[1]


def test_an_annotation_says_what_was_assessed_where_and_by_whom(api, cast, desk, annotated):
    article, claim = annotated
    published = api.bob.get(f"/api/v1/annotations/{desk.published.pk}/").json()
    start = cast.article.body.index("cost 41 million euros")
    assert published["motivation"] == "assessing"
    assert published["creator"] == {"type": "Person", "nickname": "alice"}
    assert published["target"]["source"] == f"http://testserver/api/v1/articles/{cast.article.pk}/"
    assert published["target"]["selector"] == [
        {"type": "TextQuoteSelector", "exact": "cost 41 million euros", "prefix": cast.article.body[start - 32 : start], "suffix": cast.article.body[start + 21 : start + 53]},
        {"type": "TextPositionSelector", "start": start, "end": start + 21},
    ]
    assert [(b["type"], b["purpose"], b.get("value", b.get("source"))) for b in published["body"]] == [
        ("TextualBody", "assessing", "False"),
        ("TextualBody", "commenting", "The budget says 52 million euros."),
        ("SpecificResource", "linking", "https://example.org/budget.pdf"),
    ]
    assert published["body"][0]["creator"] == {"type": "Person", "nickname": "bob"}

    # Before a final verdict: each reviewer's verdict, the reviewer as creator; an empty rationale adds nothing.
    reviewed = api.bob.get(f"/api/v1/annotations/{claim.pk}/").json()
    assert [(b.get("value"), b.get("creator", {}).get("nickname")) for b in reviewed["body"]] == [("Mostly accurate", "erin"), (None, None)]
    assert reviewed["target"]["source"] == "https://news.example/ferry?id=3&x=é"
    # Positions count code points: the ship emoji before the claim is one, as in Python.
    position = reviewed["target"]["selector"][1]
    assert article.body[position["start"] : position["end"]] == "Fares rise 5% in May"

    fresh = api.bob.get(f"/api/v1/annotations/{desk.fresh.pk}/").json()
    assert "body" not in fresh


def test_the_collection_counts_everything_and_embeds_its_first_page(api, desk, annotated):
    response = api.bob.get("/api/v1/annotations/", {"page_size": 3})
    assert response["Content-Type"] == ANNO_CONTENT_TYPE
    collection = response.json()
    assert (collection["type"], collection["total"]) == ("AnnotationCollection", 4)
    assert collection["id"] == "http://testserver/api/v1/annotations/?page_size=3"
    first = collection["first"]
    part_of = {"id": collection["id"], "label": collection["label"], "total": 4}
    assert (first["type"], first["partOf"], len(first["items"])) == ("AnnotationPage", part_of, 3)
    second = api.bob.get(first["next"]).json()
    assert (second["type"], second["partOf"], len(second["items"]), "next" in second) == ("AnnotationPage", part_of, 1, False)
    assert api.bob.get(second["prev"]).json()["items"] == first["items"]


def test_members_see_unpublished_work_and_published_true_shows_only_the_public(api, desk):
    everything = api.alice.get("/api/v1/annotations/").json()
    assert everything["total"] == 3
    public = api.alice.get("/api/v1/annotations/", {"published": "true"}).json()
    assert [a["id"] for a in public["first"]["items"]] == [f"http://testserver/api/v1/annotations/{desk.published.pk}/"]


def test_an_outsider_sees_no_annotation_of_the_project(api, desk):
    assert api.carol.get("/api/v1/annotations/").json()["total"] == 1
    response = api.carol.get(f"/api/v1/annotations/{desk.published.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_plain_json_is_there_for_clients_that_ask_for_it(api, desk):
    response = api.bob.get("/api/v1/annotations/", HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    assert response.json()["type"] == "AnnotationCollection"
