"""The import page: paste, upload or URL → preview of the cleaned text → save (or a revision)."""

import http.server

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotate.models import Article, ArticleRevision, Claim, Span
from tests.conftest import make_article, make_claim
from tests.localserver import serve

pytestmark = pytest.mark.django_db

PASTED = (
    "Port traffic doubles\n"
    "\n"
    "The harbour handled 2 million containers last year, double the year before.\n"
    "[show_poll poll_id=7626]\n"
    "The port authority expects growth to slow.\n"
)
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


def url(project):
    return reverse("article-import", args=[project.slug])


def preview(client, project, **data):
    return client.post(url(project), {"step": "preview", **data})


def save_data(response, **changes):
    """The step-2 form as the browser would post it back, with `changes` applied."""
    form = response.context["save_form"]
    data = {"step": "save"}
    for name, field in form.fields.items():
        value = form.initial.get(name)
        data[name] = "" if value is None else getattr(value, "pk", value)
    data.update(changes)
    return data


@pytest.fixture
def reviewer(client, cast):
    client.force_login(cast.alice)
    return cast


# --- access ---------------------------------------------------------------------------


def test_a_reviewer_gets_the_import_form(client, reviewer):
    response = client.get(url(reviewer.project))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text
    assert 'name="text"' in response.text and 'name="file"' in response.text and 'name="url"' in response.text


def test_an_outsider_gets_404_and_imports_nothing(client, cast):
    client.force_login(cast.carol)
    assert client.get(url(cast.project)).status_code == 404
    assert preview(client, cast.project, text=PASTED).status_code == 404
    assert Article.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, cast):
    response = client.get(url(cast.project))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert preview(client, cast.project, text=PASTED).status_code == 302


# --- paste ----------------------------------------------------------------------------


def test_the_preview_shows_the_cleaned_text_and_saves_nothing(client, reviewer):
    response = preview(client, reviewer.project, text=PASTED)
    assert response.status_code == 200
    assert "<p>The harbour handled 2 million containers last year, double the year before.</p>" in response.text
    assert "<p>The port authority expects growth to slow.</p>" in response.text
    assert "show_poll" not in response.text
    assert response.context["save_form"].initial["title"] == "Port traffic doubles"
    assert Article.objects.count() == 1


def test_saving_the_preview_creates_one_article_at_revision_1(client, reviewer):
    response = client.post(url(reviewer.project), save_data(preview(client, reviewer.project, text=PASTED), author="R. Writer"))
    article = Article.objects.exclude(pk=reviewer.article.pk).get()
    assert response.status_code == 302
    assert response.url == f"/articles/{article.pk}/"
    assert article.title == "Port traffic doubles"
    assert article.body == (
        "The harbour handled 2 million containers last year, double the year before.\n\n"
        "The port authority expects growth to slow."
    )
    assert (article.revision, article.author, article.created_by) == (1, "R. Writer", reviewer.alice)
    assert list(ArticleRevision.objects.filter(article=article).values_list("number", flat=True)) == [1]
    assert Article.objects.count() == 2


def test_a_given_title_keeps_the_first_line_in_the_body(client, reviewer):
    response = preview(client, reviewer.project, text=PASTED, title="My title")
    assert response.context["save_form"].initial["title"] == "My title"
    assert "<p>Port traffic doubles</p>" in response.text


def test_markup_in_pasted_text_is_shown_as_text(client, reviewer):
    response = preview(client, reviewer.project, text="Headline\n\nThe <script>alert(1)</script> mayor said <b>no</b>.")
    assert "<script>alert(1)</script>" not in response.text
    assert "The &lt;script&gt;alert(1)&lt;/script&gt; mayor said &lt;b&gt;no&lt;/b&gt;." in response.text


