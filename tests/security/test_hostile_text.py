"""Hostile text is shown as text everywhere: pages, htmx fragments, the public page and
its JSON-LD, the admin, the API and the exports.

Every user-typed place holds every payload at once. Each response is parsed (not
grepped) and audited: no element carries an event-handler attribute, no link or form
points at javascript:/data:, no <script> runs inline (only /static/ files and JSON data
blocks), no injected iframe/object/img/base, no comment swallowed page text; and the
payloads appear in the page's *text*, i.e. they were shown, escaped, not dropped.
"""

import csv
import io
import json
from html.parser import HTMLParser

import pytest
from django.test import Client

from annotate import services
from annotate.models import Claim, Rating
from tests.conftest import make_user, rating
from tests.security.hostile_data import HOSTILE, PAYLOADS, PLACES, SHORT, build_hostile

MARKER = PAYLOADS[0]  # must be visible, as text, wherever hostile text is shown


class Audit(HTMLParser):
    """Collects what would run in a browser, and the text a reader would see."""

    # The app draws inline <svg> icons itself; an injected one is caught by its on* attribute.
    DANGEROUS_TAGS = {"iframe", "object", "embed", "base", "frame"}
    URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self.text, self.jsonld = [], [], []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name in self.URL_ATTRS and value and value.strip().lower().startswith(("javascript:", "data:text", "vbscript:")):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self.problems.append(f"<{tag} style=…> inline style (the CSP forbids it)")
        if tag in self.DANGEROUS_TAGS:
            self.problems.append(f"<{tag}> element")
        if tag == "img" and not (attrs.get("src") or "").startswith(("/static/", "data:image/")):
            self.problems.append(f"<img src={attrs.get('src')!r}>")
        if tag == "script":
            kind = attrs.get("type", "")
            if kind in ("application/ld+json", "application/json"):
                self._script = kind
            elif (attrs.get("src") or "").startswith("/static/") or attrs.get("src") == "/admin/jsi18n/":
                self._script = "file"
            else:
                self._script = "inline"
                self.problems.append(f"<script {attrs}> that is not a static file")
            self.jsonld.append([kind, ""]) if kind == "application/ld+json" else None

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script == "application/ld+json":
            self.jsonld[-1][1] += data
        elif self._script == "file" and data.strip():
            self.problems.append("a <script src> with inline content")
        elif self._script is None:
            self.text.append(data)

    def handle_comment(self, data):
        if "pwned" in data or "alert" in data:
            self.problems.append("an injected <!-- comment swallowed page text")


def audit(response, *, shows_text=True, context="", status=200):
    assert response.status_code == status, f"{context}: {response.status_code}"
    parser = Audit()
    parser.feed(response.content.decode())
    parser.close()
    assert not parser.problems, f"{context}: {sorted(set(parser.problems))}"
    if shows_text:
        assert MARKER in "".join(parser.text), f"{context}: hostile text not shown as text"
    return parser


@pytest.fixture
def hostile(cast):
    return build_hostile(cast)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _pages(h):
    a, c, slug = h.hostile_article, h.claim, h.project.slug
    return [
        ("/", h.alice, True),
        (f"/p/{slug}/", h.alice, True),
        (f"/p/{slug}/import/", h.alice, False),
        (f"/articles/{a.pk}/", h.alice, True),
        (f"/claims/{c.pk}/", h.alice, True),
        (f"/claims/{h.on_quote.pk}/", h.mallory, True),
        (f"/claims/{c.pk}/delete/", h.alice, True),
        (f"/p/{slug}/queue/", h.bob, True),
        (f"/p/{slug}/queue/?status=published", h.bob, False),
        (f"/p/{slug}/scale/", h.bob, False),
        (f"/p/{slug}/members/", h.dora, False),
        (f"/p/{slug}/sources/?q=Source", h.alice, True),
        ("/profile/", h.mallory, True),
    ]


def test_every_page_shows_hostile_text_as_text(hostile):
    for path, user, shows in _pages(hostile):
        audit(_client(user).get(path), shows_text=shows, context=path)


