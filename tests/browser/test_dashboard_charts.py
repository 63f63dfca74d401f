"""Real Chromium: every chart's drawn bars carry the numbers its table shows, and its CSV gives the same."""

import csv
import io

import pytest

from tests.browser.conftest import assert_no_problems, login
from tests.views.test_dashboard import _desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUGS = ("activity", "ratings", "time-to-publish", "agreement", "workload", "claimants", "outlets")


def test_each_chart_draws_what_its_table_and_csv_say(page, live_server, cast):
    _desk(cast, published=3)
    login(page, live_server, cast.bob)
    page.goto(f"{live_server.url}/p/{cast.project.slug}/dashboard/")
    for slug in SLUGS:
        figure = page.locator(f"#chart-{slug}")
        svg = figure.locator("svg.chart-svg")
        assert svg.get_attribute("role") == "img"
        assert svg.locator("title").first.text_content() and svg.locator("desc").text_content()
        bars = svg.locator("rect.bar").evaluate_all(
            "rs => rs.map(r => [r.dataset.category, r.dataset.series, r.dataset.value, r.getBBox().height])")
        # A bar's drawn height grows with its value: bigger numbers are taller bars within a chart.
        positive = sorted((float(v), h) for _, _, v, h in bars if float(v) >= 0)
        assert [h for _, h in positive] == sorted(h for _, h in positive), slug
        # The table is hidden until a reader asks for it, with the mouse.
        table = figure.locator("details.chart-table table")
        assert not table.is_visible()
        figure.locator("summary").click()
        assert table.is_visible()
        header = table.locator("thead th").all_text_contents()
        rows = table.locator("tbody tr").evaluate_all(
            "trs => trs.map(tr => Array.from(tr.children).map(c => c.textContent.trim()))")
        cells = {(row[0], header[j], value) for row in rows for j, value in enumerate(row) if j and j <= len(header) and value != "–"}
        drawn = {(c, s, v) for c, s, v, _ in bars}
        assert drawn <= cells, slug
        assert {(c, s) for c, s, _ in cells if s in {b[1] for b in bars}} == {(c, s) for c, s, _ in drawn}, slug
        href = figure.locator("a.csv-link").get_attribute("href")
        response = page.request.get(f"{live_server.url}{href}")
        assert response.status == 200
        parsed = list(csv.reader(io.StringIO(response.text())))
        assert parsed[0] == header, slug
        assert [[cell if cell else "–" for cell in row] for row in parsed[1:]] == rows or (not parsed[1:] and len(rows) == 1), slug
    assert_no_problems(page)
