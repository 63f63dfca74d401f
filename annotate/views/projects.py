from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotate.access import projects_for_user


@require_GET
def project_list(request):
    projects = projects_for_user(request.user).annotate(article_count=Count("articles", distinct=True)).order_by("name")
    return render(request, "annotate/project_list.html", {"projects": projects})
