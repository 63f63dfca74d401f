"""export/verdicts.csv, .jsonl and .json: one row per verdict, streamed, spreadsheet-safe."""

import csv
import io
import json

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotate import exports
from tests.api.conftest import bulk_claims, streamed
from tests.conftest import rating


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(streamed(response))))


def test_the_csv_has_one_row_per_verdict_with_claim_article_and_final_verdict(api, cast, desk):
    response = api.bob.get("/api/v1/export/verdicts.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="verdicts.csv"'
    rows = csv_rows(response)
    assert [(r["claim_id"], r["reviewer"], r["rating"]) for r in rows] == [
        (str(desk.published.pk), "alice", "False"),
        (str(desk.published.pk), "erin", "Misleading"),
        (str(desk.reviewing.pk), "alice", "Accurate"),
    ]
    first = rows[0]
    assert first["claim_text"] == "cost 41 million euros"
    assert first["quote"] == "cost 41 million euros"
    assert first["claimant"] == "The council"
    assert (first["rating_value"], first["rationale"]) == ("1", "The budget says 52 million.")
    assert (first["article_id"], first["article_title"], first["project"]) == (str(cast.article.pk), "Tidal barrier opens", cast.project.slug)
    assert (first["claim_status"], first["final_rating"], first["final_rating_value"]) == ("published", "False", "1")
    assert first["created_at"].endswith("+00:00") and first["published_at"].endswith("+00:00")
    assert list(first) == list(exports.VERDICT_KEYS)


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(api, cast, desk):
    desk.fresh.text = "+1 555 0100 is the hotline"
    desk.fresh.save()
    from annotate import services

    services.save_verdict(desk.fresh, cast.alice, rating(cast.project, "Mixed"), "-10% @ noon")
    rows = csv_rows(api.bob.get("/api/v1/export/verdicts.csv"))
    by_reviewer = {(r["claim_id"], r["reviewer"]): r for r in rows}
    assert by_reviewer[(str(desk.published.pk), "erin")]["rationale"] == "'=HYPERLINK(\"http://evil\")"
    assert by_reviewer[(str(desk.fresh.pk), "alice")]["rationale"] == "'-10% @ noon"
    assert by_reviewer[(str(desk.fresh.pk), "alice")]["claim_text"] == "'+1 555 0100 is the hotline"
    # Numbers stay numbers, and text that merely contains the characters is untouched.
    assert by_reviewer[(str(desk.fresh.pk), "alice")]["rating_value"] == "3"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a=b", "50%_off", "x"])
def test_the_database_neutralises_exactly_what_neutralise_does(api, cast, desk, text):
    from annotate.models import Verdict

    Verdict.objects.filter(reviewer=cast.erin).update(rationale=text)
    [row] = [r for r in csv_rows(api.bob.get("/api/v1/export/verdicts.csv")) if r["reviewer"] == "erin"]
    assert row["rationale"] == exports.neutralise(text)
    assert exports.neutralise(text) == ("'" + text if text[0] in "=+-@\t\r" else text)


def test_json_lines_keep_the_values_as_typed(api, cast, desk):
    response = api.bob.get("/api/v1/export/verdicts.jsonl")
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    lines = streamed(response).splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == 3
    erin = rows[1]
    assert erin["rationale"] == '=HYPERLINK("http://evil")'  # JSON is no spreadsheet: nothing to neutralise
    assert (erin["rating"], erin["rating_value"], erin["final_rating_value"], erin["claimant"]) == ("Misleading", 2, 1, "The council")
    assert rows[2]["final_rating"] is None and rows[2]["published_at"] is None
    assert list(erin) == list(exports.VERDICT_KEYS)


def test_the_json_array_holds_the_same_objects_as_the_json_lines(api, desk):
    lines = [json.loads(line) for line in streamed(api.bob.get("/api/v1/export/verdicts.jsonl")).splitlines()]
    array = json.loads(streamed(api.bob.get("/api/v1/export/verdicts.json")))
    assert array == lines


def test_an_empty_export_is_still_well_formed(api, cast):
    assert streamed(api.bob.get("/api/v1/export/verdicts.csv")).splitlines() == [",".join(exports.VERDICT_KEYS)]
    assert streamed(api.bob.get("/api/v1/export/verdicts.jsonl")) == ""
    assert json.loads(streamed(api.bob.get("/api/v1/export/verdicts.json"))) == []


def test_a_filter_no_row_can_meet_gives_an_empty_export(api, desk):
    impossible = {"article": "99999999999999999999999"}
    assert streamed(api.bob.get("/api/v1/export/verdicts.csv", impossible)).splitlines() == [",".join(exports.VERDICT_KEYS)]
    assert streamed(api.bob.get("/api/v1/export/verdicts.jsonl", impossible)) == ""
    assert json.loads(streamed(api.bob.get("/api/v1/export/verdicts.json", impossible))) == []


def test_a_big_export_is_streamed_in_small_chunks_and_never_reads_article_bodies(api, cast):
    bulk_claims(cast.article, 700, reviewers=[cast.alice, cast.erin])  # 1,400 verdicts
    for url in ("/api/v1/export/verdicts.csv", "/api/v1/export/verdicts.jsonl", "/api/v1/export/verdicts.json"):
        with CaptureQueriesContext(connection) as captured:
            response = api.bob.get(url)
            chunks = list(response.streaming_content)
        assert response.streaming
        assert len(chunks) >= 3, url
        assert max(len(c) for c in chunks) < 512_000, url  # a chunk is a few hundred rows, never the file
        sql = " ".join(q["sql"] for q in captured.captured_queries)
        assert '"annotate_article"."body"' not in sql, url
        assert b"".join(chunks).count(b"Because 699.") == 2


def test_on_sqlite_rows_are_read_through_an_iterator_and_on_postgresql_copied_out(cast, monkeypatch):
    """Never a list of every row: QuerySet.iterator() (SQLite) or COPY … TO STDOUT (PostgreSQL)."""
    bulk_claims(cast.article, 5, reviewers=[cast.alice])
    from django.db.models.query import QuerySet

    calls = []
    original = QuerySet.iterator

    def spy(self, chunk_size=None):
        calls.append(chunk_size)
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    with CaptureQueriesContext(connection) as captured:
        for fmt in ("csv", "jsonl", "json"):
            assert b"Because 4." in b"".join(exports.verdict_chunks(exports.verdict_export_queryset(), fmt))
    if connection.vendor == "postgresql":
        assert calls == []
        assert [q["sql"].split()[0] for q in captured.captured_queries] == ["COPY"] * 3
    else:
        assert calls == [exports.CHUNK_SIZE] * 3
