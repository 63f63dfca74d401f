from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotate.access import get_project_for_user


@require_GET
def article_list(request, slug):
    project = get_project_for_user(request.user, slug)
    articles = project.articles.order_by("-created_at", "-id")
    return render(request, "annotate/article_list.html", {"project": project, "articles": articles})
