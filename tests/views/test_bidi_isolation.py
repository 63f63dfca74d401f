"""Every user-supplied string is rendered isolated, in <bdi> or under dir="auto" (issue 18,
item 8, rendering side; issue 12, item 6): right-to-left text cannot reorder the page's own
words around it. Each page is parsed and every occurrence of the planted strings is checked."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from annotate import services
from annotate.models import Project
from tests.conftest import make_article, make_claim, rating

pytestmark = pytest.mark.django_db

MARK = "مرحبا"  # Arabic: the planted strings start right to left
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Isolation(HTMLParser):
    """Collects the text runs holding MARK that have no <bdi> or dir= ancestor (in <body>, outside <script>/<title>)."""

    def __init__(self):
        super().__init__()
        self.stack, self.bare = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, tag == "bdi" or any(name == "dir" for name, _ in attrs)))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        if MARK in data and "body" in tags and not {"script", "title", "option", "textarea"} & set(tags):
            if not any(isolated for _, isolated in self.stack):
                self.bare.append((">".join(tags[-3:]), data.strip()[:60]))


def bare_strings(html):
    parser = Isolation()
    parser.feed(html)
    return parser.bare


@pytest.fixture
def world(cast):
    Project.objects.filter(pk=cast.project.pk).update(name=f"{MARK} desk")
    cast.project.refresh_from_db()
    article = make_article(cast.project, body=f"{MARK} opening.\n\nThe harbour cost 41 million, said {MARK}.",
                           title=f"{MARK} title", publisher=f"{MARK} press", author=f"{MARK} author", user=cast.alice)
    claim = make_claim(article, "The harbour cost 41 million", cast.alice, text=f"{MARK} restated", claimant=f"{MARK} claimant")
    services.add_evidence(claim, cast.alice, url="https://example.org/a", stance="refutes", title=f"{MARK} source",
                          publisher=f"{MARK} publisher", excerpt=f"{MARK} excerpt", note=f"{MARK} note")
    services.add_comment(claim, cast.alice, f"{MARK} comment")
    services.save_verdict(claim, cast.alice, rating(cast.project, "False"), f"{MARK} rationale")
    claim.refresh_from_db()
    claim = services.settle_claim(claim, cast.bob, claim.version, rating(cast.project, "False"), f"{MARK} final")
    claim = services.publish(claim, cast.bob, claim.version)
    return article, claim


def test_the_review_page_and_the_claim_panel_isolate_every_user_string(client, cast, world):
    article, claim = world
    client.force_login(cast.alice)
    for url in (reverse("review", args=[article.pk]), reverse("claim-detail", args=[claim.pk])):
        html = client.get(url).content.decode()
        assert html.count(MARK) >= 8, url
        assert bare_strings(html) == [], url


def test_lists_and_public_pages_isolate_every_user_string(client, cast, world):
    article, claim = world
    slug = cast.project.slug
    for url in (reverse("public-article", args=[slug, article.pk]), reverse("public-index", args=[slug]),
                reverse("public-embed", args=[slug, article.pk, claim.pk])):
        html = client.get(url).content.decode()
        assert MARK in html and bare_strings(html) == [], url
    client.force_login(cast.alice)
    for url in (reverse("project-list"), reverse("article-list", args=[slug]), reverse("profile")):
        html = client.get(url).content.decode()
        assert MARK in html and bare_strings(html) == [], url


def test_the_checker_finds_a_bare_string():
    assert bare_strings(f"<html><body><p>by {MARK}</p><p><bdi>{MARK}</bdi></p></body></html>") == [("html>body>p", f"by {MARK}")]
