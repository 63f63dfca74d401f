"""Article text normalisation at import: pure functions, stdlib only.

An article body is normalised once, when it is imported, and every span offset
points into the result, so the rules here are deliberately conservative and
idempotent: ``clean(clean(x)) == clean(x)``.

The body format the rest of the app relies on:

- Unicode NFC, ``\\n`` line endings, no control characters except ``\\n``.
- Paragraphs are separated by exactly one blank line (``"\\n\\n"``); a
  paragraph never contains a newline. Every non-empty input line becomes its
  own paragraph: scraped and pasted articles put one paragraph on a line, so
  joining lines would glue headings ("Fears of exploitation") to the next
  paragraph. Hard-wrapped text (e-mail style) therefore comes out one line per
  paragraph; Markdown import joins wrapped lines before it gets here.
- Inside a line, runs of spaces, tabs and other Unicode spaces (no-break,
  thin, ideographic…) become one ASCII space; lines are trimmed.
- Zero-width space, word joiner, soft hyphen and stray BOMs are removed
  (invisible, and they break quote matching); zero-width (non-)joiners stay,
  since emoji sequences and some scripts need them.

>>> clean("Title\\r\\n\\r\\n  Caf\\u0065\\u0301 opens.\\t[show_poll poll_id=7]\\r\\nRead more")
'Title\\n\\nCafé opens.'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = [
    "clean",
    "content_hash",
    "normalise",
    "split_title",
    "strip_boilerplate",
    "strip_shortcodes",
]

PARAGRAPH_BREAK = "\n\n"

# --------------------------------------------------------------------------
# normalise
# --------------------------------------------------------------------------

# CR, vertical tab, form feed, NEL and the Unicode line/paragraph separators
# end a line, as str.splitlines() would have it.
_LINE_BREAKS = re.compile("[\r\x0b\x0c\x85\u2028\u2029]")
# C0/C1 controls other than \t and \n, DEL, lone surrogates (unencodable in
# UTF-8), and invisible characters that only get in the way of quote matching.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u200b\u2060\ufeff\ud800-\udfff]"
)


# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they
# make text display in an order other than the one it is stored and checked in ("Trojan
# source"), so neither an article nor anything a user types may keep them.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi(text: str) -> str:
    """Remove bidirectional control characters (the one function every stored string goes through).

    >>> strip_bidi("price \u202e01\u202c euros")
    'price 01 euros'
    """
    return _BIDI_CONTROLS.sub("", text) if _BIDI_CONTROLS.search(text) else text


def normalise(text: str) -> str:
    """Normalise line endings, whitespace and Unicode; one paragraph per line.

    >>> normalise("  First\\tline \\r\\n\\r\\n\\r\\nSecond\\u00a0 line\\nThird ")
    'First line\\n\\nSecond line\\n\\nThird'
    >>> normalise("Cafe\\u0301") == "Caf\\u00e9"
    True
    """
    if _LINE_BREAKS.search(text):
        text = _LINE_BREAKS.sub("\n", text.replace("\r\n", "\n"))
    text = _INVISIBLE.sub("", text)
    text = strip_bidi(text)
    # str.split() splits on every Unicode space (tab, no-break, thin, ...):
    # one call collapses runs and trims the line.
    paragraphs = (" ".join(line.split()) for line in text.split("\n"))
    text = PARAGRAPH_BREAK.join(p for p in paragraphs if p)
    # NFC last: removing an invisible character can bring a base letter and
    # its combining mark together, and NFC never yields spaces or controls.
    return unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------
# shortcodes
# --------------------------------------------------------------------------

# WordPress core shortcodes and the plugin ones that show up in scraped news.
KNOWN_SHORTCODES = frozenset(
    {
        "audio", "caption", "contact-form", "contact-form-7", "embed", "gallery",
        "instagram", "playlist", "poll", "soundcloud", "tweet", "video",
        "vimeo", "wpforms", "youtube",
    }
)  # fmt: skip

_QUOTE = "\"'\u2018\u2019\u201c\u201d\u2032\u2033"  # ASCII and wptexturize'd quotes
_QUOTED_ATTR = rf"[A-Za-z_][\w-]*\s*=\s*[{_QUOTE}][^{_QUOTE}\[\]]*[{_QUOTE}]"
# Unquoted values need a key of two or more letters: "[sample n=42]" is text.
_BARE_ATTR = rf"[A-Za-z_][\w-]+=[^\s{_QUOTE}\[\]]+"
_ONLY_ATTRIBUTES = re.compile(rf"(?:\s+(?:{_QUOTED_ATTR}|{_BARE_ATTR}))+\s*/?")
_LOWER_NAME = re.compile(r"[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*")

# [name attrs] or [/name]; one line, no nested brackets.
_TAG = re.compile(r"\[(?P<close>/)?(?P<name>[A-Za-z][\w-]*)(?P<rest>(?:[ \t][^\[\]\n]*)?)\]")
# [embed]https://…[/embed]: the URL is the embed, not text.
_EMBED = re.compile(
    r"\[(?P<name>[a-z][\w-]*)(?P<rest>(?:[ \t][^\[\]\n]*)?)\][ \t]*"
    r"https?://[^\s\[\]]+[ \t]*\[/(?P=name)\]"
)


def _is_shortcode(name: str, rest: str, closing: bool) -> bool:
    if closing:
        return not rest.strip()
    if not _LOWER_NAME.fullmatch(name):
        return False  # [He], [Emphasis added], [USA]
    if name in KNOWN_SHORTCODES or "_" in name:
        return True
    return bool(rest) and _ONLY_ATTRIBUTES.fullmatch(rest) is not None


def _gap(match: re.Match[str]) -> str:
    """A space when removing the tag would glue two words together."""
    text, start, end = match.string, match.start(), match.end()
    if 0 < start and end < len(text) and text[start - 1].isalnum() and text[end].isalnum():
        return " "
    return ""


def _drop_embed(match: re.Match[str]) -> str:
    if _is_shortcode(match["name"], match["rest"], closing=False):
        return _gap(match)
    return match.group()


def _drop_tag(match: re.Match[str]) -> str:
    if _is_shortcode(match["name"], match["rest"], closing=bool(match["close"])):
        return _gap(match)
    return match.group()


def strip_shortcodes(text: str) -> str:
    """Remove stray WordPress-style shortcodes, keep bracketed journalism.

    A ``[tag …]`` is a shortcode when its name is a lowercase identifier and

    - it is a known WordPress/plugin name (``gallery``, ``caption``,
      ``embed``, ``audio``, ``video``, ``playlist``, ``contact-form``, …), or
    - the name contains an underscore (``show_poll``, ``vc_row``), or
    - everything after the name is ``key=value`` attributes (at least one;
      an unquoted value needs a key of two letters or more).

    Any ``[/name]`` closing tag is removed. The text between an opening and a
    closing tag is kept (a ``[caption]``'s words are the page's words), except
    a lone URL inside a pair, which is an embed: ``[embed]https://…[/embed]``.

    >>> strip_shortcodes('Poll: [show_poll poll_id=7626] and [gallery ids="1,2"].')
    'Poll:  and .'
    >>> strip_shortcodes('[caption id="a1" align="alignleft"]The mayor.[/caption]')
    'The mayor.'
    >>> strip_shortcodes("He said [sic] it [1] was [emphasis added] [He] [n=42].")
    'He said [sic] it [1] was [emphasis added] [He] [n=42].'
    """
    if "[" not in text:
        return text
    text = _EMBED.sub(_drop_embed, text)
    return _TAG.sub(_drop_tag, text)


# --------------------------------------------------------------------------
# trailing boilerplate
# --------------------------------------------------------------------------

# Phrases that are site furniture whatever follows them ("Read more: …",
# "Latest News22:", "Share this article").
_BOILERPLATE_PHRASES = (
    "latest news", "latest stories", "latest headlines", "latest articles",
    "related articles", "related stories", "related posts", "related news",
    "related content", "related coverage", "related reading", "related links",
    "related topics", "read more", "read next", "read also", "also read",
    "see also", "more from", "more stories", "more news", "more on this",
    "more like this", "you may also like", "you might also like",
    "you may be interested", "recommended for you", "recommended stories",
    "recommended reading", "most read", "most popular", "most viewed",
    "trending now", "trending stories", "popular stories",
    "share this", "share on", "share via", "share the article", "share article",
    "sign up for", "sign up to", "subscribe to", "subscribe for",
    "get our newsletter", "join our newsletter", "follow us", "like us on",
    "click here to", "click here for", "leave a comment", "leave a reply",
    "post a comment", "add a comment", "view comments", "show comments",
    "comments are closed", "all rights reserved", "copyright", "advertisement",
    "sponsored content", "previous article", "next article", "previous post",
    "next post", "about the author", "filed under", "tagged with",
)  # fmt: skip
# Words that are furniture only as a label: alone, or before ":", "|", "(12)",
# a digit… ("Comments (3)", "Related: …"), but not "Comments are welcome".
_BOILERPLATE_LABELS = (
    "related", "comments", "comment", "share", "tags", "topics", "trending",
    "recommended", "newsletter", "subscribe", "sponsored", "more", "latest",
    "popular", "categories", "category",
)  # fmt: skip
_LEAD = r"^[\s\-\u2013\u2014\u2022\u00b7|>\u00bb\u203a\u2192*#]*"
_BOILERPLATE_START = re.compile(
    _LEAD
    + r"(?:\u00a9|(?:"
    + "|".join(re.escape(p) for p in _BOILERPLATE_PHRASES)
    + r")(?![^\W\d_])|(?:"
    + "|".join(_BOILERPLATE_LABELS)
    + r")(?=\s*(?:$|[^\w\s]|\d)))",
    re.IGNORECASE,
)
# A paragraph that is nothing but an ad slot label, anywhere in the text.
_AD_SLOT = re.compile(
    r"[\W_]*(?:advertisements?|scroll to continue with content)[\W_]*", re.IGNORECASE
)

SHORT_PARAGRAPH = 150  # a headline or a link, not a paragraph of reporting
SHORT_SINGLE_TAIL = 300  # one trailing call to action ("Sign up for …")
MAX_TAIL_PARAGRAPHS = 30
MAX_TAIL_CHARS = 3000


# Ends like a sentence of reporting: "… she said." / "… in 2023.”"
_SENTENCE_END = re.compile(r"[.!\u2026][\"'\u201d\u2019)\]]*$")
# Furniture speaks to the reader ("Sign up for our newsletter."); reporting
# does not ("Copyright concerns were raised by the union, she said.").
_READER_ADDRESS = re.compile(
    r"\b(?:our|us|you|your|here|click|newsletter|subscribe|inbox|rights reserved)\b|\u00a9", re.IGNORECASE
)


def _is_boilerplate_tail(tail: list[str]) -> bool:
    if _SENTENCE_END.search(tail[0]) and not _READER_ADDRESS.search(tail[0]):
        return False
    if len(tail) == 1:
        return len(tail[0]) < SHORT_SINGLE_TAIL
    # After the marker come headlines, links and buttons, not sentences: a
    # "Read more: …" link in mid-article must not take the short paragraphs
    # that end the story with it.
    return (
        len(tail) <= MAX_TAIL_PARAGRAPHS
        and sum(map(len, tail)) <= MAX_TAIL_CHARS
        and all(len(p) < SHORT_PARAGRAPH for p in tail)
        and not any(_SENTENCE_END.search(p) for p in tail[1:])
    )


def strip_boilerplate(text: str) -> str:
    """Drop ad-slot labels anywhere and a trailing block of site furniture.

    Works on normalised text (paragraphs separated by ``"\\n\\n"``).

    The tail rule: find the earliest paragraph, never the first one, that
    starts with a marker such as "Latest News", "Related articles", "Read
    more", "Share this", "Sign up for our newsletter", "Follow us", "Click here
    to", "Advertisement", "Comments (3)", "Tags:", "©"; it is dropped together
    with everything after it only when that tail is short: a single paragraph
    under 300 characters, or up to 30 paragraphs, each under 150 characters,
    under 3,000 characters together, and none after the marker ending like a
    sentence (".", "!", "…", before any closing quote) — headlines and links,
    not the one-sentence paragraphs that end many news stories.
    A marker word counts only as a label ("Comments:", "Comments (3)",
    "Related: …"), not as the start of a sentence ("Comments from the mayor …"),
    and a marker paragraph that is itself a sentence must speak to the reader
    ("our", "you", "here", "newsletter", "©"…): "Copyright concerns were
    raised by the union." stays.

    Paragraphs that are only "Advertisement" (or "Scroll to continue with
    content") are removed wherever they are.

    >>> strip_boilerplate("Body text.\\n\\nLatest News22:\\n\\nOther story")
    'Body text.'
    >>> strip_boilerplate("Body text.\\n\\nComments from residents were mixed.")
    'Body text.\\n\\nComments from residents were mixed.'
    >>> long_end = "The audit, she said, would read more like a novel " + "x" * 300
    >>> strip_boilerplate("Body.\\n\\n" + long_end) == "Body.\\n\\n" + long_end
    True
    """
    if not text:
        return text
    paragraphs = text.split(PARAGRAPH_BREAK)
    first_candidate = max(1, len(paragraphs) - MAX_TAIL_PARAGRAPHS)
    for i in range(first_candidate, len(paragraphs)):
        if _BOILERPLATE_START.match(paragraphs[i]) and _is_boilerplate_tail(paragraphs[i:]):
            paragraphs = paragraphs[:i]
            break
    return PARAGRAPH_BREAK.join(p for p in paragraphs if not _AD_SLOT.fullmatch(p))


# --------------------------------------------------------------------------
# the pipeline
# --------------------------------------------------------------------------


def clean(text: str) -> str:
    """Shortcodes, then normalisation, then trailing boilerplate.

    Repeated until nothing changes (removing one thing can expose another,
    e.g. a control character inside ``[show_poll\\x00 poll_id=1]``), so the
    result is a fixed point: ``clean(clean(x)) == clean(x)``.

    >>> clean("Budget up 4%.\\r\\n[show_poll poll_id=7626]\\r\\nShare this:\\r\\nFacebook")
    'Budget up 4%.'
    """
    while True:
        cleaned = strip_boilerplate(normalise(strip_shortcodes(text)))
        if cleaned == text:
            return cleaned
        text = cleaned


def content_hash(text: str) -> str:
    """SHA-256 (hex) of the cleaned body, for spotting duplicate imports.

    >>> content_hash("A  body.\\r\\n") == content_hash("A body.")
    True
    """
    return hashlib.sha256(clean(text).encode("utf-8")).hexdigest()


MAX_TITLE = 200  # a longer first line is a paragraph, not a title
DERIVED_TITLE = 80


def _shorten(text: str, limit: int = DERIVED_TITLE) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:  # do not end on half a word
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-\u2013\u2014") + "\u2026"


def split_title(text: str) -> tuple[str, str]:
    """Split a plain-text article into (title, cleaned body).

    The title is the first non-empty line; the body is everything after it,
    cleaned. When there is nothing after the first line, or that line is
    longer than 200 characters (a paragraph, not a title), the whole text is
    the body and the title is its first words (at most 80 characters).

    >>> split_title("\\n  Budget rises \\n\\nThe council said so.\\nIt did.")
    ('Budget rises', 'The council said so.\\n\\nIt did.')
    >>> split_title("Only one line of text here.")
    ('Only one line of text here.', 'Only one line of text here.')
    """
    paragraphs = clean(text).split(PARAGRAPH_BREAK)
    first = paragraphs[0]
    if len(paragraphs) > 1 and len(first) <= MAX_TITLE:
        return first, clean(PARAGRAPH_BREAK.join(paragraphs[1:]))
    return _shorten(first), PARAGRAPH_BREAK.join(paragraphs)
