"""The language of an article, detected once at import, and the PostgreSQL text-search
configuration that goes with it (migration 0007 holds the same table as SQL)."""

from langdetect import DetectorFactory, LangDetectException, detect

# langdetect is probabilistic; a fixed seed makes the same text give the same answer.
DetectorFactory.seed = 0

# ISO 639-1 → PostgreSQL's built-in snowball configurations; anything else is "simple".
TS_CONFIGS = {
    "ar": "arabic", "da": "danish", "de": "german", "el": "greek", "en": "english", "es": "spanish",
    "fi": "finnish", "fr": "french", "hu": "hungarian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "nl": "dutch", "no": "norwegian", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sv": "swedish", "ta": "tamil", "tr": "turkish",
}
SAMPLE_CHARS = 5000


def detect_language(text):
    """ISO 639-1 code of `text` ("en"), or "" when it cannot be told (too short, no letters).

    The first few thousand characters are enough and keep long articles fast.
    """
    sample = (text or "")[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < 20:
        return ""
    try:
        return detect(sample).split("-")[0]
    except LangDetectException:
        return ""


def ts_config(language):
    return TS_CONFIGS.get(language or "", "simple")


def config_sql():
    """The CASE expression of factmark_ts_config(), generated from TS_CONFIGS."""
    whens = " ".join(f"WHEN '{code}' THEN '{name}'" for code, name in sorted(TS_CONFIGS.items()))
    return f"CASE lang {whens} ELSE 'simple' END"
