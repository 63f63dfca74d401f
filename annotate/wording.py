"""Comparing a quote with the words now in its place: pure, stdlib only.

Re-anchoring (annotate/anchoring.py) may move a span only onto text equal to its quote
after the import's normalisation (`same_wording`). Anything else is a candidate for a
person, shown whole-word (`widen_edges`) with what differs (`describe_change`).
"""

from __future__ import annotations

import re
import unicodedata


def same_wording(a: str, b: str) -> bool:
    """Equal after the normalisation import applies (NFC, whitespace).

    >>> same_wording("tax will  fall", "tax will fall")
    True
    >>> same_wording("40 percent", "14 percent")
    False
    """
    return a == b or _normal(a) == _normal(b)


def _normal(text):
    return " ".join(unicodedata.normalize("NFC", text).split())


def widen_edges(body: str, start: int, end: int, exact: str, prefix: str = "", suffix: str = "") -> tuple[int, int]:
    """Grow ``body[start:end]`` to whole words on each side where the quote ``exact``
    (with its context ``prefix``/``suffix``) was selected on a word's edge.

    >>> widen_edges("They built 5,000 new homes.", 13, 26, "500 new homes", "built ", ".")
    (11, 26)
    """
    if exact[:1].isalnum() and not (prefix[-1:].isalnum()):
        while start > 0 and (body[start - 1].isalnum() or (body[start - 1] in ",." and start > 1 and body[start - 2].isalnum())):
            start -= 1
    if exact[-1:].isalnum() and not (suffix[:1].isalnum()):
        while end < len(body) and (body[end].isalnum() or (body[end] in ",." and end + 1 < len(body) and body[end + 1].isalnum())):
            end += 1
    return start, end


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NEGATION = re.compile(r"\b(?:not|no|never|none|nobody|nothing|neither|nor|cannot|without)\b|n't\b", re.IGNORECASE)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’-]*")


def describe_change(old: str, new: str) -> tuple[str, ...]:
    """What differs between a quote and its candidate: "number", "negation", "name", "wording".

    >>> describe_change("tax will fall by 40 percent", "tax will fall by 14 percent")
    ('number',)
    >>> describe_change("the mayor denies it", "the mayor does not deny it")
    ('negation', 'wording')
    """
    kinds = []
    if _NUMBER.findall(old) != _NUMBER.findall(new):
        kinds.append("number")
    if sorted(m.lower() for m in _NEGATION.findall(old)) != sorted(m.lower() for m in _NEGATION.findall(new)):
        kinds.append("negation")
    if _NAME.findall(old) != _NAME.findall(new):
        kinds.append("name")
    rest = [_NEGATION.sub("", _NUMBER.sub("", _NAME.sub("", t))) for t in (old, new)]
    if not kinds or _normal(rest[0]) != _normal(rest[1]):
        kinds.append("wording")
    return tuple(kinds)
