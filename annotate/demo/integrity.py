"""Demo content for the integrity rules (issue 18): a published fact-check whose article was then revised.

The second revision changed "40 percent" to "14 percent" in the checked sentence. The
claim was not moved onto the new words: it is flagged "changed in revision" in the
claim panel (old and new wording side by side, with re-place, accept the new wording,
orphan), and the public page keeps the wording that was checked, with a note.
"""

from annotate import services
from annotate.extract import Extracted
from annotate.models import Article

TITLE = "Budget day: the minister's tax promise"
BODY = (
    "Budget day: the minister's tax promise\n\n"
    "The finance minister said income tax will fall by 40 percent for low earners next year.\n\n"
    "The council will build 500 new homes on the old docks, the mayor added."
)
QUOTE = "income tax will fall by 40 percent for low earners"


def seed(project, users):
    """Idempotent: does nothing when the demo article is already there."""
    if Article.objects.filter(project=project, title=TITLE).exists():
        return
    reviewer, editor = users["reviewer"], users["editor"]
    article = services.import_article(project, reviewer, Extracted(title=TITLE, body=BODY))
    start = BODY.index(QUOTE)
    claim = services.add_claim(article, reviewer, start, start + len(QUOTE), QUOTE, claimant="The finance minister")
    false = project.ratings.get(label="False")
    services.save_verdict(claim, reviewer, false, "The budget papers give a cut of 14 percent, not 40.")
    claim.refresh_from_db()
    claim = services.settle_claim(claim, editor, claim.version, false, "The published budget cuts the rate by 14 percent.")
    services.publish(claim, editor, claim.version)
    article.refresh_from_db()
    services.revise_article(article, editor, Extracted(title="", body=BODY.replace("40 percent", "14 percent")))
