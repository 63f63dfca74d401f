"""Every URL of the app × every kind of visitor, in one table.

The test walks `get_resolver().url_patterns` recursively (pages, fragments, API,
exports, admin). Each app pattern must have at least one entry in MATRIX below; a new
URL without one fails the test with its name. Admin patterns follow one documented rule
(ADMIN RULE) instead of an entry each, with their parameters filled from fixtures.

Roles: anonymous; outsider (carol: admin of another project only); reviewer (alice);
editor (bob); admin (dora, a project admin — not Django staff); superuser (root: Django
staff, member of no project). Expectations come from the access level of each URL:

  PUBLIC  everyone gets `allowed`.
  USER    any logged-in user gets `allowed`; anonymous goes to the login page (pages)
          or gets 401 (API).
  MEMBER / EDITOR / ADMIN  a project member with at least that role gets `allowed`; a
          member with a lower role gets 403; a non-member (outsider, superuser) gets 404
          so projects do not leak; anonymous as for USER.
Deviations are spelled out per entry (`overrides`). Each request runs in a transaction
that is rolled back, so every cell sees the same fixtures (a delete in one cell does not
turn the next into a 404).
"""

import json
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Callable

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.sites import site as admin_site
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from annotate import services, tasks
from annotate.models import ApiToken, Membership
from tests.conftest import make_article, make_claim, make_user, rating

ROLES = ("anonymous", "outsider", "reviewer", "editor", "admin", "superuser")
RANK = {"reviewer": 1, "editor": 2, "admin": 3}
PUBLIC, USER, MEMBER, EDITOR, ADMIN = "public", "user", "member", "editor", "admin"
LOGIN = "login"  # 302 to /login/?next=…
ADMIN_LOGIN = "admin-login"  # 302 to /admin/login/?next=…
ANY_LOGIN = "any-login"  # 302 to either login page


@dataclass
class Entry:
    name: str  # the pattern's name, "api:…" for the API
    method: str
    url: Callable  # world -> path
    level: str
    allowed: object = 200
    data: Callable = lambda w: {}
    overrides: dict = field(default_factory=dict)
    api: bool = False

    def expected(self):
        anonymous = 401 if self.api else LOGIN
        if self.level == PUBLIC:
            table = {role: self.allowed for role in ROLES}
        elif self.level == USER:
            table = {role: self.allowed for role in ROLES} | {"anonymous": anonymous}
        else:
            need = RANK[self.level if self.level != MEMBER else "reviewer"]
            table = {"anonymous": anonymous, "outsider": 404, "superuser": 404}
            table |= {role: self.allowed if RANK[role] >= need else 403 for role in RANK}
        return table | self.overrides


def _suggestion(world):
    """Key of the article's first check-worthy suggestion (computed in the cell's transaction)."""
    from annotate import suggestions

    return next(i["key"] for i in suggestions.suggestion_set(world.article).items if i["kind"] == "check-worthy")


def _claimant_url(world):
    """A claimant page of the project: gives the world's first claim a claimant first."""
    from annotate.models import Claim

    Claim.objects.filter(pk=world.claim.pk).update(claimant="Mayor Ann Berg", claimant_key="ann berg")
    return f"/p/{P}/claimants/ann%20berg/"


def _api(name, method, url, level, allowed=200, **kw):
    return Entry(name, method, url, level, allowed, api=True, **kw)


