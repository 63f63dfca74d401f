"""The app's chrome outside any page: /favicon.ico and the stylesheet of a desk's verdict colours.

Both are public (readers' browsers fetch them for the public fact-check page) and small.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from annotate.access import is_member
from annotate.models import Claim, Project, Rating, Status
from annotate.verdict_colours import RatingStyle, scale_css

FAVICON = Path(settings.BASE_DIR) / "static" / "favicon.ico"


@login_not_required
@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; a 404 there fills logs and consoles."""
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")


def rating_styles(ratings):
    """(RatingStyle list, version) of a scale: the version changes whenever a colour does (cache busting)."""
    styles = [RatingStyle(r.pk, r.label, r.colour) for r in ratings]
    version = hashlib.sha256(repr([(s.key, s.colour) for s in styles]).encode()).hexdigest()[:10]
    return styles, version


@login_not_required
@require_GET
@cache_control(public=True, max_age=86400)
def scale_stylesheet(request, slug):
    """`.rt-<id>` classes for the desk's ratings (annotate/verdict_colours.py); pages link it with ?v=<version>.

    Members get it for their review pages; anyone for a desk that has published a fact-check
    (its public page uses it). Otherwise 404, so unpublished desks do not show.
    """
    project = get_object_or_404(Project, slug=slug)
    if not is_member(request.user, project) and not Claim.objects.filter(project=project, status=Status.PUBLISHED).exists():
        raise Http404("No such desk.")
    styles, _ = rating_styles(Rating.objects.filter(project=project).order_by("position", "id"))
    return HttpResponse(scale_css(styles), content_type="text/css; charset=utf-8")
