"""Write paths, by area (the same areas as views/ and forms/). Each runs in one
transaction, records history in it, and raises `Invalid` (bad input: nothing changed)
or `Conflict` (stale version: nothing changed); both come from annotate/writes.py.

- articles: import (`import_parts`, the one entry point of the import page, the API and
  the import_articles command), revisions, the article row lock
- claims: create from a selection, edit, verdicts, re-place, delete, comments
- sources: evidence attached to a claim
- editor: final verdict, status and publishing, `change_claim` (several changes at once)
- integrity: settling a claim "changed in revision"
- workflow: assignments, taking a claim, workflow settings, the project's history
- manage: a project's rating scale and members

Views and API views validate shape with forms/serializers, then call these. The names
below are the layer's public API: callers say `services.add_claim(...)`, or
`services.workflow.take_claim(...)` for the areas kept as submodules.
"""

from annotate.services import integrity, manage, workflow  # noqa: F401
from annotate.services.articles import (  # noqa: F401
    Duplicate,
    RevisionResult,
    StaleRevision,
    import_article,
    import_parts,
    lock_article_text,
    revise_article,
)
from annotate.services.claims import (  # noqa: F401
    CLAIM_EDITABLE,
    add_claim,
    add_comment,
    delete_claim,
    rating_in_project,
    replace_span,
    save_verdict,
    update_claim,
)
from annotate.services.editor import change_claim, publish, set_status, settle_claim, unpublish  # noqa: F401
from annotate.services.sources import add_evidence, clean_url  # noqa: F401
from annotate.writes import Conflict, Invalid, locked_update, role_of  # noqa: F401
