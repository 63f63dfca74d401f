"""Pure: the colours a rating gives highlights, badges and rows, with WCAG AA contrast guaranteed.

A desk picks one colour per rating (Rating.colour, e.g. "#cf222e" for False). That
colour cannot be used as is everywhere: article text (#1f2328) must stay readable on
the highlight, a badge's label on its pale background, and an underline or a border
must stand out from white. So each rating gets a small palette derived from its colour:

- `bg`: a tint of the colour behind highlighted article text (ink on it >= 4.5:1);
- `line`: the colour, darkened until it reaches 3:1 on white (WCAG 1.4.11, non-text);
- `soft`: a paler tint for badges; `ink`: the colour darkened until it reads at 4.5:1 on `soft`.

Colour is never the only signal: the rating's label is printed in every badge and in the
legend, and status keeps its own underline style (factmark.css).

>>> round(contrast("#000000", "#ffffff"), 1)
21.0
>>> palette("#cf222e")["line"]
'#cf222e'
"""

from dataclasses import dataclass

INK = "#1f2328"  # article text (factmark.css --ink)
WHITE = "#ffffff"
TEXT_AA = 4.5
NON_TEXT_AA = 3.0
NEUTRAL = "#57606a"  # an unrated claim


def rgb(colour):
    """'#1a7f37' -> (26, 127, 55)."""
    colour = colour.lstrip("#")
    if len(colour) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def hex_of(channels):
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in channels)


def luminance(colour):
    """WCAG 2 relative luminance of a #rrggbb colour."""

    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    """WCAG 2 contrast ratio between two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(colour, other, amount):
    """`amount` of `colour` over `other` (0 = other, 1 = colour)."""
    return hex_of(c * amount + o * (1 - amount) for c, o in zip(rgb(colour), rgb(other)))


def darken_until(colour, background, ratio):
    """The colour, mixed with black in small steps until it reaches `ratio` on `background`."""
    for step in range(0, 101):
        candidate = mix("#000000", colour, step / 100)
        if contrast(candidate, background) >= ratio:
            return candidate
    return "#000000"


def tint_until(colour, amount, foreground, ratio):
    """A tint of `colour` (`amount` of it on white), paler if needed until `foreground` reaches `ratio` on it."""
    while amount > 0:
        candidate = mix(colour, WHITE, amount)
        if contrast(foreground, candidate) >= ratio:
            return candidate
        amount = round(amount - 0.02, 2)
    return WHITE


def palette(colour):
    """{'line', 'bg', 'soft', 'ink'} for a rating colour; each pair meets WCAG AA (see module docstring)."""
    line = darken_until(colour, WHITE, NON_TEXT_AA)
    bg = tint_until(colour, 0.30, INK, TEXT_AA)
    soft = tint_until(colour, 0.14, INK, TEXT_AA)
    ink = darken_until(colour, soft, TEXT_AA)
    return {"line": line, "bg": bg, "soft": soft, "ink": ink}


@dataclass(frozen=True)
class RatingStyle:
    key: int
    label: str
    colour: str


def scale_css(ratings):
    """A stylesheet for a desk's scale: `.rt-<rating id>` sets the custom properties factmark.css reads.

    Served as a file (annotate/views/chrome.py), so the strict CSP (no inline style) holds.
    """
    out = ["/* Generated from the desk's rating scale: one class per rating (annotate/verdict_colours.py). */"]
    for rating in ratings:
        p = palette(rating.colour)
        out.append(
            f".rt-{int(rating.key)}{{--rt-line:{p['line']};--rt-bg:{p['bg']};--rt-soft:{p['soft']};--rt-ink:{p['ink']}}}"
        )
    return "\n".join(out) + "\n"
