"""Offsets in right-to-left and mixed-direction text (issue 12, item 6): bidi marks and
combining marks are code points like any other, so a quote taken at code-point offsets
is exactly the text the reader selected, and the rendered paragraphs carry those offsets."""

import re
from html import unescape

import pytest

from annotate import anchoring, rendering

RLM, LRM, ALM = "\u200f", "\u200e", "\u061c"
FATHA, SHADDA, KASRA = "\u064e", "\u0651", "\u0650"
# Arabic with harakat (combining), a bidi mark, Latin digits and an English name; Hebrew with niqqud.
ARABIC = f"قال{FATHA} الوزير{KASRA} إن{SHADDA} الجسر كلّف 41 مليون يورو{RLM} (Harbour Council).{LRM}"
HEBREW = "הַמְּמשָׁלָה אָמְרָה כִּי 12,000 בָּתִּים מוּגָנִים."
BODY = f"Harbour barrier: the minister speaks\n\n{ARABIC}\n\n{HEBREW}\n\nEmoji 🌊 then عربي{ALM} text."

CASES = [
    # (phrase, why)
    (f"الوزير{KASRA}", "a word ending in a combining kasra"),
    (f"إن{SHADDA} الجسر", "a shadda inside the selection"),
    (f"يورو{RLM} (Harbour", "a right-to-left mark between scripts"),
    ("41 مليون", "Latin digits inside Arabic"),
    ("בָּתִּים", "Hebrew with niqqud"),
    (f"عربي{ALM} text", "an Arabic letter mark after an emoji earlier in the paragraph"),
]


@pytest.mark.parametrize("phrase, why", CASES, ids=[c[1] for c in CASES])
def test_a_quote_at_code_point_offsets_is_exactly_the_phrase(phrase, why):
    start = BODY.index(phrase)
    end = start + len(phrase)
    quote = anchoring.check_selection(BODY, start, end, phrase)
    assert quote.exact == phrase
    # Combining marks are separate code points: cutting before one gives a different quote, which is refused.
    if any(mark in phrase for mark in (FATHA, SHADDA, KASRA)):
        with pytest.raises(anchoring.AnchorError):
            anchoring.check_selection(BODY, start, end - 1, phrase)


@pytest.mark.parametrize("phrase, why", CASES, ids=[c[1] for c in CASES])
def test_utf16_offsets_of_the_browser_convert_to_the_same_code_points(phrase, why):
    start = BODY.index(phrase)
    end = start + len(phrase)
    u_start, u_end = anchoring.codepoints_to_utf16(BODY, start), anchoring.codepoints_to_utf16(BODY, end)
    # Only the emoji is two UTF-16 units: after it the offsets differ by one, before it they agree.
    shift = 1 if start > BODY.index("🌊") else 0
    assert (u_start - start, u_end - end) == (shift, shift)
    assert (anchoring.utf16_to_codepoints(BODY, u_start), anchoring.utf16_to_codepoints(BODY, u_end)) == (start, end)


def test_rendered_paragraphs_keep_every_mark_at_its_code_point_offset():
    html = str(rendering.article_html(BODY, []))
    paragraphs = re.findall(r'<p id="para-\d+" data-start="(\d+)"[^>]*>(.*?)</p>', html, re.S)
    assert len(paragraphs) == 4
    for start, inner in paragraphs:
        text = unescape(re.sub(r"<[^>]+>", "", inner))
        assert BODY[int(start) : int(start) + len(text)] == text  # marks included, nothing dropped or added
    assert RLM in paragraphs[1][1] and LRM in paragraphs[1][1] and SHADDA in paragraphs[1][1]


def test_a_highlight_in_arabic_wraps_exactly_its_code_points():
    phrase = f"إن{SHADDA} الجسر"
    start = BODY.index(phrase)
    row = rendering.ClaimRow(5, start, start + len(phrase), phrase, False, phrase, "open")
    html = str(rendering.article_html(BODY, [row]))
    assert f'data-claims="5" data-label="#5">{phrase}</mark>' in html
