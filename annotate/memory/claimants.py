"""Claimant names normalised, so "Mayor Jane  Doe", "jane doe" and "Dr. Jane Doe" are one claimant."""

import re
import unicodedata

# Titles and honorifics dropped from the front (repeatedly: "Former Prime Minister").
TITLES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "rev", "hon",
    "sen", "senator", "rep", "representative", "gov", "governor", "pres", "president", "mayor", "minister",
    "prime", "deputy", "former", "councillor", "councilor", "cllr", "mp", "mep", "chancellor", "secretary",
    "general", "judge", "justice", "the", "st",
}
SUFFIXES = {"jr", "sr", "ii", "iii", "mp", "mep", "phd", "md", "qc", "kc", "obe", "mbe", "cbe"}


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def normalise_claimant(name):
    """A key for grouping: case-folded, accents and punctuation dropped, titles and suffixes removed.

    >>> normalise_claimant("  Dr.  Jane   DOE, MP ")
    'jane doe'
    """
    words = re.sub(r"[^\w\s'-]|_", " ", _fold(name or "")).replace("'", "").split()
    while len(words) > 1 and words[0].strip("-") in TITLES:
        words.pop(0)
    while len(words) > 1 and words[-1].strip("-") in SUFFIXES:
        words.pop()
    return " ".join(words)[:200]
