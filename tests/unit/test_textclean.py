"""annotate.textclean: normalisation of article text at import. No database."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.textclean import (
    clean,
    content_hash,
    normalise,
    split_title,
    strip_boilerplate,
    strip_shortcodes,
)

# A scraped-style article written for the project: a poll shortcode and a trailing widget.
SAMPLE_ARTICLE = Path(__file__).resolve().parents[1] / "samples" / "ferry-subsidy.txt"

LONG = (
    "The regional auditor found that 1.9 million euros counted as regular income in "
    "the 2024 budget was a one-off grant, and asked the council to restate the figures "
    "before the autumn session."
)
assert len(LONG) > 150


# --------------------------------------------------------------------------
# normalise
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("One\r\nTwo", "One\n\nTwo", id="crlf"),
        pytest.param("One\rTwo", "One\n\nTwo", id="bare-cr"),
        pytest.param("One\u2028Two\u2029Three\x0cFour", "One\n\nTwo\n\nThree\n\nFour", id="unicode-line-breaks"),
        pytest.param("Cafe\u0301 au lait", "Caf\u00e9 au lait", id="nfc-combining-acute"),
        pytest.param("Many   spaces\tand\t\ttabs", "Many spaces and tabs", id="space-runs"),
        pytest.param("No\u00a0break\u2009thin\u3000wide", "No break thin wide", id="unicode-spaces"),
        pytest.param("  padded line  \n\t indented", "padded line\n\nindented", id="trims-lines"),
        pytest.param("One\n\n\n\n\nTwo", "One\n\nTwo", id="blank-line-runs"),
        pytest.param("One\n \t \nTwo", "One\n\nTwo", id="whitespace-only-lines"),
        pytest.param("Headline\nFirst paragraph.", "Headline\n\nFirst paragraph.", id="each-line-a-paragraph"),
        pytest.param("\n\n  Body  \n\n", "Body", id="outer-whitespace"),
        pytest.param("Bell\x07 and\x00 nul\x1b", "Bell and nul", id="control-chars"),
        pytest.param("zero\u200bwidth soft\u00adhyphen \ufeffbom", "zerowidth softhyphen bom", id="invisible-chars"),
        pytest.param("family \U0001f468\u200d\U0001f469\u200d\U0001f467", "family \U0001f468\u200d\U0001f469\u200d\U0001f467", id="keeps-zwj-emoji"),
        pytest.param("", "", id="empty"),
    ],
)
def test_it_normalises(text, expected):
    assert normalise(text) == expected


def test_it_composes_a_mark_that_a_removed_control_char_kept_apart():
    assert normalise("e\x00\u0301") == "\u00e9"


# --------------------------------------------------------------------------
# shortcodes
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Vote now [show_poll poll_id=7626] please", "Vote now please", id="underscore-name"),
        pytest.param('Photos: [gallery ids="1,2,3"]', "Photos:", id="gallery-quoted-attr"),
        pytest.param("Photos: [gallery]", "Photos:", id="known-name-bare"),
        pytest.param("Photos: [gallery /]", "Photos:", id="self-closing"),
        pytest.param("Photos: [gallery ids=\u201d1,2\u2033]", "Photos:", id="wptexturized-quotes"),
        pytest.param(
            '[caption id="attachment_12" align="alignleft" width="300"]The mayor at the vote.[/caption]',
            "The mayor at the vote.",
            id="caption-keeps-its-text",
        ),
        pytest.param("Watch: [embed]https://video.example/v/123[/embed] now", "Watch: now", id="embed-url-dropped"),
        pytest.param("Watch: [video src=\"a.mp4\"][/video]", "Watch:", id="video-pair"),
        pytest.param('Write to us: [contact-form-7 id="9" title="Tips"]', "Write to us:", id="contact-form-7"),
        pytest.param("[vc_row][vc_column]Text in a column.[/vc_column][/vc_row]", "Text in a column.", id="page-builder"),
        pytest.param('Ad here [adrotate banner="4"]', "Ad here", id="quoted-attribute-only"),
        pytest.param("[ad id=5] Story", "Story", id="bare-attribute"),
        pytest.param("Stray closer[/something] here", "Stray closer here", id="stray-closing-tag"),
        pytest.param("word[gallery]word", "word word", id="does-not-glue-words"),
        pytest.param("[[gallery]show_poll poll_id=1]", "", id="nested-after-removal"),
    ],
)
def test_it_removes_shortcodes(text, expected):
    assert clean(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("He said it was [sic] finished.", id="sic"),
        pytest.param("As reported earlier [1], the figure rose.", id="footnote-number"),
        pytest.param("The deficit is huge [emphasis added].", id="emphasis-added"),
        pytest.param("[He] denied it.", id="bracketed-pronoun"),
        pytest.param("[The council] said no.", id="bracketed-phrase"),
        pytest.param("[laughter] and [inaudible] and [crosstalk]", id="transcript-notes"),
        pytest.param("A survey [n=42] and [sample n=42] and [x = 2].", id="statistics"),
        pytest.param("[Editor's note: corrected on 5 March.]", id="editors-note"),
        pytest.param("[citation needed] and [update]", id="lowercase-words"),
        pytest.param("Arrays like a[0] and [a] and [b].", id="code-like"),
        pytest.param("[/]", id="lone-slash"),
    ],
)
def test_it_keeps_bracketed_text_that_is_journalism(text):
    assert strip_shortcodes(text) == text
    assert clean(text) == text


# --------------------------------------------------------------------------
# trailing boilerplate
# --------------------------------------------------------------------------

BODY = "The council approved the budget on Tuesday.\n\nIt rises by 4 percent, to 48.2 million euros."


@pytest.mark.parametrize(
    "tail",
    [
        pytest.param("Latest News", id="latest-news"),
        pytest.param("Latest News22:[show_poll poll_id=7626]", id="latest-news-with-poll"),
        pytest.param("Related articles\n\nLibrary hours cut\n\nNew bus line for the north", id="related-list"),
        pytest.param("Related Stories:\n\nSchools get more money", id="related-stories"),
        pytest.param("Read more: How the budget is made", id="read-more"),
        pytest.param("Share this:\n\nFacebook\n\nX\n\nEmail", id="share-this"),
        pytest.param("Share on Facebook Share on X", id="share-on"),
        pytest.param(
            "Sign up for our newsletter to get the best of local news in your inbox every "
            "morning. It is free, and you can unsubscribe at any time you like.",
            id="newsletter-call-to-action",
        ),
        pytest.param("Follow us on social media", id="follow-us"),
        pytest.param("Click here to subscribe.", id="click-here"),
        pytest.param("Advertisement\n\nShop the sale", id="advertisement"),
        pytest.param("Comments (3)\n\nLog in to comment", id="comments-count"),
        pytest.param("Comments:\n\nBe the first to comment", id="comments-label"),
        pytest.param("\u00a9 2024 The Riverton Courier. All rights reserved.", id="copyright"),
        pytest.param("Tags: budget, council, schools", id="tags"),
        pytest.param("\u00bb Read more\n\nAnother story", id="decorated-marker"),
    ],
)
def test_it_drops_a_short_boilerplate_tail(tail):
    assert clean(BODY + "\n\n" + tail) == BODY


@pytest.mark.parametrize(
    "ending",
    [
        pytest.param(LONG + " Read more about it in the report.", id="long-paragraph-mentions-read-more"),
        pytest.param("Comments from residents were mixed, the survey found.", id="comments-as-a-sentence-subject"),
        pytest.param("Related to the budget, the mayor also announced a hiring freeze.", id="related-to"),
        pytest.param("Latest figures show the deficit narrowed.", id="latest-as-a-word"),
        pytest.param("Share prices of the utility fell 3 percent.", id="share-prices"),
        pytest.param("Read more\n\n" + LONG, id="marker-followed-by-a-long-paragraph"),
        pytest.param("Related articles\n\n" + LONG + "\n\nLibrary hours cut", id="long-paragraph-inside-the-tail"),
        pytest.param(
            "Read more: How the budget is made\n\nThe vote is on Friday.\n\nThe mayor said she expects it to pass.",
            id="mid-article-link-before-short-sentences",
        ),
        pytest.param("Advertisement\n\nThe vote is on Friday.", id="ad-slot-before-the-last-sentence"),
        pytest.param("Comments (3)\n\nGreat news.\n\nWhat a waste of money!", id="sentences-after-a-marker"),
        pytest.param("Copyright concerns were raised by the musicians' union, she said.", id="copyright-as-a-subject"),
        pytest.param("Advertisement spending by the council rose 4 percent.", id="advertisement-as-a-subject"),
        pytest.param("Sign up for the scheme closes in May, the council said.", id="sign-up-as-a-subject"),
    ],
)
def test_it_keeps_a_real_last_paragraph(ending):
    text = BODY + "\n\n" + ending
    assert clean(text) == text.replace("Advertisement\n\n", "")


def test_it_keeps_a_real_paragraph_that_mentions_read_more():
    text = BODY + "\n\n" + "Readers who want to read more can find the full budget on the council's website, " + LONG
    assert clean(text) == text


def test_it_never_drops_the_first_paragraph():
    assert clean("Read more") == "Read more"
    assert strip_boilerplate("Share this\n\nFacebook") == "Share this\n\nFacebook"


def test_it_drops_an_advertisement_slot_in_the_middle():
    text = "First paragraph.\n\nADVERTISEMENT\n\nSecond paragraph.\n\n\u2014 Advertisement \u2014\n\nThird."
    assert clean(text) == "First paragraph.\n\nSecond paragraph.\n\nThird."


def test_it_keeps_boilerplate_words_in_the_middle_of_the_article():
    text = "Read more\n\nThe council met.\n\nShare this\n\n" + LONG + "\n\nThe vote is on Friday, the clerk said, and is open to the public."
    assert clean(text) == text


# --------------------------------------------------------------------------
# clean, content_hash, split_title
# --------------------------------------------------------------------------


def test_it_cleans_in_one_go():
    raw = "Budget rises\r\n\r\n  The council\tsaid so. [show_poll poll_id=1]\r\n\r\nCafe\u0301 owners agree.\r\nLatest News"
    assert clean(raw) == "Budget rises\n\nThe council said so.\n\nCaf\u00e9 owners agree."


def test_it_hashes_the_cleaned_body():
    digest = content_hash("The council said so.\r\n\r\nIt did.")
    assert digest == hashlib.sha256(b"The council said so.\n\nIt did.").hexdigest()
    assert digest == content_hash("  The council said so.\nIt did.\nRead more")
    assert digest != content_hash("The council said no.\n\nIt did.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Budget rises\n\nThe council said so.", ("Budget rises", "The council said so."), id="title-and-body"),
        pytest.param("\n\n  Budget rises  \r\nLine one.\r\nLine two.", ("Budget rises", "Line one.\n\nLine two."), id="leading-blank-lines"),
        pytest.param("Budget rises", ("Budget rises", "Budget rises"), id="single-line-is-also-the-body"),
        pytest.param(
            "word " * 60 + "\n\nSecond.",
            ("word word word word word word word word word word word word word word word word\u2026", ("word " * 60).strip() + "\n\nSecond."),
            id="too-long-for-a-title",
        ),
        pytest.param("", ("", ""), id="empty"),
    ],
)
def test_it_splits_the_title_from_the_body(text, expected):
    assert split_title(text) == expected


# --------------------------------------------------------------------------
# a scraped sample (the project's own, in the shape of a real scrape)
# --------------------------------------------------------------------------


def test_the_scraped_sample_keeps_its_title_and_every_paragraph_in_order():
    raw = SAMPLE_ARTICLE.read_text(encoding="utf-8")
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    # The sample's own lines, minus the poll shortcode and the trailing widget.
    expected = [normalise(line) for line in lines if "show_poll" not in line and not line.startswith("Latest News")]

    title, body = split_title(raw)
    paragraphs = body.split("\n\n")

    assert title == expected[0]
    assert paragraphs == expected[1:]
    assert "Counting the cost" in paragraphs
    assert "What the plan says" in paragraphs
    assert "show_poll" not in body
    assert "[" not in body
    assert "Latest News" not in body
    assert body == clean(body)


# --------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "[", "]", "/", "=", "show_poll", " poll_id=7", "gallery", ' ids="1"', "caption",
        "embed", "https://example.org/v", "[sic]", "\n", "\n\n", "\r", "\r\n", " ", "\t",
        "\x00", "\u00a0", "\u2028", "\ufeff", "\u200b", "e", "\u0301", "word", "Read more",
        "Latest News", "Comments", "(3)", ": ", "\u00a9", "Advertisement", "x" * 160,
    ]
)  # fmt: skip
ARTICLE_LIKE = st.one_of(
    st.text(),
    st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=40).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(ARTICLE_LIKE)
def test_clean_is_idempotent(text):
    cleaned = clean(text)
    assert clean(cleaned) == cleaned


@settings(max_examples=300, deadline=None)
@given(ARTICLE_LIKE)
def test_clean_output_has_the_body_format(text):
    cleaned = clean(text)
    assert cleaned == cleaned.strip()
    assert "\r" not in cleaned and "\n\n\n" not in cleaned and "\t" not in cleaned
    assert all(p and p == p.strip() and "\n" not in p for p in cleaned.split("\n\n") if cleaned)
    assert not any(ord(c) < 32 and c != "\n" for c in cleaned)
    assert normalise(cleaned) == cleaned
