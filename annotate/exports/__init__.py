"""Export formats built from the same records, shared by the REST API and `manage.py export_verdicts`,
one module per format:

- verdicts: verdict rows for CSV, JSON Lines and JSON, streamed with constant memory
- webannotation: W3C Web Annotation (annotations, AnnotationPage, AnnotationCollection)
- claimreview: ClaimReview for published claims, in batches
- common: compact JSON, the one timestamp format (`iso`), keyset batches

Every builder takes `base`, the absolute origin ("https://factmark.example.org"), so the
API (from the request) and the command (from --base-url) produce the same output. The
names below are the package's public API (`exports.verdict_chunks(...)`).
"""

from annotate.exports.claimreview import BaseURL, claim_reviews, published_claims  # noqa: F401
from annotate.exports.common import CHUNK_SIZE, FLUSH_ROWS, encode_json, in_batches, iso  # noqa: F401
from annotate.exports.verdicts import (  # noqa: F401
    FORMULA_START,
    VERDICT_COLUMNS,
    VERDICT_KEYS,
    check_database,
    neutralise,
    verdict_chunks,
    verdict_export_queryset,
)
from annotate.exports.webannotation import (  # noqa: F401
    ANNO_CONTENT_TYPE,
    ANNO_CONTEXT,
    ANNOTATION_COLUMNS,
    COLLECTION_LABEL,
    annotation_collection,
    annotation_page,
    annotations,
    annotations_path,
    claims_for_annotations,
)
