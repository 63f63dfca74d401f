"""Verdict colours meet WCAG AA (issue 12, item 2): for every default rating colour, and for
colours a desk might pick that are too light or too dark as they are."""

import pytest

from annotate import verdict_colours as vc
from annotate.models.projects import DEFAULT_SCALE

DEFAULTS = [(label, colour) for label, _, colour, _ in DEFAULT_SCALE]
AWKWARD = [("yellow", "#ffee00"), ("white", "#ffffff"), ("black", "#000000"), ("pale blue", "#cfe8ff")]


@pytest.mark.parametrize("label, colour", DEFAULTS + AWKWARD, ids=[c[0] for c in DEFAULTS + AWKWARD])
def test_every_pair_of_the_palette_meets_wcag_aa(label, colour):
    p = vc.palette(colour)
    assert vc.contrast(vc.INK, p["bg"]) >= 4.5, "article text on the highlight"
    assert vc.contrast(p["ink"], p["soft"]) >= 4.5, "badge label on the badge"
    assert vc.contrast(vc.INK, p["soft"]) >= 4.5, "ink on the badge background"
    assert vc.contrast(p["line"], vc.WHITE) >= 3.0, "underline and border on white (non-text, 1.4.11)"


@pytest.mark.parametrize("label, colour", DEFAULTS, ids=[c[0] for c in DEFAULTS])
def test_default_colours_are_kept_where_they_already_pass(label, colour):
    # The desk's own colour is used as is for lines when it reaches 3:1 on white.
    if vc.contrast(colour, vc.WHITE) >= 3.0:
        assert vc.palette(colour)["line"] == colour


def test_the_default_ratings_are_told_apart_by_their_highlight():
    backgrounds = [vc.palette(colour)["bg"] for _, colour in DEFAULTS]
    assert len(set(backgrounds)) == len(backgrounds)


def test_contrast_follows_the_wcag_formula():
    assert round(vc.contrast("#000000", "#ffffff"), 2) == 21.0
    assert round(vc.contrast("#777777", "#ffffff"), 2) == 4.48  # the well-known just-fails grey
    assert vc.contrast("#123456", "#123456") == 1.0


def test_the_stylesheet_has_one_class_per_rating():
    css = vc.scale_css([vc.RatingStyle(7, "False", "#cf222e"), vc.RatingStyle(9, "Accurate", "#1a7f37")])
    assert ".rt-7{--rt-line:#cf222e;" in css and ".rt-9{--rt-line:#1a7f37;" in css
    with pytest.raises(ValueError):
        vc.palette("red")
