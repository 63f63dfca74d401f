"""manage.py export_verdicts writes what the API serves, in every format."""

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

# `desk` is a fixture: imported so these tests get the same data as the API tests.
from tests.api.conftest import bulk_claims, desk, streamed, token_client  # noqa: F401


@pytest.fixture(autouse=True)
def _local_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "export-command-tests"}}


def export(tmp_path, *args):
    path = tmp_path / "out"
    err = io.StringIO()
    call_command("export_verdicts", *args, "-o", str(path), "--base-url", "http://testserver", stderr=err)
    return path.read_bytes(), err.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json"])
def test_verdict_files_are_byte_for_byte_the_api_download(tmp_path, cast, desk, fmt):
    # carol is a member of the other desk only: filter the command the same way.
    for client, project in ((token_client(cast.bob), cast.project), (token_client(cast.carol), cast.other)):
        api = streamed(client.get(f"/api/v1/export/verdicts.{fmt}", {"project": project.slug})).encode()
        written, progress = export(tmp_path, "--format", fmt, "--project", project.slug)
        assert written == api
    assert "Exported 1 verdicts as " + fmt in progress


def test_every_verdict_of_every_project_without_a_project_filter(tmp_path, cast, desk):
    written, _ = export(tmp_path, "--format", "jsonl")
    assert [json.loads(line)["project"] for line in written.decode().splitlines()] == [cast.project.slug] * 3 + [cast.other.slug]


def test_claimreviews_are_the_apis_results(tmp_path, cast, desk):
    written, _ = export(tmp_path, "--format", "claimreview", "--project", cast.project.slug)
    api = token_client(cast.bob).get("/api/v1/claimreviews/", {"project": cast.project.slug}).json()["results"]
    assert json.loads(written) == api
    assert len(api) == 1


def test_annotations_are_one_collection_with_the_apis_annotations(tmp_path, cast, desk):
    written, _ = export(tmp_path, "--format", "annotations", "--project", cast.project.slug)
    collection = json.loads(written)
    client = token_client(cast.bob)
    api = client.get("/api/v1/annotations/", {"project": cast.project.slug, "page_size": 2}).json()
    items, page = api["first"]["items"], api["first"]
    while page.get("next"):
        page = client.get(page["next"]).json()
        items += page["items"]
    assert collection["first"]["items"] == items
    whole = client.get("/api/v1/annotations/", {"project": cast.project.slug}).json()
    assert {k: v for k, v in collection.items() if k != "first"} == {k: v for k, v in whole.items() if k != "first"}
    assert (collection["type"], collection["total"]) == ("AnnotationCollection", 3)
    assert collection["first"]["partOf"]["id"] == collection["id"]


def test_since_keeps_what_changed_from_then_on(tmp_path, cast, desk):
    import datetime

    from annotate.models import Verdict

    Verdict.objects.filter(reviewer=cast.alice).update(updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc))
    written, _ = export(tmp_path, "--format", "jsonl", "--project", cast.project.slug, "--since", "2021-01-01")
    assert [json.loads(line)["reviewer"] for line in written.decode().splitlines()] == ["erin"]
    written, _ = export(tmp_path, "--format", "jsonl", "--project", cast.project.slug, "--since", "2019-12-31T23:00:00+00:00")
    assert len(written.decode().splitlines()) == 3


def test_an_unknown_project_is_a_clear_error(tmp_path, cast):
    with pytest.raises(CommandError, match="No project with the slug “nope”. Known projects: harbour-desk, other-desk."):
        export(tmp_path, "--format", "csv", "--project", "nope")


def test_a_bad_date_is_a_clear_error(tmp_path, cast):
    with pytest.raises(CommandError, match="is not an ISO 8601 date or datetime"):
        export(tmp_path, "--format", "csv", "--since", "yesterday")


def test_an_unknown_format_is_refused(tmp_path, cast):
    with pytest.raises(CommandError, match="invalid choice: 'xml'"):
        export(tmp_path, "--format", "xml")


def test_long_runs_report_progress_on_stderr_and_stdout_stays_clean(cast, monkeypatch):
    from annotate.management.commands import export_verdicts

    monkeypatch.setattr(export_verdicts, "PROGRESS_EVERY", 100)
    bulk_claims(cast.article, 150, reviewers=[cast.alice, cast.erin])
    out, err = io.StringIO(), io.StringIO()
    call_command("export_verdicts", "--format", "csv", stdout=out, stderr=err)
    assert len(out.getvalue().splitlines()) == 301
    *progress, summary = err.getvalue().splitlines()
    assert progress and all(re.fullmatch(r"  [\d,]+ of 300 verdicts…", line) for line in progress)
    assert summary == "Exported 300 verdicts as csv."
