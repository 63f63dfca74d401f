"""Demo content of the desk's workflow (issue 11): assignments, a claim waiting for a second
verdict, one correction on the published claim and an unread notification. Idempotent."""

from annotate import services
from annotate.models import Claim, Correction, Notification, ProjectEvent, Status

MENTION = "@editor the council's flood model is in the annex of the 2019 minutes — can you look before we settle?"
CORRECTION_NOTE = "We first gave the yearly damage as an estimate; the statistics office's final figures confirm 2.4 million euros a year."


def seed(project, users, article):
    reviewer, editor, admin = users["reviewer"], users["editor"], users["admin"]
    project.user_role = "admin"
    if not ProjectEvent.objects.filter(project=project, action="settings_changed").exists():
        # Two independent verdicts per claim: the claim with one verdict waits for a second.
        services.workflow.update_settings(project, admin, required_verdicts=2, blind_review=True)
    claims = list(Claim.objects.filter(article=article).order_by("id"))
    if len(claims) < 4:
        return
    published, second_opinion, waiting, open_claim = claims[:4]
    for claim, names in ((waiting, ["admin", "reviewer"]), (open_claim, ["reviewer"]), (second_opinion, ["editor", "reviewer"])):
        claim.user_role = "editor"
        if sorted(claim.assignees.values_list("username", flat=True)) != sorted(names):
            services.workflow.set_assignees(claim, editor, claim.version, names)
    if published.status == Status.PUBLISHED and not Correction.objects.filter(claim=published).exists():
        published = Claim.objects.select_related("final_rating").get(pk=published.pk)
        services.settle_claim(
            published, editor, published.version, published.final_rating,
            published.final_rationale + " The statistics office's final figures for 2016–2025 confirm the average.",
            note=CORRECTION_NOTE,
        )  # fmt: skip
    if not Notification.objects.filter(user=editor, kind=Notification.Kind.MENTION, claim=waiting).exists():
        services.add_comment(waiting, reviewer, MENTION)