def test_the_browsers_crlf_line_endings_are_cleaned_again_on_save(client, reviewer):
    data = save_data(preview(client, reviewer.project, text=PASTED))
    data["body"] = data["body"].replace("\n", "\r\n")  # what a form submission sends
    assert client.post(url(reviewer.project), data).status_code == 302
    assert Article.objects.filter(title="Port traffic doubles").get().body.count("\r") == 0


def test_a_tampered_body_is_refused_and_nothing_is_saved(client, reviewer):
    data = save_data(preview(client, reviewer.project, text=PASTED))
    data["body"] += "\n\nA sentence the preview never showed."
    response = client.post(url(reviewer.project), data)
    assert response.status_code == 400
    assert "differs from the preview" in response.text
    assert Article.objects.count() == 1


def test_a_forged_signature_is_refused(client, reviewer):
    data = save_data(preview(client, reviewer.project, text=PASTED), body="Forged text.", signature="forged")
    response = client.post(url(reviewer.project), data)
    assert response.status_code == 400
    assert "could not be verified" in response.text
    assert Article.objects.count() == 1


def test_a_preview_signed_for_another_user_is_refused(client, reviewer):
    data = save_data(preview(client, reviewer.project, text=PASTED))
    client.force_login(reviewer.erin)
    assert client.post(url(reviewer.project), data).status_code == 400
    assert Article.objects.count() == 1


def test_metadata_is_checked_on_save(client, reviewer):
    data = save_data(preview(client, reviewer.project, text=PASTED), source_url="javascript:alert(1)", published="not a date")
    response = client.post(url(reviewer.project), data)
    assert response.status_code == 400
    assert set(response.context["save_form"].errors) == {"source_url", "published"}
    # The preview stays on screen with the errors, so nothing typed is lost.
    assert "<p>The port authority expects growth to slow.</p>" in response.text
    assert Article.objects.count() == 1


# --- upload ---------------------------------------------------------------------------


def test_a_text_file_is_imported_like_pasted_text(client, reviewer):
    upload = SimpleUploadedFile("port.txt", PASTED.encode("cp1252"), content_type="text/plain")
    response = preview(client, reviewer.project, file=upload)
    assert response.status_code == 200
    assert "<p>The port authority expects growth to slow.</p>" in response.text


def test_a_markdown_file_takes_its_title_from_the_heading(client, reviewer):
    upload = SimpleUploadedFile("port.md", b"# Port traffic\n\nThe harbour *handled* more.\n\n## Outlook\n\nSlower growth.", content_type="text/markdown")
    response = preview(client, reviewer.project, file=upload)
    assert response.context["save_form"].initial["title"] == "Port traffic"
    assert "<p>The harbour handled more.</p>" in response.text and "<p>Outlook</p>" in response.text


def test_an_html_file_loses_its_scripts_and_navigation(client, reviewer):
    page = (
        b"<!doctype html><html><head><title>Port traffic</title><script>alert('x')</script></head>"
        b"<body><nav>Home | News</nav><article><h1>Port traffic</h1><p>The harbour handled more.</p>"
        b"<p>Growth will slow.</p></article><footer>Share this</footer></body></html>"
    )
    response = preview(client, reviewer.project, file=SimpleUploadedFile("port.html", page, content_type="text/html"))
    assert response.status_code == 200
    assert "<p>The harbour handled more.</p>" in response.text
    assert "alert(" not in response.text and "Home | News" not in response.text


def test_a_binary_file_is_refused(client, reviewer):
    response = preview(client, reviewer.project, file=SimpleUploadedFile("photo.txt", PNG_HEADER + bytes(200), content_type="text/plain"))
    assert response.status_code == 400
    assert "binary file (PNG image)" in response.text
    assert Article.objects.count() == 1


def test_an_oversized_file_is_refused(client, reviewer, settings):
    settings.FACTMARK_MAX_ARTICLE_BYTES = 1_000
    response = preview(client, reviewer.project, file=SimpleUploadedFile("long.txt", b"Word. " * 300, content_type="text/plain"))
    assert response.status_code == 400
    assert "the limit is 1,000" in response.text
    assert Article.objects.count() == 1


