"""annotate/rendering.py: the highlighted article is cut exactly as anchoring.segments + split_by
would cut it, labels each claim once, escapes text, and re-renders single paragraphs identically."""

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from annotate import anchoring, rendering
from annotate.rendering import ClaimRow


class _Parsed(HTMLParser):
    """Paragraphs as (attrs, [(text, claim ids, label)]) from the rendered HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs = []
        self._mark = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "p":
            self.paragraphs.append((attrs, []))
        elif tag == "mark":
            self._mark = (tuple(int(k) for k in attrs["data-claims"].split()), attrs.get("data-label"), attrs["class"])

    def handle_endtag(self, tag):
        if tag == "mark":
            self._mark = None

    def handle_data(self, data):
        pieces = self.paragraphs[-1][1]
        if self._mark is None:
            if pieces and pieces[-1][1] == ():
                pieces[-1] = (pieces[-1][0] + data, (), None, None)
            else:
                pieces.append((data, (), None, None))
        else:
            pieces.append((data, *self._mark))


def parse(html):
    parser = _Parsed()
    parser.feed(html)
    return parser.paragraphs


bodies = st.lists(
    st.text(alphabet="ab <&>\"'é😀\n", min_size=1, max_size=12), min_size=1, max_size=5
).map(lambda parts: "\n\n".join(parts))


@st.composite
def articles(draw):
    body = draw(bodies)
    n = len(body)
    spans = []
    if n >= 1:
        for i in range(draw(st.integers(0, 8))):
            start = draw(st.integers(0, n - 1))
            end = draw(st.integers(start + 1, n))
            spans.append((start, end))
    return body, spans


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab \t\r\n\x0b\u2028é", max_size=40))
def test_paragraph_bounds_finds_the_paragraphs_anchoring_finds(body):
    expected = [(p.start, p.end) for p in anchoring.paragraphs(body)]
    assert list(rendering.paragraph_bounds(body)) == expected
    if expected:
        # Any range: the paragraphs it touches, with their index and the end of the one before.
        start, end = expected[0][0], expected[-1][1]
        rows = rendering.touched_paragraphs(body, [(start, end)])
        assert [(s, e) for _, s, e, _ in rows] == expected
        assert [i for i, *_ in rows] == list(range(len(expected)))
        assert [prev for *_, prev in rows] == [0] + [e for _, e in expected[:-1]]


@settings(max_examples=300, deadline=None)
@given(articles())
def test_it_cuts_and_orders_pieces_exactly_like_anchoring_segments(case):
    body, spans = case
    rows = [ClaimRow(i + 1, s, e, "", False, "t", "open") for i, (s, e) in enumerate(spans)]
    html = rendering.article_html(body, rows)
    paras = anchoring.paragraphs(body)
    expected = anchoring.split_by(anchoring.segments(len(body), [(s, e, i + 1) for i, (s, e) in enumerate(spans)]), paras)
    parsed = parse(html)
    assert len(parsed) == len(paras)
    labelled = []
    for (attrs, pieces), (para, segs) in zip(parsed, expected):
        assert int(attrs["data-start"]) == para.start
        # The paragraph's text is the body's, character for character.
        assert "".join(p[0] for p in pieces) == body[para.start : para.end]
        at = para.start
        got = []
        for text, keys, label, cls in pieces:
            got.append((at, at + len(text), keys))
            at += len(text)
            if keys:
                assert cls == f"hl s-open d{min(len(keys), 4)}"
            if label:
                labelled += [int(k.lstrip("#")) for k in label.split()]
        assert got == [(s.start, s.end, s.keys) for s in segs if s.end > s.start]
    # Every claim that shows is labelled once, at its first piece.
    shown = {k for _, segs in expected for s in segs for k in s.keys}
    assert sorted(labelled) == sorted(shown)


@settings(max_examples=200, deadline=None)
@given(articles(), st.data())
def test_a_re_rendered_paragraph_equals_its_part_of_the_whole_article(case, data):
    body, spans = case
    paras = anchoring.paragraphs(body)
    if not paras:
        return
    target = data.draw(st.sampled_from(paras))
    rows = [ClaimRow(i + 1, s, e, "", False, "t", "open") for i, (s, e) in enumerate(spans)]
    whole = parse(rendering.article_html(body, rows))
    wanted = rendering.touched_paragraphs(body, [(target.start, target.end)])
    low, high = rendering.touched_bounds(wanted, [(target.start, target.end)])
    near = [(s, e, i + 1, "open") for i, (s, e) in enumerate(spans) if s < high and e > low]
    part = parse(rendering.paragraphs_html(body, near, [(target.start, target.end)], wanted=wanted))
    index = paras.index(target)
    assert len(part) == 1
    attrs, pieces = part[0]
    assert attrs.pop("hx-swap-oob") == "true"
    assert (attrs, pieces) == whole[index]


def test_text_is_escaped_and_a_label_marks_each_claims_start():
    body = "A <b>bold</b> & \"quoted\" claim.\n\nSecond paragraph."
    start = body.index("<b>")
    rows = [
        ClaimRow(7, start, start + 11, "", False, "t", "in_review"),
        ClaimRow(9, start + 3, start + 7, "", False, "t", "needs_second_opinion"),
        ClaimRow(11, 0, 5, "", True, "t", "open"),  # orphaned: not drawn
    ]
    html = rendering.article_html(body, rows)
    assert html == (
        '<p id="para-0" data-start="0">A '
        '<mark class="hl s-in_review d1" data-claims="7" data-label="#7">&lt;b&gt;</mark>'
        '<mark class="hl s-needs_second_opinion d2" data-claims="7 9" data-label="#9">bold</mark>'
        '<mark class="hl s-in_review d1" data-claims="7">&lt;/b&gt;</mark>'
        " &amp; \"quoted\" claim.</p>"
        '<p id="para-1" data-start="33">Second paragraph.</p>'
    )


def test_an_unusual_gap_between_paragraphs_is_given_to_the_browser():
    body = "One.\n \n\nTwo."
    html = rendering.article_html(body, [])
    assert html == '<p id="para-0" data-start="0">One.</p><p id="para-1" data-start="8" data-gap="\n \n\n">Two.</p>'


def test_a_claim_row_escapes_its_text_and_shows_my_verdict():
    row = ClaimRow(3, 0, 4, "<q>", True, "Says <i>x</i>", "open", "Mostly accurate", 4)
    html = rendering.claim_rows_html([row], current=3)
    assert "<bdi>Says &lt;i&gt;x&lt;/i&gt;</bdi>" in html
    assert '<blockquote class="orphan-quote" dir="auto">&lt;q&gt;</blockquote>' in html
    assert 'class="claim-row s-open is-current"' in html and 'aria-current="true"' in html
    assert '<span class="rating-badge r-4"><span class="vh">Your verdict: </span>Mostly accurate</span>' in html
    assert "<small><b>Open</b> " in html  # the status, in words