def test_the_username_and_rating_label_are_shown_as_text(hostile):
    members = audit(_client(hostile.dora).get(f"/p/{hostile.project.slug}/members/"), shows_text=False, context="members")
    assert SHORT in "".join(members.text)
    scale = audit(_client(hostile.bob).get(f"/p/{hostile.project.slug}/scale/"), shows_text=False, context="scale")
    assert SHORT in "".join(scale.text)


@pytest.mark.parametrize("path, who", [
    ("/login/?next={p}", None), ("/p/{slug}/sources/?q={p}", "alice"), ("/p/{slug}/?page={p}", "alice"),
    ("/p/{slug}/queue/?status={p}&article={p}", "bob"), ("/p/{slug}/import/?revises={p}", "alice"), ("/claims/{c}/?next={p}", "alice"),
])
def test_hostile_query_strings_are_not_reflected_as_markup(hostile, client, path, who):
    from urllib.parse import quote

    if who:
        client.force_login(getattr(hostile, who))
    url = path.format(p=quote(HOSTILE), slug=hostile.project.slug, c=hostile.claim.pk)
    audit(client.get(url), shows_text=False, context=url)


@pytest.mark.parametrize("path", ["/articles/{a}/claims-panel/", "/claims/{c}/", "/claims/{q}/"])
def test_htmx_fragments_show_hostile_text_as_text(hostile, path):
    url = path.format(a=hostile.hostile_article.pk, c=hostile.claim.pk, q=hostile.on_quote.pk)
    audit(_client(hostile.alice).get(url, HTTP_HX_REQUEST="true"), context=url)


def test_fragments_answering_a_write_show_hostile_text_as_text(hostile):
    client = _client(hostile.alice)
    claim = hostile.claim
    audit(client.post(f"/claims/{claim.pk}/comments/", {"text": HOSTILE}, HTTP_HX_REQUEST="true"), context="comment-add")
    # The claim is published: its text is changed by an editor (a reviewer gets 403, issue 18).
    audit(_client(hostile.bob).post(f"/claims/{claim.pk}/edit/", {"text": HOSTILE, "claimant": HOSTILE[:200], "version": claim.version},
                                    HTTP_HX_REQUEST="true"), context="claim-edit")
    body = hostile.hostile_article.body
    start = body.index(PAYLOADS[3])
    response = client.post(f"/articles/{hostile.hostile_article.pk}/claims/",
                           {"start": start, "end": start + len(PAYLOADS[3]), "quote": PAYLOADS[3]}, HTTP_HX_REQUEST="true")
    parser = audit(response, shows_text=False, context="claim-add")
    assert PAYLOADS[3] in "".join(parser.text)
    audit(client.post(f"/claims/{claim.pk}/comments/", {"text": ""}, HTTP_HX_REQUEST="true"), context="comment error", status=422)


