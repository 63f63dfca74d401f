"""A project's article list with progress, and the two-step import page (preview, then save)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from annotate import lifecycle, services
from annotate.access import can, check_settled_change, get_project_for_user
from annotate.forms.articles import SaveForm, SourceForm
from annotate.models import Article, Claim, Role, Span, Verdict
from annotate.subqueries import correlated_count
from annotate.textclean import content_hash

ARTICLES_PER_PAGE = 50


def _count_per_article(queryset):
    """A correlated COUNT(*) of `queryset` rows belonging to the outer article (0 when none)."""
    return correlated_count(queryset, "article")


def articles_with_progress(project):
    """The project's articles, newest first, each with its progress counts.

    Correlated subqueries rather than Count() over joins: joining claims, verdicts
    and spans at once would multiply rows, and the counts stay one query per page.
    """
    has_verdict = Exists(Verdict.objects.filter(claim=OuterRef("pk")))
    return (
        Article.objects.filter(project=project)
        .annotate(
            claim_count=_count_per_article(Claim.objects.all()),
            verdict_claim_count=_count_per_article(Claim.objects.filter(has_verdict)),
            approved_count=_count_per_article(Claim.objects.filter(status__in=lifecycle.SETTLED)),
            orphaned_count=_count_per_article(Span.objects.filter(orphaned=True)),
        )
        .defer("body")
        .order_by("-created_at", "-id")
    )


def review_url(article_pk):
    return reverse("review", args=[article_pk])


@require_GET
def article_list(request, slug):
    project = get_project_for_user(request.user, slug)
    page = Paginator(articles_with_progress(project), ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "annotate/article_list.html",
        {
            "project": project,
            "page": page,
            "can_edit": can(project, Role.EDITOR),
            "can_admin": can(project, Role.ADMIN),
        },
    )


# --- import ---------------------------------------------------------------------


def _render_import(request, project, *, source_form=None, save_form=None, body=None, duplicate=None, status=200):
    context = {
        "project": project,
        "source_form": source_form,
        "save_form": save_form,
        # The preview shows the body exactly as it will be stored, paragraph by paragraph.
        "paragraphs": body.split("\n\n") if body else None,
        "duplicate": duplicate,
        "duplicate_url": review_url(duplicate.pk) if duplicate else None,
    }
    return render(request, "annotate/import.html", context, status=status)


@require_http_methods(["GET", "POST"])
def article_import(request, slug):
    project = get_project_for_user(request.user, slug)
    if request.method == "GET":
        form = SourceForm(project=project, initial={"revises": request.GET.get("revises")})
        return _render_import(request, project, source_form=form)
    if request.POST.get("step") == "save":
        return _save(request, project)
    return _preview(request, project)


def _preview(request, project):
    form = SourceForm(request.POST, request.FILES, project=project)
    if not form.is_valid():
        return _render_import(request, project, source_form=form, status=400)
    extracted, revises = form.cleaned_data["extracted"], form.cleaned_data["revises"]
    if revises is not None:
        check_settled_change(revises, role_from=project)  # said at once, before the metadata step
    # Tell about a duplicate now rather than after the user has edited the metadata.
    existing = project.articles.filter(content_hash=content_hash(extracted.body)).only("pk", "title").first()
    if existing is not None:
        if revises is not None and existing.pk == revises.pk:
            form.add_error("revises", "This text is identical to the current revision of that article.")
            return _render_import(request, project, source_form=form, status=400)
        return _render_import(request, project, source_form=form, duplicate=existing, status=400)
    save_form = SaveForm.for_preview(extracted, revises, project=project, user=request.user)
    return _render_import(request, project, save_form=save_form, body=extracted.body)


def _save(request, project):
    form = SaveForm(request.POST, project=project, user=request.user)
    if not form.is_valid():
        # Show the preview again only when the text itself checked out.
        body = form.cleaned_data.get("body") if not form.non_field_errors() else None
        return _render_import(request, project, save_form=form, body=body, status=400)
    extracted, revises = form.extracted(), form.cleaned_data["revises"]
    if revises is not None:
        check_settled_change(revises, role_from=project)  # a new text of settled fact-checks: editors only
    try:
        if revises is not None:
            result = services.revise_article(revises, request.user, extracted)
            article = result.article
        else:
            article = services.import_article(project, request.user, extracted)
    except services.Duplicate as duplicate:
        return _render_import(request, project, save_form=form, body=extracted.body, duplicate=duplicate.existing, status=400)
    except services.Invalid as problem:
        form.add_error(problem.field if problem.field in form.fields and problem.field != "body" else None, problem.message)
        return _render_import(request, project, save_form=form, body=extracted.body, status=400)
    if revises is not None:
        messages.success(request, _revision_message(result))
    else:
        messages.success(request, f"Imported “{article.title}”.")
    return redirect(review_url(article.pk))


def _revision_message(result):
    highlights = result.placed + result.orphaned + result.changed
    text = f"Saved revision {result.article.revision} of “{result.article.title}”. "
    if not highlights:
        return text + "It had no highlights to re-anchor."
    text += f"{result.placed} of {highlights} highlight{'s' if highlights != 1 else ''} placed ({result.moved} moved)"
    if result.orphaned:
        text += f"; {result.orphaned} orphaned: their quotes are no longer in the text, so re-place or dismiss them."
    else:
        text += "."
    if result.changed:
        text += (f" {result.changed} changed in revision: the text now has other words where "
                 f"{'their quotes were' if result.changed != 1 else 'its quote was'}; open {'each' if result.changed != 1 else 'it'} "
                 "to re-place it, accept the new wording (which re-opens the verdict) or orphan it.")
    return text
