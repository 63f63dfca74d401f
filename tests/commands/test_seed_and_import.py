from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotate.models import Article, Claim, Membership, Status

pytestmark = pytest.mark.django_db
# The project's own scraped-style sample (a poll shortcode, a trailing "Latest News" widget).
SAMPLE = Path(settings.BASE_DIR) / "tests" / "samples" / "ferry-subsidy.txt"


def test_seed_demo_builds_a_usable_demo_and_is_safe_to_run_twice(monkeypatch, capsys):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "demo-pass-123" in out
    users = get_user_model().objects.filter(username__in=["reviewer", "editor", "admin"])
    assert users.count() == 3 and all(u.check_password("demo-pass-123") for u in users)
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {"reviewer": "reviewer", "editor": "editor", "admin": "admin"}
    article = Article.objects.get(source_url="https://example.org/riverside-courier/flood-barrier-vote")  # the first demo article
    assert "[show_poll" not in article.body and "Latest News" not in article.body
    assert Claim.objects.filter(article=article).count() == 4
    published = Claim.objects.get(article=article, status=Status.PUBLISHED)
    assert published.final_rating.label == "Misleading" and published.evidence.exists()


def test_seed_demo_prints_a_fresh_password_when_none_is_given(monkeypatch, capsys, settings, tmp_path):
    settings.FACTMARK_DEMO_PASSWORD_FILE = tmp_path / "var" / "demo-password"
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo")
    password = capsys.readouterr().out.split("password: ")[1].split()[0]
    assert get_user_model().objects.get(username="reviewer").check_password(password)
    assert (tmp_path / "var" / "demo-password").read_text().strip() == password


def test_seed_demo_keeps_the_same_generated_password_across_runs(monkeypatch, capsys, settings, tmp_path):
    settings.FACTMARK_DEMO_PASSWORD_FILE = tmp_path / "demo-password"
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo")
    first = capsys.readouterr().out.split("password: ")[1].split()[0]
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert out.split("password: ")[1].split()[0] == first
    assert get_user_model().objects.get(username="editor").check_password(first)
    # DEMO_PASSWORD still wins, and does not overwrite the kept one.
    monkeypatch.setenv("DEMO_PASSWORD", "chosen-pass-456")
    call_command("seed_demo")
    assert get_user_model().objects.get(username="editor").check_password("chosen-pass-456")
    assert (tmp_path / "demo-password").read_text().strip() == first


@pytest.fixture
def desk():
    from tests.conftest import make_project

    return make_project(slug="imports")


def test_the_scraped_sample_imports_clean_and_a_second_import_is_a_duplicate(desk, capsys):
    call_command("import_articles", str(SAMPLE), project="imports")
    article = Article.objects.get()
    raw = SAMPLE.read_text(encoding="utf-8")
    assert article.title == raw.splitlines()[0].strip()
    assert "[show_poll" not in article.body and "Latest News" not in article.body
    # Every paragraph of the article, in order.
    paragraphs = [" ".join(line.split()) for line in raw.splitlines()[1:] if line.strip() and "show_poll" not in line and not line.startswith("Latest News")]
    positions = [article.body.index(p) for p in paragraphs]
    assert positions == sorted(positions) and len(paragraphs) > 8
    call_command("import_articles", str(SAMPLE), project="imports")
    assert "0 imported, 1 duplicates, 0 failed" in capsys.readouterr().out
    assert Article.objects.count() == 1


def test_a_folder_with_a_bad_file_reports_it_and_exits_non_zero(desk, tmp_path, capsys):
    (tmp_path / "good.txt").write_text("Ferry fares rise\n\nFares rise by 4 percent in May.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# Bridge reopens\n\nThe bridge reopens after **two** years.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(CommandError) as exc:
        call_command("import_articles", str(tmp_path), project="imports")
    assert exc.value.returncode == 1
    assert "2 imported, 0 duplicates, 2 failed" in str(exc.value)
    err = capsys.readouterr().err
    assert "empty.txt: FAILED" in err and "image.html: FAILED" in err
    assert set(Article.objects.values_list("title", flat=True)) == {"Ferry fares rise", "Bridge reopens"}


@pytest.mark.parametrize(
    "args,message",
    [
        (["x.txt", "--project", "nope"], "No project"),
        (["--project", "imports"], "at least one"),
        (["/no/such/file.txt", "--project", "imports"], "No such file"),
    ],
    ids=["unknown-project", "nothing-given", "missing-file"],
)
def test_bad_arguments_get_a_clear_error_and_import_nothing(desk, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_articles", *args)
    assert Article.objects.count() == 0


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a.txt", "javascript:alert(1)"])
def test_a_url_with_another_scheme_is_refused(desk, url):
    with pytest.raises(CommandError):
        call_command("import_articles", "--url", url, project="imports")
    assert Article.objects.count() == 0


def test_seed_demo_shows_the_desk_at_work(monkeypatch):
    """Assignments, a claim waiting for a second verdict, one correction, an unread notification."""
    from annotate import queue
    from annotate.models import Correction, Notification, Project

    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    call_command("seed_demo")
    call_command("seed_demo")
    project = Project.objects.get(slug="demo-desk")
    assert project.required_verdicts == 2
    assert Claim.objects.filter(assignees__isnull=False).distinct().count() >= 3
    counts = queue.tab_counts(queue.unsettled(project))
    assert counts["waiting"] >= 1
    assert Correction.objects.count() == 1
    # The workflow demo's published claim carries the correction (the integrity demo has another, uncorrected).
    assert Claim.objects.filter(status=Status.PUBLISHED, corrected_at__isnull=False).count() == 1
    assert Notification.objects.filter(user__username="editor", read_at__isnull=True, kind="mention").count() == 1


def test_the_demo_article_does_not_repeat_its_byline_as_its_first_paragraph(monkeypatch):
    """The page already shows author, publisher and date from the article's fields (issue 12, item 8)."""
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    call_command("seed_demo")
    article = Article.objects.order_by("pk").first()  # the first demo article (other demos add their own after it)
    first = article.body.split("\n\n", 1)[0]
    assert article.author == "Marta Keller" and article.publisher == "Riverside Courier"
    assert "Marta Keller" not in first and "Riverside Courier" not in first
    assert first.startswith("The city council of Riverside voted")