def test_the_editor_fragments_show_hostile_text_as_text(hostile):
    claim = hostile.claim
    response = _client(hostile.bob).post(
        f"/claims/{claim.pk}/final/",
        {"rating": rating(hostile.project, "False").pk, "final_rationale": HOSTILE, "version": claim.version, "correction_note": HOSTILE},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    audit(response, shows_text=False, context="claim-final")


def test_the_public_page_shows_hostile_text_as_text_and_its_json_ld_parses_back(hostile, client):
    response = client.get(f"/f/{hostile.project.slug}/{hostile.hostile_article.pk}/")
    parser = audit(response, context="public page")
    blocks = [json.loads(text) for kind, text in parser.jsonld]
    assert len(blocks) == 2
    for kind, text in parser.jsonld:
        # Inside <script>, nothing may close the element or open a comment.
        assert "</" not in text and "<!--" not in text and "<" not in text
    claims = {c.text: c for c in Claim.objects.filter(article=hostile.hostile_article)}
    for block in blocks:
        claim = claims[block["claimReviewed"]]  # exact text round-trips
        assert block["reviewBody"] == claim.final_rationale
        assert block["itemReviewed"]["appearance"]["headline"] == hostile.hostile_article.title
        assert block["itemReviewed"]["appearance"]["publisher"]["name"] == hostile.hostile_article.publisher
    assert HOSTILE in {block["claimReviewed"] for block in blocks}  # the claim whose text is every payload


@pytest.fixture
def superuser(db):
    root = make_user("root")
    root.is_staff = root.is_superuser = True
    root.save()
    return root


def test_the_admin_shows_hostile_text_as_text(hostile, superuser):
    client = _client(superuser)
    from annotate.models import Article, Comment, Evidence, HistoryEntry, Source, Span, Verdict

    objects = {
        "annotate/project": hostile.project, "annotate/article": hostile.hostile_article, "annotate/claim": hostile.claim,
        "annotate/verdict": Verdict.objects.filter(claim=hostile.claim).first(), "annotate/comment": Comment.objects.first(),
        "annotate/source": Source.objects.first(), "annotate/evidence": Evidence.objects.first(), "annotate/span": Span.objects.last(),
        "annotate/historyentry": HistoryEntry.objects.first(), "annotate/rating": Rating.objects.get(label=SHORT),
        "auth/user": hostile.mallory, "annotate/articlerevision": hostile.hostile_article.revisions.first(),
    }
    assert Article.objects.filter(pk=hostile.hostile_article.pk).exists()
    for prefix, obj in objects.items():
        for path in (f"/admin/{prefix}/", f"/admin/{prefix}/{obj.pk}/change/", f"/admin/{prefix}/{obj.pk}/history/"):
            # Change lists show truncated or other columns; what matters there is that nothing runs.
            audit(client.get(path), shows_text=False, context=path)
        form = audit(client.get(f"/admin/{prefix}/{obj.pk}/delete/"), shows_text=False, context=f"{prefix} delete")
        assert "".join(form.text)
    article_form = client.get(f"/admin/annotate/article/{hostile.hostile_article.pk}/change/").content.decode()
    # In a form the hostile text sits inside <textarea>/value="…", escaped, so it is edited as text.
    assert "&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt;" in article_form


def test_the_api_returns_hostile_text_verbatim_as_json(hostile):
    client = _client(hostile.bob)
    for path in ("/api/v1/claims/", "/api/v1/verdicts/", "/api/v1/sources/", f"/api/v1/articles/{hostile.hostile_article.pk}/",
                 "/api/v1/claimreviews/", "/api/v1/annotations/", "/api/v1/export/verdicts.json"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "json" in response["Content-Type"], (path, response["Content-Type"])
        text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        # Not HTML-escaped (JSON consumers would show "&lt;"), not mangled: the exact payload.
        assert PAYLOADS[0] in json.dumps(json.loads(text), ensure_ascii=False), path
        assert "&lt;script" not in text, path


def test_the_csv_export_neutralises_spreadsheet_formulas(hostile):
    claim = hostile.claim
    services.save_verdict(claim, hostile.alice, rating(hostile.project, "False"), '=HYPERLINK("https://evil.example","click")')
    response = _client(hostile.bob).get("/api/v1/export/verdicts.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    rationales = [row["rationale"] for row in rows]
    assert "'=HYPERLINK(\"https://evil.example\",\"click\")" in rationales
    assert not any(value[:1] in "=+-@" for row in rows for value in row.values() if value and not value[:1].isdigit() and value[:1] != "-")


def test_the_tally_of_payloads_and_places(capsys):
    with capsys.disabled():
        print(f"\nhostile text: {len(PAYLOADS)} payloads × {len(PLACES)} places = {len(PAYLOADS) * len(PLACES)}")
    assert len(PAYLOADS) * len(PLACES) >= 150


@pytest.mark.parametrize("snippet", [
    "<p>x<script>alert(1)</script></p>", '<img src=x onerror="alert(1)">', "<svg onload=alert(1)>",
    '<a href=" javascript:alert(1)">x</a>', "<iframe src=//evil.example></iframe>", "<p>ok<!-- alert(1) --></p>",
    '<script type="application/ld+json">{}</script><script>window.__pwned=1</script>',
])
def test_the_audit_catches_what_it_looks_for(snippet):
    parser = Audit()
    parser.feed(snippet)
    assert parser.problems, snippet
