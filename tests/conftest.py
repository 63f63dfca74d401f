"""The cast, shared by every test: alice (reviewer), bob (editor), dora (admin),
carol (outsider: member of another project only), plus a project with an article.

Factories are plain functions (`make_article`, `make_claim`, …) so tests build exactly
the data they need.
"""

import os

import pytest

# Playwright runs an event loop in the test thread; the ORM calls the tests make
# after it starts are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Headers of an htmx request, for fragment views.
HX = {"HX-Request": "true"}

ARTICLE_BODY = (
    "Harbour city opens new tidal barrier\n\n"
    "The council said the barrier cost 41 million euros and protects 12,000 homes.\n\n"
    "Critics claim the project ran three years late, which the mayor denies.\n\n"
    "Engineers expect the barrier to close about 20 times a year by 2040."
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_user(username, password="pw-for-tests-only"):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username=username, password=password, email=f"{username}@example.org")


def make_project(slug="harbour-desk", name="Harbour desk", **members):
    """members: username=role, e.g. make_project(alice="reviewer")."""
    from annotate.models import Membership, Project

    project = Project.objects.create(slug=slug, name=name)
    for user, role in members.items():
        Membership.objects.create(project=project, user=user if not isinstance(user, str) else _user(user), role=role)
    return project


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def make_article(project, body=ARTICLE_BODY, title="Tidal barrier opens", user=None, **fields):
    from annotate import services
    from annotate.extract import Extracted

    extracted = Extracted(title=title, body=body, **fields)
    return services.import_article(project, user, extracted)


def make_claim(article, quote, user, occurrence=0, **fields):
    """A claim on the `occurrence`-th appearance of `quote` in the article body."""
    from annotate import services

    start = -1
    for _ in range(occurrence + 1):
        start = article.body.index(quote, start + 1)
    return services.add_claim(article, user, start, start + len(quote), quote, **fields)


def rating(project, label):
    return project.ratings.get(label=label)


@pytest.fixture
def cast(db):
    """alice reviewer, erin second reviewer, bob editor, dora admin in `project`; carol in `other` only."""
    from types import SimpleNamespace

    alice, erin, bob, dora, carol = (make_user(n) for n in ("alice", "erin", "bob", "dora", "carol"))
    project = make_project()
    from annotate.models import Membership

    for user, role in ((alice, "reviewer"), (erin, "reviewer"), (bob, "editor"), (dora, "admin")):
        Membership.objects.create(project=project, user=user, role=role)
    other = make_project(slug="other-desk", name="Other desk")
    Membership.objects.create(project=other, user=carol, role="admin")
    article = make_article(project, user=alice)
    return SimpleNamespace(alice=alice, erin=erin, bob=bob, dora=dora, carol=carol, project=project, other=other, article=article)
