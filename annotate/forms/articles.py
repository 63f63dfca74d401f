"""Forms of the two-step import page: 1. source (paste, upload or URL) → preview; 2. save.

The preview step carries the cleaned body to the save step in a hidden field. The
client is not trusted with it: the save step cleans the posted body again (browsers
turn "\\n" into "\\r\\n" on submit, and a tampered field gets the same treatment),
checks its size, and compares its content hash with a hash the server signed at
preview time, so only the text the user saw can be stored.
"""

from django import forms
from django.conf import settings
from django.core import signing

from annotate import extract, limits
from annotate.importing import Parts, read_parts
from annotate.textclean import clean, content_hash

# A preview older than this has to be made again (the signature expires).
PREVIEW_MAX_AGE = 24 * 3600


def max_bytes():
    return settings.FACTMARK_MAX_ARTICLE_BYTES


class ArticleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, article):
        # Titles repeat (updates of a story); the number and revision tell them apart.
        return f"{article.title} (#{article.pk}, revision {article.revision})"


def _article_choices(project):
    return ArticleChoiceField(
        # Never the bodies: a desk's articles can add up to many megabytes.
        queryset=project.articles.only("pk", "project_id", "title", "revision", "content_hash").order_by("title", "id"),
        required=False,
        empty_label="No, this is a new article",
        label="This is a new version of",
        help_text="Choose an article to store this text as its next revision; its claims are re-anchored.",
    )


class SourceForm(forms.Form):
    """Step 1: exactly one of pasted text, an uploaded file or a URL."""

    title = forms.CharField(
        max_length=500,
        required=False,
        label="Title (optional)",
        help_text="Leave empty to use the first line of the text as the title.",
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}), required=False, strip=False, label="Article text")
    file = forms.FileField(required=False, label="File", help_text="Plain text (.txt), Markdown (.md) or a saved web page (.html).")
    url = forms.CharField(max_length=2000, required=False, label="Web address",
                          widget=forms.URLInput(attrs={"placeholder": "https://…"}))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revises"] = _article_choices(project)
        self.fields["file"].widget.attrs["accept"] = ".txt,.text,.md,.markdown,.html,.htm,text/plain,text/markdown,text/html"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        given = [name for name in ("text", "file", "url") if data.get(name) and (name != "text" or data["text"].strip())]
        if len(given) != 1:
            message = "Paste the text, upload a file or give a web address." if not given else "Use only one of: pasted text, a file, a web address."
            raise forms.ValidationError(message, code="one_source")
        source = given[0]
        if source == "text":
            title = data.get("title", "").strip()
            parts = Parts(body=data["text"], title=title) if title else Parts(text=data["text"])
        else:
            parts = Parts(upload=data["file"]) if source == "file" else Parts(url=data["url"])
        try:
            data["extracted"] = read_parts(parts, max_bytes=max_bytes())
        except extract.ImportProblem as problem:
            self.add_error(source, str(problem))
        return data


def _signer_salt(project, user):
    # Bound to project and user: a preview signed for one desk cannot be replayed in another.
    return f"factmark.import-preview:{project.pk}:{user.pk}"


def sign_body(project, user, body):
    return signing.dumps(content_hash(body), salt=_signer_salt(project, user))


class SaveForm(forms.Form):
    """Step 2: the previewed text (hidden, signed) with editable title and metadata."""

    title = forms.CharField(max_length=limits.TITLE)
    author = forms.CharField(max_length=limits.AUTHOR, required=False)
    publisher = forms.CharField(max_length=limits.PUBLISHER, required=False)
    published = forms.DateField(required=False, label="Publication date", widget=forms.DateInput(attrs={"type": "date"}))
    source_url = forms.URLField(
        max_length=limits.URL,
        required=False,
        label="Source URL",
        assume_scheme="https",
        validators=[limits.web_url],
    )
    body = forms.CharField(widget=forms.HiddenInput, strip=False)
    signature = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.project, self.user = project, user
        self.fields["revises"] = _article_choices(project)

    @classmethod
    def for_preview(cls, extracted, revises, *, project, user):
        initial = {
            "title": extracted.title,
            "author": extracted.author,
            "publisher": extracted.publisher,
            "published": extracted.published,
            "source_url": extracted.source_url,
            "body": extracted.body,
            "signature": sign_body(project, user, extracted.body),
            "revises": revises,
        }
        return cls(initial=initial, project=project, user=user)

    def clean_body(self):
        body = clean(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError("The article has no text.")
        size = len(body.encode("utf-8"))
        if size > max_bytes():
            raise forms.ValidationError(f"The text is {size:,} bytes; the limit is {max_bytes():,}.")
        return body

    def clean(self):
        data = super().clean()
        if "body" in data and "signature" in data:
            try:
                signed = signing.loads(data["signature"], salt=_signer_salt(self.project, self.user), max_age=PREVIEW_MAX_AGE)
            except signing.SignatureExpired:
                signed = None
                message = "This preview is too old. Import the article again to see a fresh preview."
            except signing.BadSignature:
                signed = None
                message = "The previewed text could not be verified. Import the article again."
            else:
                message = "The text differs from the preview. Import the article again."
            if signed != content_hash(data["body"]):
                raise forms.ValidationError(message, code="preview_mismatch")
        return data

    def extracted(self):
        data = self.cleaned_data
        return extract.Extracted(
            title=" ".join(data["title"].split()),
            body=data["body"],
            author=data["author"].strip(),
            publisher=data["publisher"].strip(),
            published=data["published"],
            source_url=data["source_url"],
        )
