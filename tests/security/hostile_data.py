"""Hostile text for the escaping tests (tests/security/test_hostile_text.py and the browser's
tests/browser/test_hostile_browser.py): every payload in every place a person can type.

Payloads that would run set `window.__pwned` and/or call alert(), so a browser test can
tell whether anything executed.
"""

from annotate import services
from annotate.models import Claim, Membership
from tests.conftest import make_article, make_claim, make_user, rating

PAYLOADS = [
    "<script>window.__pwned=1;alert(1)</script>",
    '"><img src=x onerror="window.__pwned=1;alert(1)">',
    "'><svg onload=window.__pwned=1;alert(1)>",
    "</script><script>window.__pwned=1</script>",
    "</textarea></title><script>alert(1)</script>",
    '<a href="javascript:window.__pwned=1;alert(1)">click me</a>',
    "javascript:alert(1)",
    "{{7*7}}{% debug %}",
    "<!-- ",
    "\u2028\u2029&amp;&lt;<iframe src=//evil.example>",
]
HOSTILE = " ".join(PAYLOADS)
SHORT = "<img src=x onerror=window.__pwned=1;alert(1)>"  # fits a 60-character rating label

# The places a user (or an admin, or an importer) can put text.
PLACES = ["article title", "article body", "article publisher", "article author", "quote", "claim text", "claimant",
          "verdict rationale", "final rationale", "comment", "source title", "source publisher", "evidence excerpt",
          "evidence note", "username", "project name", "rating label"]


def build_hostile(cast):
    """Fill `cast.project` with hostile text everywhere; two published claims. Returns `cast`, extended."""
    project = cast.project
    project.name = ("Desk " + HOSTILE)[:200]
    project.save()
    mallory = make_user("mallory")
    # A name no sign-up form allows, as an LDAP sync or a careless admin might store it.
    mallory.username = SHORT
    mallory.save()
    Membership.objects.create(project=project, user=mallory, role="reviewer")
    label = project.ratings.create(label=SHORT, value=None, colour="#57606a", position=8)
    body = f"Harbour news {HOSTILE}\n\nThe council said the barrier cost 41 million euros. {HOSTILE}\n\nThe end."
    article = make_article(project, body=body, title=("Title " + HOSTILE)[:500], user=cast.alice,
                           publisher=HOSTILE[:200], author=HOSTILE[:200])
    on_quote = make_claim(article, PAYLOADS[0], cast.alice, text=HOSTILE, claimant=HOSTILE[:200])
    claim = make_claim(article, "41 million euros", cast.alice, text="The barrier cost " + HOSTILE)
    for c in (on_quote, claim):
        services.save_verdict(c, mallory, label, "Rationale " + HOSTILE)
        services.save_verdict(c, cast.erin, rating(project, "False"), HOSTILE)
        services.add_comment(c, mallory, "Comment " + HOSTILE)
        services.add_evidence(c, mallory, url=f"https://example.org/{c.pk}?q=%3Cscript%3E", stance="refutes",
                              title="Source " + HOSTILE, publisher=HOSTILE[:200], excerpt=HOSTILE, note=HOSTILE)
        c = Claim.objects.get(pk=c.pk)
        c = services.settle_claim(c, cast.bob, c.version, rating(project, "False"), "Final " + HOSTILE)
        services.publish(c, cast.bob, c.version)
    cast.mallory, cast.label = mallory, label
    cast.hostile_article, cast.claim, cast.on_quote = article, Claim.objects.get(pk=claim.pk), Claim.objects.get(pk=on_quote.pk)
    return cast
