"""Import these parts as an article: the one reading of what a caller was given (pasted
text, a document in a format, an upload, a web address) into a clean article, shared by
the import page (its preview), the API and the import_articles command
(services.import_parts reads with this, then saves).
"""

from dataclasses import dataclass

from django.conf import settings

from annotate import extract
from annotate.snapshots import fetch_guards
from annotate.textclean import clean

READERS = {"text": extract.from_text, "html": extract.from_html, "markdown": extract.from_markdown}


@dataclass
class Parts:
    """What a caller was given to import; exactly one source is set.

    - `text`: a whole document, read as `fmt` (text, html or markdown; the title comes
      from it unless given),
    - `body` with `title`: the article's text with its title given apart,
    - `upload`: a file (`.read()`, `.size`, `.name`, `.content_type`, as Django's
      UploadedFile; its kind comes from the name, the type or sniffing),
    - `url`: a web page, fetched under the app's fetch guards (annotate/netfetch.py).
    """

    text: str | None = None
    fmt: str = "text"
    body: str | None = None
    title: str = ""
    upload: object = None
    url: str | None = None

    @property
    def field(self):
        """The input a problem with these parts is about (form field and API key alike)."""
        if self.url:
            return "url"
        if self.upload is not None:
            return "file"
        return "body" if self.body is not None else "text"


def _check_size(size, noun, limit):
    if size > limit:
        raise extract.ImportProblem(f"The {noun} is {size:,} bytes; the limit is {limit:,}.")


def read_parts(parts, max_bytes=None):
    """The cleaned article (an `extract.Extracted`) in `parts`, or ImportProblem saying why
    not (`parts.field` names the input). Sizes are counted in UTF-8 bytes everywhere, and
    checked before any text is cleaned or any file read."""
    limit = max_bytes or settings.FACTMARK_MAX_ARTICLE_BYTES
    if parts.url:
        # The deadline, concurrency cap and address rule of every fetch of the app.
        return extract.fetch(parts.url, max_bytes=limit, **fetch_guards())
    if parts.upload is not None:
        upload = parts.upload
        _check_size(upload.size, "file", limit)
        return extract.extract(upload.read(), filename=upload.name or "", content_type=getattr(upload, "content_type", "") or "", max_bytes=limit)
    given = parts.body if parts.body is not None else (parts.text or "")
    _check_size(len(given.encode("utf-8", "surrogatepass")), "text", limit)
    if parts.body is None:
        return READERS[parts.fmt](given)
    body = clean(given)
    if not body:
        raise extract.no_text()
    return extract.Extracted(title=" ".join(parts.title.split()), body=body)