P = "harbour-desk"
MATRIX = [
    # --- outside the app's login ---
    Entry("healthz", "GET", lambda w: "/healthz", PUBLIC),
    Entry("login", "GET", lambda w: "/login/", PUBLIC, 302, overrides={"anonymous": 200}),  # logged in: sent on
    Entry("logout", "POST", lambda w: "/logout/", PUBLIC, 302),
    Entry("public-article", "GET", lambda w: f"/f/{P}/{w.article.pk}/", PUBLIC),
    # A draft (no published claim) does not leak, not even to members through this URL.
    Entry("public-article", "GET", lambda w: f"/f/{P}/{w.draft.pk}/", PUBLIC, 404),
    # The wrong project's slug does not reach another desk's article.
    Entry("public-article", "GET", lambda w: f"/f/other-desk/{w.article.pk}/", PUBLIC, 404),
    # The public index, feeds, cards and oEmbed of a desk's published fact-checks.
    Entry("public-index", "GET", lambda w: f"/f/{P}/", PUBLIC),
    # A desk with nothing published has no public index (its name does not leak).
    Entry("public-index", "GET", lambda w: "/f/other-desk/", PUBLIC, 404),
    Entry("public-feed-rss", "GET", lambda w: f"/f/{P}/feed.rss", PUBLIC),
    Entry("public-feed-atom", "GET", lambda w: f"/f/{P}/feed.atom", PUBLIC),
    Entry("public-feed-json", "GET", lambda w: f"/f/{P}/feed.json", PUBLIC),
    Entry("public-embed", "GET", lambda w: f"/f/{P}/{w.article.pk}/{w.published.pk}/embed/", PUBLIC),
    # An unpublished claim has no card.
    Entry("public-embed", "GET", lambda w: f"/f/{P}/{w.article.pk}/{w.claim.pk}/embed/", PUBLIC, 404),
    Entry("oembed", "GET", lambda w: f"/oembed/?url=http://testserver/f/{P}/{w.article.pk}/%23claim-{w.published.pk}", PUBLIC),
    Entry("oembed", "GET", lambda w: f"/oembed/?url=http://testserver/f/{P}/{w.article.pk}/%23claim-{w.claim.pk}", PUBLIC, 404),
    # The favicon, and the colours of a desk that has published (its public page needs them;
    # a desk with nothing published answers 404 to non-members: tests/views/test_session_expiry.py).
    Entry("favicon", "GET", lambda w: "/favicon.ico", PUBLIC),
    Entry("scale-stylesheet", "GET", lambda w: f"/f/{P}/ratings.css", PUBLIC),
    # --- pages for any logged-in user ---
    Entry("project-list", "GET", lambda w: "/", USER),
    Entry("profile", "GET", lambda w: "/profile/", USER),
    Entry("token-create", "POST", lambda w: "/profile/token/", USER, 302),
    Entry("token-revoke", "POST", lambda w: "/profile/token/revoke/", USER, 302),
    # --- reviewer pages and htmx endpoints ---
    Entry("article-list", "GET", lambda w: f"/p/{P}/", MEMBER),
    Entry("article-import", "GET", lambda w: f"/p/{P}/import/", MEMBER),
    Entry("article-import", "POST", lambda w: f"/p/{P}/import/", MEMBER, data=lambda w: {"text": "A fresh article.\n\nIt says things."}),
    Entry("source-search", "GET", lambda w: f"/p/{P}/sources/?q=council", MEMBER),
    Entry("review", "GET", lambda w: f"/articles/{w.article.pk}/", MEMBER),
    Entry("claims-panel", "GET", lambda w: f"/articles/{w.article.pk}/claims-panel/", MEMBER),
    Entry("claim-add", "POST", lambda w: f"/articles/{w.article.pk}/claims/", MEMBER, 302, data=lambda w: w.selection),
    Entry("claim-detail", "GET", lambda w: f"/claims/{w.claim.pk}/", MEMBER),
    Entry("claim-edit", "POST", lambda w: f"/claims/{w.claim.pk}/edit/", MEMBER, 302,
          data=lambda w: {"text": "The barrier cost 41 million euros.", "claimant": "The council", "version": w.claim.version}),
    Entry("verdict-save", "POST", lambda w: f"/claims/{w.fresh.pk}/verdict/", MEMBER, 302,
          data=lambda w: {"rating": w.false.pk, "rationale": "Budget papers say 44.", "version": 0}),
    Entry("evidence-add", "POST", lambda w: f"/claims/{w.claim.pk}/evidence/", MEMBER, 302,
          data=lambda w: {"url": "https://example.org/budget", "title": "Budget", "stance": "refutes"}),
    Entry("comment-add", "POST", lambda w: f"/claims/{w.claim.pk}/comments/", MEMBER, 302, data=lambda w: {"text": "Check the annex."}),
    # Sources (issue 15): the snapshot page, re-check; archive requests are off by default (a clear 409 for members).
    Entry("evidence-snapshot", "GET", lambda w: f"/claims/{w.claim.pk}/evidence/{w.evidence.pk}/snapshot/", MEMBER),
    Entry("source-recheck", "POST", lambda w: f"/claims/{w.claim.pk}/sources/{w.source.pk}/recheck/", MEMBER, 302),
    Entry("source-archive", "POST", lambda w: f"/claims/{w.claim.pk}/sources/{w.source.pk}/archive/", MEMBER, 409),
    Entry("claim-delete", "GET", lambda w: f"/claims/{w.fresh.pk}/delete/", MEMBER),
    # Only the reviewer who created a claim may delete it: the editor and admin are refused.
    Entry("claim-delete", "POST", lambda w: f"/claims/{w.fresh.pk}/delete/", MEMBER, 302, overrides={"editor": 403, "admin": 403}),
    Entry("claim-replace", "POST", lambda w: f"/claims/{w.claim.pk}/replace/", MEMBER, 302, data=lambda w: w.selection),
    # Dashboard: every member opens it (a reviewer sees their own workload); the desk's charts are for editors.
    Entry("dashboard", "GET", lambda w: f"/p/{P}/dashboard/", MEMBER),
    Entry("dashboard-csv", "GET", lambda w: f"/p/{P}/dashboard/workload.csv", MEMBER),
    Entry("dashboard-csv", "GET", lambda w: f"/p/{P}/dashboard/activity.csv", EDITOR),
    # Suggestions: the review page's section, accepting one (a claim) and dismissing one.
    Entry("suggestions-panel", "GET", lambda w: f"/articles/{w.article.pk}/suggestions/", MEMBER),
    Entry("suggestion-accept", "POST", lambda w: f"/articles/{w.article.pk}/suggestions/{_suggestion(w)}/accept/", MEMBER, 302),
    Entry("suggestion-dismiss", "POST", lambda w: f"/articles/{w.article.pk}/suggestions/{_suggestion(w)}/dismiss/", MEMBER, 302),
    # Desk memory: search, Checked before and its decisions, claimants; thresholds for admins.
    Entry("search", "GET", lambda w: f"/p/{P}/search/?q=barrier", MEMBER),
    Entry("checked-before", "GET", lambda w: f"/claims/{w.fresh.pk}/checked-before/", MEMBER),
    Entry("match-decide", "POST", lambda w: f"/claims/{w.fresh.pk}/checked-before/decide/", MEMBER, 302,
          data=lambda w: {"earlier": w.claim.pk, "decision": "dismissed"}),
    Entry("claimants", "GET", lambda w: f"/p/{P}/claimants/", MEMBER),
    Entry("claimant", "GET", lambda w: _claimant_url(w), MEMBER),
    Entry("match-thresholds", "GET", lambda w: f"/p/{P}/matching/", ADMIN),
    Entry("match-thresholds", "POST", lambda w: f"/p/{P}/matching/", ADMIN, 302, data=lambda w: {"match_suggest": "0.5", "match_autolink": "0.9"}),
    # --- editor ---
    Entry("editor-queue", "GET", lambda w: f"/p/{P}/queue/", EDITOR),
    Entry("claim-final", "POST", lambda w: f"/claims/{w.claim.pk}/final/", EDITOR, 302,
          data=lambda w: {"rating": w.false.pk, "final_rationale": "It cost 44 million.", "version": w.claim.version}),
    Entry("claim-status", "POST", lambda w: f"/claims/{w.claim.pk}/status/", EDITOR, 302,
          data=lambda w: {"status": "needs_second_opinion", "version": w.claim.version}),
    Entry("rating-scale", "GET", lambda w: f"/p/{P}/scale/", EDITOR),
    Entry("rating-add", "POST", lambda w: f"/p/{P}/scale/add/", EDITOR, 302,
          data=lambda w: {"new-label": "Satire", "new-value": "", "new-colour": "#123456", "new-description": "Not meant literally."}),
    Entry("rating-edit", "POST", lambda w: f"/p/{P}/scale/{w.mixed.pk}/", EDITOR, 302,
          data=lambda w: {f"rating-{w.mixed.pk}-label": "Half true", f"rating-{w.mixed.pk}-value": 3,
                          f"rating-{w.mixed.pk}-colour": "#9a6700", f"rating-{w.mixed.pk}-description": "Partly."}),
    Entry("rating-move", "POST", lambda w: f"/p/{P}/scale/{w.mixed.pk}/move/", EDITOR, 302, data=lambda w: {"direction": "up"}),
    Entry("rating-delete", "POST", lambda w: f"/p/{P}/scale/{w.unused.pk}/delete/", EDITOR, 302),
    # --- project admin ---
    Entry("project-members", "GET", lambda w: f"/p/{P}/members/", ADMIN),
    Entry("member-add", "POST", lambda w: f"/p/{P}/members/add/", ADMIN, 302, data=lambda w: {"username": "carol", "role": "reviewer"}),
    Entry("member-role", "POST", lambda w: f"/p/{P}/members/{w.erin_membership.pk}/role/", ADMIN, 302, data=lambda w: {"role": "editor"}),
    Entry("member-remove", "POST", lambda w: f"/p/{P}/members/{w.erin_membership.pk}/remove/", ADMIN, 302),
    # --- API: schema and docs are public; the rest needs a login (401 anonymous) ---
    Entry("api-schema", "GET", lambda w: "/api/schema/", PUBLIC),
    Entry("api-docs", "GET", lambda w: "/api/docs/", PUBLIC),
    _api("api:api-root", "GET", lambda w: "/api/v1/", USER),
    # Lists are scoped, not refused: a non-member sees an empty list.
    *[_api(f"api:{name}-list", "GET", lambda w, name=name: f"/api/v1/{name}s/", USER)
      for name in ("project", "article", "claim", "verdict", "source", "claimreview", "annotation")],
    _api("api:export-verdicts-csv", "GET", lambda w: "/api/v1/export/verdicts.csv", USER),
    _api("api:export-verdicts-jsonl", "GET", lambda w: "/api/v1/export/verdicts.jsonl", USER),
    _api("api:export-verdicts-json", "GET", lambda w: "/api/v1/export/verdicts.json", USER),
    _api("api:project-detail", "GET", lambda w: f"/api/v1/projects/{P}/", MEMBER),
    _api("api:article-detail", "GET", lambda w: f"/api/v1/articles/{w.article.pk}/", MEMBER),
    _api("api:claim-detail", "GET", lambda w: f"/api/v1/claims/{w.claim.pk}/", MEMBER),
    _api("api:verdict-detail", "GET", lambda w: f"/api/v1/verdicts/{w.verdict.pk}/", MEMBER),
    _api("api:source-detail", "GET", lambda w: f"/api/v1/sources/{w.source.pk}/", MEMBER),
    _api("api:source-recheck", "POST", lambda w: f"/api/v1/sources/{w.source.pk}/recheck/", MEMBER, 202),
    _api("api:claimreview-detail", "GET", lambda w: f"/api/v1/claimreviews/{w.published.pk}/", MEMBER),
    _api("api:annotation-detail", "GET", lambda w: f"/api/v1/annotations/{w.claim.pk}/", MEMBER),
    # Writes: an object named in the body that the user cannot see is a 400 on that field.
    _api("api:article-list", "POST", lambda w: "/api/v1/articles/", MEMBER, 201,
         data=lambda w: {"project": P, "title": "API import", "body": "Imported through the API."}, overrides={"outsider": 400, "superuser": 400}),
    _api("api:claim-list", "POST", lambda w: "/api/v1/claims/", MEMBER, 201,
         data=lambda w: {"article": w.article.pk, **w.selection}, overrides={"outsider": 400, "superuser": 400}),
    _api("api:claim-detail", "PATCH", lambda w: f"/api/v1/claims/{w.claim.pk}/", MEMBER,
         data=lambda w: {"version": w.claim.version, "claimant": "The mayor"}),
    _api("api:claim-detail", "PATCH", lambda w: f"/api/v1/claims/{w.claim.pk}/", EDITOR,
         data=lambda w: {"version": w.claim.version, "final_rating": w.false.pk, "final_rationale": "Settled."}),
    _api("api:verdict-list", "POST", lambda w: "/api/v1/verdicts/", MEMBER, 201,
         data=lambda w: {"claim": w.fresh.pk, "rating": w.false.pk, "rationale": "No."}, overrides={"outsider": 400, "superuser": 400}),
    # Only the reviewer who gave a verdict may change it.
    _api("api:verdict-detail", "PATCH", lambda w: f"/api/v1/verdicts/{w.verdict.pk}/", MEMBER,
         data=lambda w: {"version": w.verdict.version, "rationale": "Changed my mind."}, overrides={"editor": 403, "admin": 403}),
    _api("api:article-suggestions", "GET", lambda w: f"/api/v1/articles/{w.article.pk}/suggestions/", MEMBER),
    _api("api:suggestion-accept", "POST", lambda w: f"/api/v1/articles/{w.article.pk}/suggestions/{_suggestion(w)}/accept/", MEMBER, 201),
    _api("api:suggestion-dismiss", "POST", lambda w: f"/api/v1/articles/{w.article.pk}/suggestions/{_suggestion(w)}/dismiss/", MEMBER),
    # Workflow (issue 11): My work, assignments, unpublish, settings, notifications.
    Entry("my-work", "GET", lambda w: f"/p/{P}/mine/", MEMBER),
    Entry("next-claim", "GET", lambda w: f"/p/{P}/mine/next/", MEMBER, 302),
    Entry("project-settings", "GET", lambda w: f"/p/{P}/settings/", EDITOR),
    Entry("project-settings", "POST", lambda w: f"/p/{P}/settings/", EDITOR, 302, data=lambda w: {"required_verdicts": 2, "blind_review": "on"}),
    Entry("claim-assign", "GET", lambda w: f"/claims/{w.claim.pk}/assign/", MEMBER),
    # Reviewers may not assign anyone (they take an unassigned claim instead).
    Entry("claim-assign", "POST", lambda w: f"/claims/{w.claim.pk}/assign/", EDITOR, 302, data=lambda w: {"assignees": ["alice"], "version": w.claim.version}),
    Entry("claim-take", "POST", lambda w: f"/claims/{w.fresh.pk}/take/", MEMBER, 302),
    Entry("claim-unpublish", "GET", lambda w: f"/claims/{w.published.pk}/unpublish/", EDITOR),
    Entry("claim-unpublish", "POST", lambda w: f"/claims/{w.published.pk}/unpublish/", EDITOR, 302,
          data=lambda w: {"reason": "Source withdrawn.", "confirm": "on", "version": w.published.version}),
    Entry("article-assign", "GET", lambda w: f"/articles/{w.article.pk}/assign/", EDITOR),
    Entry("article-assign", "POST", lambda w: f"/articles/{w.article.pk}/assign/", EDITOR, 302, data=lambda w: {"assignees": ["alice"]}),
    Entry("notifications", "GET", lambda w: "/notifications/", USER),
    Entry("notification-bell", "GET", lambda w: "/notifications/bell/", USER),
    Entry("notifications-read-all", "POST", lambda w: "/notifications/read-all/", USER, 302),
    # A notification is its owner's only (alice's here): everyone else gets 404.
    Entry("notification-read", "POST", lambda w: f"/notifications/{w.notification.pk}/read/", USER, 404, overrides={"reviewer": 302}),
    _api("api:claim-detail", "PATCH", lambda w: f"/api/v1/claims/{w.claim.pk}/", EDITOR,
         data=lambda w: {"version": w.claim.version, "assignees": ["alice", "erin"]}),
    _api("api:search", "GET", lambda w: f"/api/v1/search/?project={P}&q=barrier", MEMBER),
    _api("api:claim-similar", "GET", lambda w: f"/api/v1/claims/{w.fresh.pk}/similar/", MEMBER),
    _api("api:claim-matches", "GET", lambda w: f"/api/v1/claims/{w.fresh.pk}/matches/", MEMBER),
    _api("api:claim-matches", "POST", lambda w: f"/api/v1/claims/{w.fresh.pk}/matches/", MEMBER,
         data=lambda w: {"earlier": w.claim.pk, "decision": "confirmed"}),
    # Read-only resources refuse writes for everyone logged in.
    _api("api:project-list", "POST", lambda w: "/api/v1/projects/", USER, 405),
    _api("api:source-list", "POST", lambda w: "/api/v1/sources/", USER, 405),
    _api("api:article-detail", "DELETE", lambda w: f"/api/v1/articles/{w.article.pk}/", USER, 405),
    # --- integrity: published means settled; a claim changed in revision (issue 18) ---
    # A settled claim's text, place, claimant and date change only through an editor: reviewers get 403.
    Entry("claim-edit", "POST", lambda w: f"/claims/{w.published.pk}/edit/", EDITOR, 302,
          data=lambda w: {"text": "Corrected wording.", "claimant": "", "version": w.published.version}),
    Entry("claim-replace", "POST", lambda w: f"/claims/{w.published.pk}/replace/", EDITOR, 302, data=lambda w: w.selection),
    _api("api:claim-detail", "PATCH", lambda w: f"/api/v1/claims/{w.published.pk}/", EDITOR,
         data=lambda w: {"version": w.published.version, "text": "Corrected wording."}),
    # A new text of an article with published claims: editors (the preview already says so to reviewers).
    Entry("article-import", "POST", lambda w: f"/p/{P}/import/", EDITOR,
          data=lambda w: {"text": w.article.body.replace("41 million", "14 million"), "revises": w.article.pk}),
    _api("api:article-revisions", "POST", lambda w: f"/api/v1/articles/{w.article.pk}/revisions/", EDITOR, 201,
         data=lambda w: {"body": w.article.body.replace("41 million", "14 million")}),
    _api("api:article-revisions", "POST", lambda w: f"/api/v1/articles/{w.draft.pk}/revisions/", MEMBER, 201,
         data=lambda w: {"body": "A draft article, revised."}),
    # Accept the new wording / orphan: any member on an open claim, editors on a published one.
    Entry("claim-accept-wording", "POST", lambda w: f"/claims/{w.changed.pk}/accept-wording/", MEMBER, 302,
          data=lambda w: {"version": w.changed.version}),
    Entry("claim-orphan", "POST", lambda w: f"/claims/{w.changed.pk}/orphan/", MEMBER, 302, data=lambda w: {"version": w.changed.version}),
    Entry("claim-accept-wording", "POST", lambda w: f"/claims/{w.changed_published.pk}/accept-wording/", EDITOR, 302,
          data=lambda w: {"version": w.changed_published.version}),
    Entry("claim-orphan", "POST", lambda w: f"/claims/{w.changed_published.pk}/orphan/", EDITOR, 302,
          data=lambda w: {"version": w.changed_published.version}),
]


