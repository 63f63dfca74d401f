"""W3C Web Annotation dicts (one annotation per claim), AnnotationPage and AnnotationCollection."""

from collections import defaultdict

from django.urls import reverse

from annotate.memory import appearances
from annotate.models import Evidence, Verdict
from annotate.urltemplates import url_template
from annotate.exports.common import iso

# --- W3C Web Annotation ------------------------------------------------------------

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ANNO_CONTENT_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'

# Claim columns an annotation needs (no article body).
ANNOTATION_COLUMNS = (
    "id",
    "article_id",
    "article__source_url",
    "span__start",
    "span__end",
    "span__quote",
    "span__prefix",
    "span__suffix",
    "created_by__username",
    "created_at",
    "updated_at",
    "final_rating__label",
    "final_rationale",
    "approved_by__username",
    "approved_at",
)


def claims_for_annotations(queryset):
    """Claim rows (dicts) for `annotations()`; `queryset` is already scoped and filtered."""
    return queryset.values(*ANNOTATION_COLUMNS)


class _Paths:
    """URL paths built by reverse() once, then by string formatting (reverse per row is slow)."""

    def __init__(self):
        self.annotation = url_template("api:annotation-detail")
        self.article = url_template("api:article-detail")


def annotations_path():
    return reverse("api:annotation-list")


def _agent(username):
    return {"type": "Person", "nickname": username}


def _textual(value, purpose, creator=None, created=None, modified=None):
    body = {"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"}
    if creator:
        body["creator"] = _agent(creator)
    if created:
        body["created"] = created
    if modified:
        body["modified"] = modified
    return body


def annotations(rows, base):
    """W3C Web Annotations for claim rows from `claims_for_annotations()`: two more queries.

    Body: the final verdict (rating label, purpose "assessing"; rationale, purpose
    "commenting") when there is one, else each reviewer's verdict the same way with the
    reviewer as creator; then every source as a SpecificResource with purpose "linking".
    Target: the article's own URL (or its Factmark API URL when it has none) with a
    TextQuoteSelector and a TextPositionSelector (code points, as the W3C model counts).
    """
    rows = list(rows)
    if not rows:
        return []
    paths = _Paths()
    ids = [row["id"] for row in rows]
    verdicts = defaultdict(list)
    for claim_id, label, rationale, reviewer, created, modified in (
        Verdict.objects.filter(claim_id__in=ids)
        .order_by("claim_id", "id")
        .values_list("claim_id", "rating__label", "rationale", "reviewer__username", "created_at", "updated_at")
    ):
        verdicts[claim_id].append((label, rationale, reviewer, iso(created), iso(modified)))
    sources = defaultdict(list)
    for claim_id, url in Evidence.objects.filter(claim_id__in=ids).order_by("claim_id", "id").values_list("claim_id", "source__url"):
        sources[claim_id].append(url)
    # Desk memory: each confirmed match links to the other claim's annotation (one query).
    for claim_id, others in appearances.matched_ids(ids).items():
        sources[claim_id].extend(base + paths.annotation.format(other) for other in others)
    return [_annotation(row, verdicts[row["id"]], sources[row["id"]], base, paths) for row in rows]


def _annotation(row, verdicts, sources, base, paths):
    body = []
    if row["final_rating__label"] is not None:
        settled = iso(row["approved_at"])
        editor = row["approved_by__username"]
        body.append(_textual(row["final_rating__label"], "assessing", editor, settled))
        if row["final_rationale"]:
            body.append(_textual(row["final_rationale"], "commenting", editor, settled))
    else:
        for label, rationale, reviewer, created, modified in verdicts:
            body.append(_textual(label, "assessing", reviewer, created, modified))
            if rationale:
                body.append(_textual(rationale, "commenting", reviewer, created, modified))
    for url in sources:
        body.append({"type": "SpecificResource", "purpose": "linking", "source": url})
    annotation = {
        "@context": ANNO_CONTEXT,
        "id": base + paths.annotation.format(row["id"]),
        "type": "Annotation",
        "motivation": "assessing",
        "created": iso(row["created_at"]),
        "modified": iso(row["updated_at"]),
    }
    if row["created_by__username"]:
        annotation["creator"] = _agent(row["created_by__username"])
    if body:
        annotation["body"] = body
    annotation["target"] = {
        "type": "SpecificResource",
        "source": row["article__source_url"] or base + paths.article.format(row["article_id"]),
        "selector": [
            {"type": "TextQuoteSelector", "exact": row["span__quote"], "prefix": row["span__prefix"], "suffix": row["span__suffix"]},
            {"type": "TextPositionSelector", "start": row["span__start"], "end": row["span__end"]},
        ],
    }
    return annotation


COLLECTION_LABEL = "Factmark claims"


def annotation_page(items, page_id, collection_id, total, next_url=None, prev_url=None, label=COLLECTION_LABEL):
    """An AnnotationPage; `partOf` describes its collection (id, label, total), as the W3C model's example does."""
    page = {
        "@context": ANNO_CONTEXT,
        "id": page_id,
        "type": "AnnotationPage",
        "partOf": {"id": collection_id, "label": label, "total": total},
    }
    if next_url:
        page["next"] = next_url
    if prev_url:
        page["prev"] = prev_url
    page["items"] = items
    return page


def annotation_collection(collection_id, total, first, label=COLLECTION_LABEL):
    """An AnnotationCollection; `first` is its first AnnotationPage, embedded."""
    return {
        "@context": ANNO_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": total,
        "first": first,
    }
