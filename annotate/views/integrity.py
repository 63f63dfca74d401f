"""The claim panel's answers to a claim "changed in revision": accept the new wording, or orphan it.

(Re-placing it on a selection is the panel's existing re-place form, views/claims.py.)
Both work as plain form POSTs (redirect back to the claim) and through htmx (the
refreshed panel, its row and the touched paragraphs). A settled claim needs an editor
(access.check_settled_change); a stale version answers 409, a candidate no longer in
the text 422, and nothing changes.
"""

from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from annotate import services
from annotate.access import check_settled_change, get_claim_for_user
from annotate.forms.integrity import AcceptWordingForm, OrphanForm
from annotate.views.claims import failed, saved


def _answer(request, pk, form, write, done, changed_ranges):
    claim = get_claim_for_user(request.user, pk)
    check_settled_change(claim)
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return failed(request, claim, 422, message, changed_error=message)
    try:
        write(claim)
    except services.Conflict as exc:
        return failed(request, claim, 409, exc.message, changed_error=exc.message)
    except services.Invalid as exc:
        return failed(request, claim, 422, exc.message, changed_error=exc.message)
    response = saved(request, pk, done, paragraphs_changed=changed_ranges(claim))
    # The claim leaves the "needs re-placing" group: the claims panel reloads itself.
    return trigger_client_event(response, "claims-changed", {}) if response.status_code == 200 else response


@require_POST
def accept_wording(request, pk):
    """Put the highlight on the new wording, take it as the claim's text, re-open the verdict."""
    form = AcceptWordingForm(request.POST)

    def write(claim):
        services.integrity.accept_revised_wording(claim, request.user, form.cleaned_data["version"], form.cleaned_data["text"])

    def ranges(claim):
        claim.span.refresh_from_db()
        return [(claim.span.start, claim.span.end)]

    return _answer(request, pk, form, write, "New wording accepted; the verdict is open again.", ranges)


@require_POST
def orphan_changed(request, pk):
    """The new text holds nothing of this claim: leave it orphaned (its checked wording is kept)."""
    form = OrphanForm(request.POST)

    def write(claim):
        services.integrity.orphan_changed_span(claim, request.user, form.cleaned_data["version"])

    return _answer(request, pk, form, write, "Claim left without a place in the new text.", lambda claim: [])
