"""Server-side HTML of the review page's heavy parts: the highlighted article and the claim rows.

Built in Python rather than with a template loop because a long article carries
thousands of highlights: a template node per mark costs tens of microseconds, a
string join costs well under one (20,000 words and 10,000 claims render in a few
tens of milliseconds; see the report in the review helper's notes).

Every piece of user text goes through `escape` (the stdlib function Django's own
`escape` wraps, without the SafeString allocation per call; text content needs only
& < > escaped, attribute values quotes too); attribute values are numbers, fixed
class names, or escaped. The joined result is marked safe once.

The DOM contract with static/js/review.js:
- `<p id="para-N" data-start="S">`: paragraph N of the body starts at code point S.
  The text of a paragraph is exactly body[S:S+len]; nothing but text nodes and
  <mark> elements are inside, so walking its text nodes gives the body back.
- `data-gap` on a paragraph holds the text between it and the previous one when
  that is not the usual "\\n\\n", so a selection across paragraphs can be quoted.
- `<mark data-claims="3 7">`: the claim ids covering that piece, outermost first.
  Its colour follows the innermost claim's verdict (`rt-<rating id>`, classes from
  the desk's generated stylesheet, annotate/verdict_colours.py); no rt- class means
  unrated (neutral). Its underline style follows the status (`s-<status>`).
  `data-label` (shown through CSS ::before, so it is not part of the text) marks
  the first piece of each claim.
"""

import re
from bisect import bisect_left, insort
from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils.safestring import mark_safe

from annotate import anchoring, lifecycle
from annotate.models import Status, HistoryAction
from annotate.urltemplates import url_template

STATUS_LABELS = dict(Status.choices)
MAX_DEPTH = 4  # deeper nesting looks the same as four levels
ROW_TEXT_LIMIT = 160
_SPECIAL = re.compile(r"[&<>]")


@dataclass(slots=True)
class ClaimRow:
    """What the claims panel and the highlights need of one claim, loaded with values_list."""

    id: int
    start: int
    end: int
    quote: str
    orphaned: bool
    text: str
    status: str
    my_rating: str = ""
    my_rating_value: int | None = None
    my_rating_id: int | None = None
    final_rating_id: int | None = None

    @property
    def colour_key(self):
        """The rating whose colour the claim wears: the final one once settled, else the viewer's own verdict."""
        return colour_key(self.status, self.final_rating_id, self.my_rating_id)




def colour_key(status, final_rating_id, my_rating_id):
    if status in lifecycle.SETTLED and final_rating_id:
        return final_rating_id
    return my_rating_id


# --- the article ---------------------------------------------------------------


def article_html(body, rows):
    """The whole article as paragraphs with highlights; `rows` are ClaimRows (orphans are skipped)."""
    spans = [(r.start, r.end, r.id, r.status, r.colour_key) for r in rows if not r.orphaned]
    wanted, previous_end = [], 0
    for index, (start, end) in enumerate(paragraph_bounds(body)):
        wanted.append((index, start, end, previous_end))
        previous_end = end
    return mark_safe(_render(body, wanted, spans))


def paragraph_bounds(body):
    """Yield (start, end) of each paragraph exactly as `anchoring.paragraphs` finds them.

    The same break pattern, but only tried where a newline is (found with str.find):
    run over the whole text, the pattern's optional leading \r makes the regex engine
    try every character, ~10x slower on a 120 KB article. Tuples, not Positions: no
    validation per paragraph. tests/views/test_review_rendering.py checks both agree.
    """
    find, match = body.find, anchoring._PARAGRAPH_BREAK.match
    piece = at = 0
    while (newline := find("\n", at)) >= 0:
        start = newline - 1 if newline and body[newline - 1] == "\r" else newline
        found = match(body, start)
        if found is None:
            at = newline + 1
            continue
        if bounds := _trimmed(body, piece, start):
            yield bounds
        piece = at = found.end()
    if bounds := _trimmed(body, piece, len(body)):
        yield bounds