def test_oversized_pasted_text_is_refused(client, reviewer, settings):
    settings.FACTMARK_MAX_ARTICLE_BYTES = 1_000
    response = preview(client, reviewer.project, text="Title\n\n" + "Word. " * 300)
    assert response.status_code == 400
    assert "the limit is 1,000" in response.text


def test_an_undecodable_file_is_refused(client, reviewer):
    # A UTF-8 byte-order mark followed by bytes that are not UTF-8.
    response = preview(client, reviewer.project, file=SimpleUploadedFile("odd.txt", b"\xef\xbb\xbfTitle\n\n\xff\xfe\xc3\x28 text", content_type="text/plain"))
    assert response.status_code == 400
    assert "Could not work out the text encoding" in response.text
    assert Article.objects.count() == 1


@pytest.mark.parametrize("data", [{"text": ""}, {"text": "   \n\n  "}, {"text": "[show_poll poll_id=1]"}], ids=["nothing", "whitespace", "only-a-shortcode"])
def test_empty_input_is_refused(client, reviewer, data):
    response = preview(client, reviewer.project, **data)
    assert response.status_code == 400
    assert response.context["source_form"].errors
    assert Article.objects.count() == 1


def test_an_empty_file_is_refused(client, reviewer):
    response = preview(client, reviewer.project, file=SimpleUploadedFile("empty.txt", b"", content_type="text/plain"))
    assert response.status_code == 400
    assert Article.objects.count() == 1


def test_two_sources_at_once_are_refused(client, reviewer):
    response = preview(client, reviewer.project, text=PASTED, url="https://example.org/story")
    assert response.status_code == 400
    assert "Use only one of" in response.text


# --- URL ------------------------------------------------------------------------------


PAGE = (
    "<!doctype html><html><head><title>Port traffic doubles</title>"
    '<meta property="og:site_name" content="Harbour Times"></head><body><nav>Menu</nav><article>'
    "<h1>Port traffic doubles</h1><p>The harbour handled 2 million containers last year.</p>"
    "<p>[show_poll poll_id=7626]</p><p>The port authority expects growth to slow.</p></article></body></html>"
)


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/story.html":
            self.send_error(404, "Not Found")
            return
        body = PAGE.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server(settings):
    """A local web server on 127.0.0.1 (no outside network); private addresses allowed for it."""
    settings.FACTMARK_IMPORT_ALLOW_PRIVATE = True
    with serve(_Handler) as port:
        yield f"http://127.0.0.1:{port}"


def test_a_web_page_is_fetched_cleaned_and_saved_with_its_address(client, reviewer, web_server):
    response = preview(client, reviewer.project, url=f"{web_server}/story.html")
    assert response.status_code == 200
    assert "<p>The port authority expects growth to slow.</p>" in response.text
    assert "show_poll" not in response.text and "Menu" not in response.text
    initial = response.context["save_form"].initial
    assert (initial["title"], initial["source_url"]) == ("Port traffic doubles", f"{web_server}/story.html")
    assert client.post(url(reviewer.project), save_data(response)).status_code == 302
    article = Article.objects.get(title="Port traffic doubles")
    assert article.source_url == f"{web_server}/story.html"


def test_a_missing_web_page_is_refused(client, reviewer, web_server):
    response = preview(client, reviewer.project, url=f"{web_server}/gone.html")
    assert response.status_code == 400
    assert "404" in response.text
    assert Article.objects.count() == 1


def test_a_private_address_is_refused_unless_allowed(client, reviewer, settings):
    settings.FACTMARK_IMPORT_ALLOW_PRIVATE = False
    response = preview(client, reviewer.project, url="http://127.0.0.1:9/story.html")
    assert response.status_code == 400
    assert "local or private address" in response.text


