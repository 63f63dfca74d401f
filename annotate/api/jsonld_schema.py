"""OpenAPI schemas of the JSON-LD outputs (ClaimReview, W3C Web Annotation).

Written out by hand because their keys ("@context", "@type") are no serializer field names.
The schema test validates real responses against them with unknown keys refused, so these
must list every key the builders in `annotate.exports` / `annotate.claimreview` write.
"""

_STR = {"type": "string"}
_URI = {"type": "string", "format": "uri"}
_DATE = {"type": "string", "format": "date"}
_DATETIME = {"type": "string", "format": "date-time"}


def _const(value):
    return {"type": "string", "enum": [value]}


def _object(required, optional=None):
    properties = {**required, **(optional or {})}
    return {"type": "object", "properties": properties, "required": list(required)}


_ORGANIZATION = _object({"@type": _const("Organization"), "name": _STR})
_PERSON = _object({"@type": _const("Person"), "name": _STR})

CLAIM_REVIEW = _object(
    {
        "@context": _const("https://schema.org"),
        "@type": _const("ClaimReview"),
        "url": {**_URI, "description": "The claim on the public fact-check page."},
        "claimReviewed": {**_STR, "description": "The claim as checked."},
        "itemReviewed": _object(
            {
                "@type": _const("Claim"),
                "appearance": _object(
                    {"@type": _const("CreativeWork"), "headline": _STR},
                    {"url": _URI, "publisher": _ORGANIZATION, "datePublished": _DATE},
                ),
            },
            {"author": {**_PERSON, "description": "The claimant (or the article's author)."}, "datePublished": _DATE},
        ),
        "author": {**_ORGANIZATION, "description": "The fact-checking organisation."},
        "reviewRating": _object(
            {"@type": _const("Rating"), "alternateName": {**_STR, "description": "The rating label."}},
            {
                "ratingValue": {"type": "integer", "description": "Ordinal of the rating; absent for a rating outside the order."},
                "bestRating": {"type": "integer"},
                "worstRating": {"type": "integer"},
            },
        ),
        "reviewBody": {**_STR, "description": "The rationale of the final verdict."},
    },
    {"datePublished": _DATE},
)

_AGENT = _object({"type": _const("Person"), "nickname": {**_STR, "description": "Username."}})
_TEXTUAL_BODY = _object(
    {
        "type": _const("TextualBody"),
        "purpose": {"type": "string", "enum": ["assessing", "commenting"], "description": "assessing: a rating label; commenting: a rationale."},
        "value": _STR,
        "format": _const("text/plain"),
    },
    {"creator": _AGENT, "created": _DATETIME, "modified": _DATETIME},
)
_SOURCE_BODY = _object({"type": _const("SpecificResource"), "purpose": _const("linking"), "source": {**_URI, "description": "A source of the fact-check."}})

ANNOTATION = _object(
    {
        "@context": _const("http://www.w3.org/ns/anno.jsonld"),
        "id": _URI,
        "type": _const("Annotation"),
        "motivation": _const("assessing"),
        "created": _DATETIME,
        "modified": _DATETIME,
        "target": _object(
            {
                "type": _const("SpecificResource"),
                "source": {**_URI, "description": "The article's URL, or its Factmark API URL when it has none."},
                "selector": {
                    "type": "array",
                    "items": {
                        "oneOf": [
                            _object({"type": _const("TextQuoteSelector"), "exact": _STR, "prefix": _STR, "suffix": _STR}),
                            _object(
                                {
                                    "type": _const("TextPositionSelector"),
                                    "start": {"type": "integer", "minimum": 0, "description": "Unicode code points."},
                                    "end": {"type": "integer", "minimum": 0, "description": "Unicode code points, exclusive."},
                                }
                            ),
                        ]
                    },
                },
            }
        ),
    },
    {
        "creator": _AGENT,
        "body": {
            "type": "array",
            "description": "The final verdict (or, before one, each reviewer's verdict) and the sources.",
            "items": {"oneOf": [_TEXTUAL_BODY, _SOURCE_BODY]},
        },
    },
)

_PAGE_REQUIRED = {
    "@context": _const("http://www.w3.org/ns/anno.jsonld"),
    "id": _URI,
    "type": _const("AnnotationPage"),
    "partOf": {
        **_object({"id": _URI, "label": _STR, "total": {"type": "integer", "minimum": 0}}),
        "description": "The collection this page belongs to.",
    },
    "items": {"type": "array", "items": ANNOTATION},
}
ANNOTATION_PAGE = _object(_PAGE_REQUIRED, {"next": _URI, "prev": _URI})

ANNOTATION_COLLECTION = _object(
    {
        "@context": _const("http://www.w3.org/ns/anno.jsonld"),
        "id": _URI,
        "type": _const("AnnotationCollection"),
        "label": _STR,
        "total": {"type": "integer", "minimum": 0},
        "first": ANNOTATION_PAGE,
    }
)

ANNOTATION_LIST = {
    "oneOf": [ANNOTATION_COLLECTION, ANNOTATION_PAGE],
    "description": "Without `cursor`: the AnnotationCollection with its first page embedded. With `cursor`: that AnnotationPage.",
}