def _trimmed(body, start, end):
    piece = body[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    lead = len(piece) - len(piece.lstrip())
    return start + lead, start + lead + len(stripped)


def touched_paragraphs(body, touched):
    """[(index, start, end, previous_end)] of the paragraphs that intersect the `touched` (start, end) ranges.

    Scans the body only up to the last of them; `previous_end` is where the paragraph
    before ends (0 for the first), which the gap and the labels need.
    """
    high = max(e for _, e in touched)
    out, previous_end = [], 0
    for index, (start, end) in enumerate(paragraph_bounds(body)):
        if start >= high:
            break
        if any(start < e and s < end for s, e in touched):
            out.append((index, start, end, previous_end))
        previous_end = end
    return out


def paragraphs_html(body, spans, touched, oob=True, wanted=None):
    """Re-render only the paragraphs that intersect `touched` ranges (for an htmx out-of-band swap).

    `spans` are (start, end, claim_id, status[, rating id for its colour]) of every placed span overlapping those
    paragraphs (see `touched_bounds`); `touched` are (start, end) ranges that changed;
    `wanted` is what `touched_paragraphs` returned for them, when the caller has it.
    Returns safe HTML of the `<p>` elements, each marked hx-swap-oob so htmx replaces it.
    """
    wanted = touched_paragraphs(body, touched) if wanted is None else wanted
    return mark_safe(_render(body, wanted, spans, oob=oob))


def touched_bounds(wanted, touched):
    """(low, high): from the start of the first to the end of the last of the `touched_paragraphs` rows."""
    if not wanted:
        return min(s for s, _ in touched), max(e for _, e in touched)
    return wanted[0][1], wanted[-1][2]


def _render(body, wanted, spans, oob=False):
    """HTML of the `wanted` (index, start, end, previous_end) paragraphs with every span in `spans` highlighted.

    One sweep over the span boundaries, writing marks as it goes. This is
    anchoring.segments + split_by fused, without a Segment object per piece, which is
    what keeps 10,000 highlights fast; tests/views/test_review_rendering.py checks it
    cuts and orders exactly as those two do. A piece's keys are ordered like theirs
    (span start, longer first, id): outermost first, innermost last.
    """
    length = len(body)
    spans = sorted((s for s in spans if 0 <= s[0] < s[1] <= length), key=lambda s: (s[0], -s[1], s[2]))
    ids = [str(s[2]) for s in spans]
    status = [s[3] for s in spans]
    colour = [f" rt rt-{s[4]}" if len(s) > 4 and s[4] else "" for s in spans]
    starts, ends = {}, {}
    for rank, (start, end, *_) in enumerate(spans):
        starts.setdefault(start, []).append(rank)
        ends.setdefault(end, []).append(rank)
    out = []
    append = out.append
    active = []  # ranks of the spans covering the current point, sorted
    fresh = []  # started but not yet labelled
    boundaries = sorted(set(starts) | set(ends))
    b = 0  # next boundary to apply
    for index, p_start, p_end, previous_end in wanted:
        # Bring the active set to the paragraph start (spans wholly before it come and go).
        while b < len(boundaries) and boundaries[b] <= p_start:
            _apply(boundaries[b], starts, ends, active, fresh)
            b += 1
        fresh[:] = [r for r in fresh if spans[r][0] >= previous_end]  # spans starting in the gap get labelled here
        attrs = f'id="para-{index}" data-start="{p_start}"'
        if index:
            gap = body[previous_end:p_start]
            if gap != "\n\n":
                attrs += f' data-gap="{escape(gap)}"'
        if oob:
            attrs += ' hx-swap-oob="true"'
        append(f"<p {attrs}>")
        # Most paragraphs have nothing to escape; text (not attribute) needs only & < >.
        plain = _SPECIAL.search(body, p_start, p_end) is None
        at = p_start
        while at < p_end:
            stop = boundaries[b] if b < len(boundaries) and boundaries[b] < p_end else p_end
            text = body[at:stop] if plain else escape(body[at:stop], False)
            if active:
                label = ""
                if fresh:
                    named = " ".join(["#" + ids[r] for r in sorted(fresh) if r in active])
                    label = f' data-label="{named}"' if named else ""
                    fresh.clear()
                depth = len(active) if len(active) < MAX_DEPTH else MAX_DEPTH
                append(
                    f'<mark class="hl s-{status[active[-1]]} d{depth}{colour[active[-1]]}" data-claims="{" ".join([ids[r] for r in active])}"'
                    f"{label}>{text}</mark>"
                )
            else:
                append(text)
            at = stop
            if b < len(boundaries) and boundaries[b] == stop and stop < p_end:
                _apply(stop, starts, ends, active, fresh)
                b += 1
        append("</p>")
    return "".join(out)


def _apply(point, starts, ends, active, fresh):
    for rank in ends.get(point, ()):
        del active[bisect_left(active, rank)]
    for rank in starts.get(point, ()):
        insort(active, rank)
        fresh.append(rank)


# --- the claims panel ----------------------------------------------------------


def _detail_url_pattern():
    # reverse() per row would cost more than the rest of the row; reverse once.
    return url_template("claim-detail")


def claim_row_html(row, url=None, current=None, badges=None):
    """One `<li>` of the claims panel (text order), shared by the page and the out-of-band updates.

    Terse on purpose: a 10,000-claim article sends 10,000 of these. The row's status
    class styles its border and its status badge (the `<b>` in `<small>`, see
    factmark.css); the link's data-claim is what review.js reads. User text sits in
    `<bdi>` (or dir="auto"), so a right-to-left claim cannot reorder the row around it.
    """
    url = (url or _detail_url_pattern()).format(row.id)
    badges = {} if badges is None else badges
    text = row.text if len(row.text) <= ROW_TEXT_LIMIT else row.text[: ROW_TEXT_LIMIT - 1] + "…"
    badge_key = (row.status, row.my_rating, row.my_rating_value, row.my_rating_id)
    meta = badges.get(badge_key)
    if meta is None:
        # A handful of distinct (status, rating) pairs per article: build each badge pair once.
        meta = badges[badge_key] = _badges(row)
    # rendering.colour_key inlined: this runs once per row of a 10,000-claim article.
    key = row.final_rating_id if row.final_rating_id and row.status in lifecycle.SETTLED else row.my_rating_id
    colour = f" rt rt-{key}" if key else ""
    if current == row.id:
        current_class, aria = " is-current", ' aria-current="true"'
    else:
        current_class = aria = ""
    quote = f'<blockquote class="orphan-quote" dir="auto">{escape(row.quote, False)}</blockquote>' if row.orphaned else ""
    return (
        f'<li id="claim-row-{row.id}" class="claim-row s-{row.status}{colour}{current_class}">'
        f'<a class="claim-link" href="{url}" data-claim="{row.id}"{aria}><b>#{row.id}</b> <bdi>{escape(text, False)}</bdi></a>'
        f"{quote}{meta}</li>"
    )


def _badges(row):
    if row.my_rating:
        value = row.my_rating_value if row.my_rating_value is not None else "none"
        own = f" rt rt-{row.my_rating_id}" if row.my_rating_id else ""
        rating = f'<span class="rating-badge r-{value}{own}"><span class="vh">Your verdict: </span>{escape(row.my_rating, False)}</span>'
    else:
        rating = '<span class="rating-badge r-missing">No verdict yet</span>'
    label = escape(STATUS_LABELS.get(row.status, row.status), False)
    return f"<small><b>{label}</b> {rating}</small>"


def claim_rows_html(rows, current=None):
    url = _detail_url_pattern()
    badges = {}
    return mark_safe("".join([claim_row_html(r, url, current, badges) for r in rows]))


def oob_row_html(row, placed_before=None, current=None):
    """A claim row sent out of band: replaced where it is, or inserted after its neighbour in article order.

    `placed_before` is None to replace an existing row, the id of the row it follows,
    or 0 to put it first in the list.
    """
    html = claim_row_html(row, current=current)
    if placed_before is None:
        return mark_safe(html.replace("<li ", '<li hx-swap-oob="true" ', 1))
    where = f"afterend:#claim-row-{placed_before}" if placed_before else "afterbegin:#claim-list"
    # Non-inline swaps insert the children of the wrapper, so the <li> arrives alone.
    return mark_safe(f'<ul hx-swap-oob="{where}">{html}</ul>')


def oob_delete_html(element_id):
    """An empty list item that makes htmx remove the element with this id, out of band."""
    return mark_safe(f'<li id="{escape(element_id)}" hx-swap-oob="delete"></li>')


def oob_error_html(element_id, message):
    """An alert paragraph that replaces the element with this id, out of band."""
    return mark_safe(f'<p class="error" role="alert" id="{escape(element_id)}" hx-swap-oob="true">{escape(message)}</p>')


# --- history -------------------------------------------------------------------

_FIELD_NAMES = {"text": "the claim as checked", "claimant": "the claimant", "claim_date": "the claim date",
                "rating": "the rating", "rationale": "the rationale", "status": "the status"}


def describe_history(entry):
    """A sentence for one HistoryEntry, e.g. "changed the rating from Mixed to False"."""
    changes = entry.changes or {}
    action = entry.action
    if action == HistoryAction.CLAIM_CREATED:
        return f"created the claim on “{_short(changes.get('quote', ''))}”"
    if action in (HistoryAction.CLAIM_EDITED, HistoryAction.VERDICT_CHANGED):
        parts = []
        for field, value in changes.items():
            name = _FIELD_NAMES.get(field, field)
            if isinstance(value, list) and len(value) == 2:
                before, after = (_short(_label(field, v)) for v in value)
                parts.append(f"changed {name} from “{before or '—'}” to “{after or '—'}”")
            else:
                parts.append(f"set {name} to “{_short(_label(field, value))}”")
        prefix = "" if action == HistoryAction.CLAIM_EDITED else "verdict: "
        return prefix + ("; ".join(parts) or "saved without changes")
    if action == HistoryAction.VERDICT_CREATED:
        text = f"gave the verdict “{changes.get('rating', '')}”"
        if changes.get("rationale"):
            text += f": {_short(changes['rationale'])}"
        return text
    if action == HistoryAction.SOURCE_ADDED:
        return f"attached {changes.get('url', 'a source')} ({changes.get('stance', '')})"
    if action == HistoryAction.STATUS_CHANGED:
        before, after = (changes.get("status") or ["", ""])[:2]
        text = f"moved the claim from {STATUS_LABELS.get(before, before)} to {STATUS_LABELS.get(after, after)}"
        return text + (f"; reason: “{_short(changes['reason'])}”" if changes.get("reason") else "")
    if action in (HistoryAction.CORRECTED, HistoryAction.ASSIGNED, HistoryAction.TAKEN):
        from annotate.workflow_text import describe  # corrections and assignments (issue 11)

        return describe(action, changes, _short)
    if action == HistoryAction.FINAL_VERDICT:
        return f"settled the final verdict “{changes.get('rating', '')}”"
    if action == HistoryAction.SPAN_ORPHANED and "rejected" in changes:
        return f"orphaned the claim: “{_short(changes['rejected'])}” is not its text"
    if action == HistoryAction.SPAN_ORPHANED:
        return f"revision {changes.get('revision', '?')} of the article lost the quote; it needs re-placing"
    if action == HistoryAction.SPAN_CHANGED:
        return (f"revision {changes.get('revision', '?')} of the article changed the quoted words "
                f"from “{_short(changes.get('quote', ''))}” to “{_short(changes.get('new_quote', ''))}”; the claim was not moved")
    if action == HistoryAction.SPAN_MOVED:
        return f"revision {changes.get('revision', '?')} of the article moved the highlight (same words)"
    if action == HistoryAction.WORDING_ACCEPTED:
        before, after = (changes.get("quote") or ["", ""])[:2]
        return f"accepted the new wording “{_short(after)}” (was “{_short(before)}”); the verdict is open again"
    if action in (HistoryAction.MATCH_CONFIRMED, HistoryAction.MATCH_DISMISSED):  # desk memory: annotate/memory/similar.py
        verb = "confirmed it repeats" if action == HistoryAction.MATCH_CONFIRMED else "dismissed it as a repeat of"
        who = " (auto-linked above the project's threshold)" if changes.get("automatic") else ""
        return f"{verb} claim #{changes.get('earlier', '?')}{who}"
    if action == HistoryAction.SPAN_REPLACED:
        return f"re-placed the highlight on “{_short(changes.get('quote', ''))}”"
    if action.startswith("source_") and action != HistoryAction.SOURCE_ADDED:
        from annotate.sources_history import describe  # sources (issue 15)

        return describe(action, changes)
    return action.replace("_", " ")


def _label(field, value):
    if field == "status":
        return STATUS_LABELS.get(value, value)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _short(text, limit=120):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