@pytest.mark.parametrize("address", ["javascript:alert(1)", "file:///etc/passwd", "ftp://example.org/a.txt"])
def test_non_web_addresses_are_refused(client, reviewer, address):
    response = preview(client, reviewer.project, url=address)
    assert response.status_code == 400
    assert "Only http:// and https:// addresses" in response.text
    assert Article.objects.count() == 1


# --- duplicates -----------------------------------------------------------------------


def test_a_duplicate_is_refused_at_preview_with_a_link_to_the_original(client, reviewer):
    original = reviewer.article
    response = preview(client, reviewer.project, text=original.title + "\n\n" + original.body)
    assert response.status_code == 400
    assert "already imported" in response.text
    assert f'href="/articles/{original.pk}/"' in response.text
    assert Article.objects.count() == 1


def test_a_duplicate_saved_in_the_meantime_is_refused_on_save(client, reviewer):
    data = save_data(preview(client, reviewer.project, text=PASTED))
    first = client.post(url(reviewer.project), data)
    second = client.post(url(reviewer.project), data)
    assert first.status_code == 302
    assert second.status_code == 400
    assert "already imported" in second.text
    assert Article.objects.count() == 2


def test_the_same_text_in_another_project_is_no_duplicate(client, reviewer):
    make_article(reviewer.other, body="The harbour handled 2 million containers last year, double the year before.\n\nThe port authority expects growth to slow.")
    response = preview(client, reviewer.project, text=PASTED)
    assert response.status_code == 200


# --- revisions ------------------------------------------------------------------------


def _revise(client, cast, article, new_body):
    response = preview(client, cast.project, text=new_body, title=article.title, revises=article.pk)
    assert response.status_code == 200, response.context["source_form"].errors
    saved = client.post(url(cast.project), save_data(response))
    assert saved.status_code == 302
    return " ".join(str(m) for m in get_messages(saved.wsgi_request))


def test_a_new_version_keeps_claims_placed_when_text_is_added_before_them(client, reviewer):
    article = reviewer.article
    claim = make_claim(article, "protects 12,000 homes", reviewer.alice)
    message = _revise(client, reviewer, article, "Update: the vote was unanimous.\n\n" + article.body)
    article.refresh_from_db()
    span = Span.objects.get(pk=claim.span_id)
    assert article.revision == 2
    assert ArticleRevision.objects.filter(article=article).count() == 2
    assert not span.orphaned
    assert article.body[span.start : span.end] == "protects 12,000 homes"
    assert "Saved revision 2" in message and "1 of 1 highlight placed (1 moved)" in message
    assert Article.objects.count() == 1


def test_a_claim_whose_sentence_is_deleted_becomes_orphaned_but_stays(client, reviewer):
    article = reviewer.article
    kept = make_claim(article, "protects 12,000 homes", reviewer.alice)
    lost = make_claim(article, "ran three years late", reviewer.alice)
    new_body = article.body.replace("Critics claim the project ran three years late, which the mayor denies.\n\n", "")
    message = _revise(client, reviewer, article, new_body)
    assert Span.objects.get(pk=lost.span_id).orphaned
    assert not Span.objects.get(pk=kept.span_id).orphaned
    assert Claim.objects.filter(pk=lost.pk).exists()
    assert "1 of 2 highlights placed" in message
    assert "1 orphaned" in message


def test_an_identical_new_version_is_refused(client, reviewer):
    article = reviewer.article
    response = preview(client, reviewer.project, text=article.body, title=article.title, revises=article.pk)
    assert response.status_code == 400
    assert "identical to the current revision" in response.text
    assert article.revisions.count() == 1


def test_another_projects_article_cannot_be_revised(client, reviewer):
    foreign = make_article(reviewer.other, body="Another desk's text.\n\nSecond paragraph.")
    response = preview(client, reviewer.project, text=PASTED, revises=foreign.pk)
    assert response.status_code == 400
    assert "revises" in response.context["source_form"].errors
    foreign.refresh_from_db()
    assert foreign.revision == 1
