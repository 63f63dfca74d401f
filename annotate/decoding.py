"""Bytes of an uploaded file or a web page → text, or an ImportProblem that says why not.

No Django here. Empty, oversized and binary input (by magic numbers and control bytes)
is refused with a message meant for the user; text is decoded from its BOM, as UTF-8,
as the declared charset, as Windows-1252 when it reads as Western text, and last
through charset-normalizer.

>>> decode("Café".encode("cp1252"))
'Café'
"""

from __future__ import annotations

import codecs
import itertools
import re

from charset_normalizer import from_bytes

MAX_BYTES = 2_000_000


class ImportProblem(ValueError):
    """An article cannot be imported; ``str(problem)`` is meant for the user."""



_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16: it starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "program"),
    (b"MZ", "Windows program"),
    (b"{\\rtf", "RTF document"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"BM", None),  # BMP only with a plausible header, see _binary_kind
)
_ZIP_KINDS = ((b"word/", "Word document"), (b"xl/", "Excel spreadsheet"),
              (b"ppt/", "PowerPoint presentation"), (b"epub+zip", "EPUB book"),
              (b"opendocument", "OpenDocument file"))  # fmt: skip
# Control bytes that no text file has (tab, newlines, form feed, ESC excluded).
_CONTROL_BYTES = bytes([*range(0x01, 0x09), 0x0E, 0x0F, *range(0x10, 0x1B), 0x1C, 0x1D, 0x1E, 0x1F, 0x7F])
CONTROL_SHARE = 0.05
# WHATWG: these labels mean windows-1252 on the web.
_WINDOWS_1252_LABELS = {"ascii", "us-ascii", "iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "cp819"}


def describe_size(n: int) -> str:
    """Human size, rounded up so that an oversized file never reads as the limit."""
    if n >= 1_000_000:
        tenths, unit = -(-n // 100_000), "MB"
    elif n >= 1000:
        tenths, unit = -(-n // 100), "kB"
    else:
        return f"{n} bytes"
    whole, tenth = divmod(tenths, 10)
    return f"{whole}.{tenth} {unit}" if tenth else f"{whole} {unit}"


def _binary_kind(data: bytes) -> str | None:
    """'' for an unnamed binary, a name for a known format, None for text."""
    head = data[:16]
    if head.startswith(b"PK\x03\x04"):
        zipped = data[:4000]
        return next((kind for marker, kind in _ZIP_KINDS if marker in zipped), "ZIP archive")
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}[head[8:12]]
    if head[4:8] == b"ftyp":
        return "MP4 video"
    if head.startswith(b"ID3") and head[3:4] in (b"\x02", b"\x03", b"\x04"):
        return "MP3 audio"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            if kind is None:  # "BM" also starts words; a BMP header has a NUL soon
                return "BMP image" if b"\x00" in head[2:14] else None
            if magic == b"MZ" and b"\x00" not in data[:64]:
                continue  # plain text that starts with "MZ"
            return kind
    if b"\x00" in data:
        return ""
    if len(data) - len(data.translate(None, _CONTROL_BYTES)) > CONTROL_SHARE * len(data):
        return ""
    return None


def _codec(label: str | None) -> str | None:
    """A Python codec name for a declared charset, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


# Non-letters that a real text has next to letters ("¿Qué?", “quotes”, m²).
# Not ³ ¹ º: in cp1252 they are what Polish ł ą and Romanian ş turn into.
_TYPOGRAPHY = frozenset(
    "\u201c\u201d\u2018\u2019\u00ab\u00bb\u2039\u203a\u2014\u2013\u2026"  # quotes, dashes, …
    "\u00a1\u00bf\u00b7\u2022\u20ac\u00a3\u00a9\u00ae\u2122\u00b0\u00a7\u00b2\u00bd"  # ¡ ¿ · • € £ © ® ™ ° § ² ½
)
# …and the few it has between two letters (don’t, well‐known, l·l).
_IN_WORD = frozenset("\u2019\u2018\u2010\u2011\u00b7")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SCORE_SAMPLE = 64 * 1024
_CANDIDATES = 6


def _oddities(text: str) -> int:
    """Symbols stuck to letters: the mark of a text read in the wrong code page.

    Polish cp1250 read as cp1252 gives "powiedzia³, ¿e bud¿et": three.
    """
    sample = text[:_SCORE_SAMPLE]
    last = len(sample) - 1
    odd = 0
    for match in _NON_ASCII.finditer(sample):
        char, i = match.group(), match.start()
        if char.isalpha() or char.isspace():
            continue
        before = i > 0 and sample[i - 1].isalpha()
        after = i < last and sample[i + 1].isalpha()
        if (before and after and char not in _IN_WORD) or ((before or after) and char not in _TYPOGRAPHY):
            odd += 1
    return odd


def _plausible_cp1252(text: str) -> bool:
    letters = [c for c in text[:_SCORE_SAMPLE] if c.isalpha()]
    non_ascii = sum(1 for c in letters if ord(c) > 127)
    if non_ascii > 0.3 * len(letters):  # Cyrillic or Greek read as Latin
        return False
    return _oddities(text) <= min(len(text), _SCORE_SAMPLE) // 5000  # m², ½ are rare


def _legacy(data: bytes) -> str | None:
    """Best guess for a file that is not UTF-8 and declares nothing usable.

    windows-1252 first when it reads as a Western text (what browsers assume
    for unlabelled pages; charset-normalizer guesses wildly on short Western
    texts), else charset-normalizer's candidates, fewest oddities first.
    """
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and _plausible_cp1252(western):
        return western
    matches = list(itertools.islice(from_bytes(data), _CANDIDATES))
    if not matches:
        return None
    sample = data[:_SCORE_SAMPLE]
    best = min(matches, key=lambda m: _oddities(sample.decode(m.encoding, errors="ignore")))
    return str(best)


def decode(data: bytes, max_bytes: int = MAX_BYTES, encoding: str | None = None) -> str:
    """Decode an uploaded or downloaded file to text, or raise ImportProblem.

    Order: a BOM; strict UTF-8 (a non-ASCII file that decodes as UTF-8 is
    UTF-8, whatever its label says); the declared ``encoding`` (Content-Type
    or ``<meta charset>``); windows-1252 when it reads as a Western text;
    then charset-normalizer's best candidates (see ``_legacy``).

    >>> decode("“Café”".encode("cp1252"))
    '“Café”'
    >>> try:
    ...     decode(b"")
    ... except ImportProblem as problem:
    ...     print(problem)
    The file is empty.
    """
    if len(data) > max_bytes:
        raise ImportProblem(f"The article is {describe_size(len(data))}; the limit is {describe_size(max_bytes)}.")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                text = body.decode(codec)
            except UnicodeDecodeError:
                raise ImportProblem("Could not work out the text encoding of the file.") from None
            if not text.strip():
                raise ImportProblem("The file is empty.")
            return text
    if not data.strip():
        raise ImportProblem("The file is empty.")
    kind = _binary_kind(data)
    if kind is not None:
        named = f" ({kind})" if kind else ""
        raise ImportProblem(f"This looks like a binary file{named}, not an article.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _codec(encoding)
    if declared and declared not in ("utf-8", "utf-16", "utf-32"):
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    text = _legacy(data)
    if text is None:
        raise ImportProblem("Could not work out the text encoding of the file.")
    return text