# --- ADMIN RULE -----------------------------------------------------------------------
# Every pattern under admin/ is requested with GET. Anonymous visitors are sent to a login
# page: the app's (LoginRequiredMiddleware, for ModelAdmin views) or the admin's (the
# site-wide admin views are exempt from the middleware and redirect by themselves); logged-in
# users who are not Django staff to the admin login (302 to /admin/login/?next=…); the
# admin login page itself answers 200 to both, and its logout URL sends non-staff to the
# admin index (302). Project roles give no admin access: dora, a project admin, is
# refused like everyone else. The superuser gets 200, except: login (302: already logged
# in), logout (405: POST only), autocomplete without its query parameters (403),
# view-on-site (404: our models have no public URL), the catch-all (404), the unnamed
# legacy "<app>/<model>/<id>/" URLs (302 to the change page), adding
# django-axes login records by hand (403: axes forbids it), adding an API token by
# hand (403: a token is made where its key can be shown once, profile or create_token),
# and adding or deleting django-tasks' task results (403: only the queue writes them).


def _admin_expected(pattern_name, route):
    if pattern_name == "login":
        return {role: 200 for role in ROLES} | {"superuser": 302}
    if pattern_name == "logout":
        return {role: 302 for role in ROLES} | {"superuser": 405}
    refused = {role: ADMIN_LOGIN for role in ROLES} | {"anonymous": ANY_LOGIN}
    special = {"autocomplete": 403, "view_on_site": 404, None: 404, "legacy_change": 302}
    if (route.startswith("admin/axes/") or pattern_name == "annotate_apitoken_add") and pattern_name.endswith("_add"):
        special[pattern_name] = 403
    # django-tasks' task results are written by the queue only: the admin shows them, never adds or deletes.
    if route.startswith("admin/django_tasks_database/") and pattern_name.endswith(("_add", "_delete")):
        special[pattern_name] = 403
    return refused | {"superuser": special.get(pattern_name, 200)}


