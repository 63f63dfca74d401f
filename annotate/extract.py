"""Turn an uploaded file, pasted text or a web page into an article.

No Django here: bytes in, an :class:`Extracted` out, or an
:class:`ImportProblem` whose message can be shown to the user as it is.

>>> article = extract(b"Budget rises\\r\\n\\r\\nThe council said so.", filename="a.txt")
>>> article.title, article.body
('Budget rises', 'The council said so.')

Every body has been through :func:`annotate.textclean.clean`. HTML goes
through trafilatura (main-text extraction: scripts, styles, navigation,
footers, comments and link lists never reach the body); pages too short for it
to judge are read structurally with lxml instead.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from datetime import date

import lxml.html
import markdown
import trafilatura
from htmldate import find_date
from lxml import etree

# trafilatura's metadata helpers (pinned version; the unit tests cover them).
from trafilatura.metadata import examine_meta, extract_meta_json, extract_sitename, extract_title, extract_url

from annotate import netfetch
from annotate.decoding import MAX_BYTES, ImportProblem, decode, describe_size
from annotate.textclean import PARAGRAPH_BREAK, clean, normalise, split_title

__all__ = [
    "MAX_BYTES",
    "Extracted",
    "ImportProblem",
    "decode",
    "extract",
    "fetch",
    "from_html",
    "from_page",
    "from_markdown",
    "from_text",
]

MAX_TITLE = 300


@dataclass
class Extracted:
    title: str
    body: str
    author: str = ""
    publisher: str = ""
    published: date | None = None
    source_url: str = ""


# --------------------------------------------------------------------------
# str -> Extracted
# --------------------------------------------------------------------------


def no_text() -> ImportProblem:
    """The one wording of "the text was empty once cleaned", for every way in."""
    return ImportProblem("No article text found: nothing was left after removing markup and boilerplate.")


def _one_line(text: str | None, limit: int = MAX_TITLE) -> str:
    text = normalise(text or "").replace(PARAGRAPH_BREAK, " ")
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "\u2026"
    return text


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _http_url(url: str | None) -> str:
    """The URL if it is http(s) with a host, else ''."""
    url = (url or "").strip()
    try:
        parts = urllib.parse.urlsplit(url)
        return url if parts.scheme.lower() in ("http", "https") and parts.hostname else ""
    except ValueError:  # "http://[::1" and other unparseable addresses
        return ""


def from_text(text: str) -> Extracted:
    """A plain-text article: title on the first non-empty line, body after.

    >>> from_text("Budget rises\\n\\nThe council said so.\\nIt did.")
    Extracted(title='Budget rises', body='The council said so.\\n\\nIt did.', author='', publisher='', published=None, source_url='')
    """
    title, body = split_title(text)
    if not body:
        raise no_text()
    return Extracted(title=_one_line(title), body=body)


# Elements whose content is never article text.
_SKIP = frozenset(
    {"script", "style", "noscript", "template", "iframe", "svg", "math", "canvas",
     "button", "input", "select", "option", "textarea", "object", "embed", "head",
     "title", "meta", "link", "nav", "aside", "footer", "dialog"}
)  # fmt: skip
# Elements that start and end a paragraph (HTML and trafilatura's XML names).
_BLOCKS = frozenset(
    {"p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4",
     "h5", "h6", "head", "blockquote", "quote", "pre", "ul", "ol", "li", "list",
     "item", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "row",
     "caption", "figure", "figcaption", "address", "details", "summary", "body",
     "html", "center", "fieldset", "legend", "hr", "doc", "hgroup", "menu"}
)  # fmt: skip
_CELLS = frozenset({"td", "th", "cell"})
_BREAKS = frozenset({"br", "lb"})


def _blocks(root: etree._Element, skip: frozenset[str] = _SKIP) -> list[tuple[str, str]]:
    """(block tag, text) for each paragraph under root, in document order.

    Newlines in the source are spaces (textclean collapses them later) except
    in <pre>; <br> splits a paragraph; table cells are joined with " | ".
    """
    blocks: list[tuple[str, str]] = []
    pieces: list[str] = []
    block_tags: list[str] = ["body"]

    def flush() -> None:
        text = "".join(pieces)
        pieces.clear()
        for line in text.split("\n"):
            if line.strip():
                blocks.append((block_tags[-1], line.strip()))

    def add(text: str | None, pre: bool) -> None:
        if text:
            if not pre and ("\n" in text or "\r" in text):
                text = text.replace("\r", " ").replace("\n", " ")
            pieces.append(text)

    def walk(el: etree._Element, pre: bool) -> None:
        tag = el.tag.rsplit("}", 1)[-1].lower() if isinstance(el.tag, str) else ""
        if tag in skip or not tag or el.get("hidden") is not None:
            return
        if tag in _BREAKS:
            pieces.append("\n")
            return
        block = tag in _BLOCKS
        if block:
            flush()
            block_tags.append(tag)
        elif tag in _CELLS and el.getprevious() is not None:
            pieces.append(" | ")
        pre = pre or tag == "pre"
        add(el.text, pre)
        for child in el:
            walk(child, pre)
            add(child.tail, pre)
        if block:
            flush()
            block_tags.pop()

    walk(root, pre=False)
    flush()
    return blocks


def _markdown_root(text: str) -> etree._Element | None:
    rendered = markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"])
    if not rendered.strip():
        return None
    return lxml.html.fragment_fromstring(rendered, create_parent="div")


def from_markdown(text: str) -> Extracted:
    """A Markdown article: headings become their own paragraphs.

    The title is the first ``# `` heading (removed from the body when it opens
    the document); without one, the first paragraph as for plain text.
    Raw HTML inside the Markdown is read as HTML: scripts never reach the body.

    >>> article = from_markdown("# Budget rises\\n\\nThe *council* said\\nso.\\n\\n## Schools\\n\\n- more money")
    >>> article.title, article.body
    ('Budget rises', 'The council said so.\\n\\nSchools\\n\\nmore money')
    """
    root = _markdown_root(text)
    blocks = _blocks(root) if root is not None else []
    h1 = next((i for i, (tag, _) in enumerate(blocks) if tag == "h1"), None)
    if h1 is None:
        return from_text("\n".join(line for _, line in blocks))
    title = blocks[h1][1]
    if h1 == 0:
        blocks = blocks[1:]
    body = clean("\n".join(line for _, line in blocks))
    if not body:
        raise no_text()
    return Extracted(title=_one_line(title), body=body)


# trafilatura's own threshold: below it, it falls back to a flat dump of the
# page (or finds nothing), and a structural read of <article>/<main>/<body>
# is better.
MIN_TRAFILATURA_CHARS = 250
# Publication date, not last-modified; no guessing from dates in the text.
_DATE_OPTIONS = {"extensive_search": False, "original_date": True}
# Around the chosen root, a page header is furniture; inside <article> it
# holds the headline and byline.
_SKIP_PAGE = _SKIP | {"header"}


def _parse_html(html: str) -> etree._Element | None:
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        # ValueError: a str with an XML encoding declaration
        try:
            return lxml.html.document_fromstring(html.encode("utf-8"))
        except (etree.ParserError, ValueError):
            return None


def _structural_blocks(doc: etree._Element) -> list[tuple[str, str]]:
    for xpath in ("//article", "//main", "//body"):
        candidates = doc.xpath(xpath)
        if candidates:
            root = max(candidates, key=lambda el: len(el.text_content()))
            skip = _SKIP if xpath != "//body" else _SKIP_PAGE
            return _blocks(root, skip)
    return _blocks(doc, _SKIP_PAGE)


@dataclass
class _PageMeta:
    title: str = ""
    author: str = ""
    publisher: str = ""
    published: date | None = None
    url: str = ""


def _page_meta(tree: etree._Element | None, url: str) -> _PageMeta:
    """Title, author, site name, date and canonical URL of a page.

    The cheap, reliable parts of trafilatura's metadata extraction: meta tags
    (og:, twitter:, Dublin Core…), JSON-LD, canonical link, title/h1, and the
    publication date from htmldate without its free-text search. Its author
    guess from page text is left out: on a large page it costs more than the
    whole text extraction, and a byline guessed wrong is worse than none.
    """
    if tree is None:
        return _PageMeta()
    found = examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None  # a single word is a handle, not a byline (as trafilatura)
    try:
        found = extract_meta_json(tree, found)
    except Exception:  # noqa: BLE001 — trafilatura's own guard: JSON-LD in the wild is often broken
        pass
    page_url = found.url or extract_url(tree, url or None) or ""
    title = found.title or extract_title(tree) or ""
    publisher = (found.sitename or extract_sitename(tree) or "").lstrip("@")
    # Last: htmldate may prune the tree it is given.
    published = find_date(tree, url=page_url or url or None, **_DATE_OPTIONS)
    return _PageMeta(title=title, author=found.author or "", publisher=publisher,
                     published=_published(published), url=page_url)  # fmt: skip


def _published(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def from_html(html: str, url: str = "") -> Extracted:
    """A web page: main text via trafilatura, metadata from the page.

    Title, author, date and site name come from the page's meta tags and
    JSON-LD (see ``_page_meta``). A first paragraph that repeats the title is
    dropped. Pages too short for trafilatura to judge are read structurally.

    >>> page = '<html><head><title>T</title><script>alert(1)</script></head>'
    >>> page += '<body><nav>Home</nav><article><p>First.</p><p>Second.</p></article></body></html>'
    >>> from_html(page).body
    'First.\\n\\nSecond.'
    """
    tree = _parse_html(html)
    # fast: no readability/jusText second opinions; they cost more than the
    # main pass on big pages and rarely change a news article.
    result = trafilatura.bare_extraction(
        html,
        url=url or None,
        fast=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=False,
    )
    # trafilatura's XML is already pruned, and its <head> is a heading.
    blocks = _blocks(result.body, frozenset()) if result is not None and result.body is not None else []
    if sum(len(text) for _, text in blocks) < MIN_TRAFILATURA_CHARS:
        blocks = _structural_blocks(tree) if tree is not None else []

    meta = _page_meta(tree, url)
    title = _one_line(meta.title)
    lines = [text for _, text in blocks]
    if lines and title and _same_text(lines[0], title):
        lines = lines[1:]
    body = clean("\n".join(lines))
    if not body:
        raise no_text()
    if not title:
        title, _ = split_title(body)
    return Extracted(
        title=title,
        body=body,
        author=_one_line(meta.author),
        publisher=_one_line(meta.publisher),
        published=meta.published,
        source_url=_http_url(url) or _http_url(meta.url),
    )


# --------------------------------------------------------------------------
# dispatch
# --------------------------------------------------------------------------

_EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}  # fmt: skip
_MEDIA_TYPES = {
    "text/plain": "text",
    "text/markdown": "markdown", "text/x-markdown": "markdown",
    "text/html": "html", "application/xhtml+xml": "html",
}  # fmt: skip
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


_media_type = netfetch.media_type


def _extension(name: str) -> str:
    path = urllib.parse.urlsplit(name).path if "://" in name else name
    dot = path.rfind(".")
    return path[dot:].lower() if dot > path.rfind("/") else ""


def _looks_like_html(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")[:1024].lower()
    return head.startswith(("<!doctype html", "<html")) or (head.startswith("<") and "<html" in head)


def _kind(filename: str, media_type: str, prefer_media_type: bool) -> str | None:
    by_name = _EXTENSIONS.get(_extension(filename))
    by_type = _MEDIA_TYPES.get(media_type)
    return (by_type or by_name) if prefer_media_type else (by_name or by_type)


def _extract(data: bytes, *, filename: str, content_type: str, max_bytes: int,
             prefer_media_type: bool = False, url: str = "") -> Extracted:  # fmt: skip
    media_type, charset = _media_type(content_type)
    kind = _kind(filename, media_type, prefer_media_type)
    declared = charset
    if declared is None and kind in (None, "html"):
        found = _META_CHARSET.search(data[:4096])
        declared = found.group(1).decode("ascii") if found else None
    text = decode(data, max_bytes=max_bytes, encoding=declared)
    if kind is None:
        kind = "html" if _looks_like_html(text) else "text"
    if kind == "html":
        return from_html(text, url=url)
    if kind == "markdown":
        article = from_markdown(text)
    else:
        article = from_text(text)
    article.source_url = _http_url(url)
    return article


def extract(data: bytes, filename: str = "", content_type: str = "", *, max_bytes: int = MAX_BYTES) -> Extracted:
    """An article from an uploaded file's bytes.

    The kind comes from the extension (.txt, .md/.markdown, .html/.htm), else
    from the content type, else from sniffing (``<!doctype html`` / ``<html``
    means HTML, anything else is plain text).

    >>> extract(b"<!doctype html><title>T</title><p>Hello there.</p>").body
    'Hello there.'
    """
    return _extract(data, filename=filename, content_type=content_type, max_bytes=max_bytes)


# --------------------------------------------------------------------------
# fetching a URL
# --------------------------------------------------------------------------

def fetch(url: str, timeout: float = 10, max_bytes: int = MAX_BYTES, *, allow_private: bool = False,
          **guards: object) -> Extracted:  # fmt: skip
    """Download a web page (http/https only) and extract its article.

    The download is :func:`annotate.netfetch.fetch`: anything but http(s)
    (``javascript:``, ``file:``, ``ftp:``, ``data:``) is refused before any
    network I/O; every address the host resolves to must be public (unless
    ``allow_private``: intranet installs), and the connection goes to the
    address that was checked, on every redirect; ``timeout`` is one deadline
    for DNS, connect, headers and body; at most ``max_bytes`` are read.
    ``guards`` (``resolver``, ``hosts``) are passed on, for tests.

    >>> try:
    ...     fetch("javascript:alert(1)")
    ... except ImportProblem as problem:
    ...     print(problem)
    Only http:// and https:// addresses can be imported, not javascript:.
    """
    page = netfetch.fetch(url, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private, **guards)  # type: ignore[arg-type]
    return from_page(page, max_bytes=max_bytes)


def from_page(page: netfetch.Fetched, *, max_bytes: int = MAX_BYTES) -> Extracted:
    """The article in a downloaded page (its content type decides how it is read)."""
    return _extract(
        page.data,
        filename=page.url,
        content_type=page.content_type,
        max_bytes=max_bytes,
        prefer_media_type=True,
        url=page.url,
    )