def walk(patterns, prefix="", namespace=None):
    """(route, qualified name, pattern) for every leaf pattern, through includes."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name, pattern


def _admin_url(world, route, name, pattern):
    """Fill an admin pattern's parameters from the fixtures: a real object of its model."""
    if name is None:
        if "object_id" not in pattern.pattern.regex.groupindex:
            return "/admin/no-such-page/"  # the admin's catch-all
        # The unnamed legacy "<object_id>/" URL of each model, which redirects to its change page.
        app_label, model_name = route.split("/")[1:3]
        obj = apps.get_model(app_label, model_name)._default_manager.order_by("pk").first()
        return "/" + route.replace("<path:object_id>", str(obj.pk))
    short = name.split(":", 1)[1]
    groups = set(pattern.pattern.regex.groupindex)
    kwargs = {}
    if "app_label" in groups:
        kwargs["app_label"] = "annotate"
    if "content_type_id" in groups:
        kwargs["content_type_id"] = ContentType.objects.get_for_model(world.article).pk
        kwargs["object_id"] = world.article.pk
    elif "object_id" in groups or "id" in groups:
        model = next(m for m in admin_site._registry if short.startswith(f"{m._meta.app_label}_{m._meta.model_name}_"))
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"no {model._meta.label} in the fixtures to fill {route}"
        kwargs["object_id" if "object_id" in groups else "id"] = obj.pk
    return reverse(name, kwargs=kwargs)


@pytest.fixture
def world(cast):
    """The cast plus one of everything, so every URL parameter points at a real object."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    root = make_user("root")
    root.is_staff = root.is_superuser = True
    root.save()
    project, article, alice, erin, bob = cast.project, cast.article, cast.alice, cast.erin, cast.bob
    false, mixed = rating(project, "False"), rating(project, "Mixed")
    claim = make_claim(article, "41 million euros", alice)
    verdict = services.save_verdict(claim, alice, false, "Budget papers say 44.")
    fresh = make_claim(article, "12,000 homes", alice)
    published = make_claim(article, "about 20 times a year", erin)
    services.save_verdict(published, erin, mixed, "Depends on the storms.")
    published = services.settle_claim(published, bob, published.version, mixed, "Forecasts vary between 15 and 25.")
    published = services.publish(published, bob, published.version)
    evidence = services.add_evidence(claim, alice, url="https://example.org/council-report", stance="refutes", title="Council report")
    services.add_comment(claim, erin, "The annex has the real figure.")
    tasks.verify_evidence.enqueue(evidence.pk)  # a queued task row (django_tasks_db's admin pages)
    draft = make_article(project, body="A draft article without anything published.", title="Draft", user=alice)
    unused = project.ratings.create(label="Pants on fire", value=None, colour="#000000", position=9)
    Group.objects.create(name="Desk editors")
    ApiToken.objects.issue(bob)
    AccessAttempt.objects.create(username="alice", ip_address="203.0.113.1", failures_since_start=1, user_agent="t", get_data="", post_data="")
    AccessLog.objects.create(username="alice", ip_address="203.0.113.1", user_agent="t")
    AccessFailureLog.objects.create(username="alice", ip_address="203.0.113.1", user_agent="t", locked_out=False)
    from annotate.models import Notification

    notification = Notification.objects.create(user=alice, project=project, claim=claim, kind="mention", text="erin mentioned you")
    changed, changed_published = _changed_in_revision(project, alice, bob, erin, mixed)
    body = article.body
    start = body.index("three years late")
    return SimpleNamespace(
        users={"anonymous": None, "outsider": cast.carol, "reviewer": alice, "editor": bob, "admin": cast.dora, "superuser": root},
        notification=notification,
        article=article, draft=draft, claim=claim, fresh=fresh, published=published, verdict=verdict,
        source=evidence.source, evidence=evidence, false=false, mixed=mixed, unused=unused, changed=changed, changed_published=changed_published,
        erin_membership=Membership.objects.get(project=project, user=erin),
        selection={"start": start, "end": start + len("three years late"), "quote": "three years late"},
    )


def _changed_in_revision(project, alice, bob, erin, mixed):
    """An article whose revision changed the words of two claims: one open, one published."""
    from annotate.extract import Extracted
    from annotate.models import Claim

    body = "Port figures\n\nThe port moved 9 million containers.\n\nThe port employs 4,000 people."
    article = make_article(project, body=body, title="Port figures", user=alice)
    changed = make_claim(article, "9 million containers", alice)
    published = make_claim(article, "employs 4,000 people", erin)
    services.save_verdict(published, erin, mixed, "Roughly.")
    published = services.settle_claim(published, bob, published.version, mixed, "Between 3,500 and 4,500.")
    published = services.publish(published, bob, published.version)
    services.revise_article(article, bob, Extracted(title="", body=body.replace("9 million", "8 million").replace("4,000", "3,000")))
    return Claim.objects.get(pk=changed.pk), Claim.objects.get(pk=published.pk)


class _Rollback(Exception):
    pass


def _clients(world):
    """One logged-in client per role, reused: logging in for each of ~1,000 requests is slow."""
    return {role: Client(raise_request_exception=False) for role in ROLES}


def _request(world, clients, role, method, path, data, api):
    client = clients[role]
    user = world.users[role]
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if user is not None and (cookie is None or not cookie.value):
        client.force_login(user)  # first use, or the previous cell logged out
    response = None
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.get(path)
            elif api:
                response = client.generic(method, path, data=json.dumps(data), content_type="application/json")
            else:
                response = client.post(path, data)
            raise _Rollback
    except _Rollback:
        pass
    return response


def _outcome_matches(expected, response):
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith("/login/?next=")
    if expected == ANY_LOGIN:
        return response.status_code == 302 and response["Location"].startswith(("/login/?next=", "/admin/login/?next="))
    if expected == ADMIN_LOGIN:
        return response.status_code == 302 and response["Location"].startswith("/admin/login/?next=")
    return response.status_code == expected


def _describe(response):
    where = f" → {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{where}"


def test_every_url_answers_each_role_as_the_matrix_says(world, capsys):
    patterns = list(walk(get_resolver().url_patterns))
    covered = {entry.name for entry in MATRIX}
    missing = [f"{route} (name={name!r})" for route, name, _ in patterns if not route.startswith("admin/") and name not in covered]
    assert not missing, "URL patterns without an entry in the permissions matrix: " + "; ".join(missing)
    known = {name for route, name, _ in patterns}
    stale = covered - known
    assert not stale, f"matrix entries for URLs that no longer exist: {sorted(stale)}"

    cases = [(entry.name, entry.method, entry.url(world), entry.data(world), entry.api, entry.expected()) for entry in MATRIX]
    for route, name, pattern in patterns:
        if route.startswith("admin/"):
            short = name.split(":", 1)[1] if name else ("legacy_change" if "object_id" in pattern.pattern.regex.groupindex else None)
            cases.append((name or route, "GET", _admin_url(world, route, name, pattern), {}, False, _admin_expected(short, route)))

    wrong = []
    clients = _clients(world)
    for name, method, path, data, api, expected in cases:
        for role in ROLES:
            response = _request(world, clients, role, method, path, data, api)
            if not _outcome_matches(expected[role], response):
                wrong.append(f"{method} {path} ({name}) as {role}: expected {expected[role]}, got {_describe(response)}")
    with capsys.disabled():
        print(f"\npermissions matrix: {len(patterns)} URL patterns, {len(cases)} cases × {len(ROLES)} roles = {len(cases) * len(ROLES)} requests")
    assert not wrong, f"{len(wrong)} cells differ from the matrix:\n" + "\n".join(wrong)
