import os
import secrets
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from annotate import services
from annotate.demo import workflow as workflow_demo
from annotate.demo import integrity as integrity_demo
from annotate.demo import sources as demo_sources
from annotate.demo import memory as memory_demo
from annotate.extract import from_text
from annotate.models import Article, Claim, Membership, Project, Status, Verdict
from annotate.textclean import content_hash

DEMO_ARTICLE = Path(__file__).resolve().parents[2] / "demo" / "harbour-barrier.txt"
PROJECT_SLUG = "demo-desk"

# (quote in the article, claim as checked, claimant, reviewer's rating, editor's rating, sources)
CLAIMS = [
    (
        "will pay for itself within ten years",
        "The flood barrier will pay for itself within ten years through avoided flood damage.",
        "Tomas Brandt",
        "Misleading",
        "Misleading",
        [("https://example.org/riverside/flood-damage-2016-2025", "Flood damage in Riverside, 2016–2025", "Riverside statistics office", "refutes",
          "Average insured flood damage was 2.4 million euros a year.")],
    ),
    (
        "the original budget was 25 million euros",
        "The barrier's original budget was 25 million euros.",
        "Ines Vogel",
        "Accurate",
        "Accurate",
        [("https://example.org/riverside/council-minutes-2019-06", "Council minutes, June 2019", "Riverside City Council", "supports",
          "The council approves a budget of 25 million euros for the Lune barrier.")],
    ),
    (
        "the barrier will protect 12,000 homes and 800 businesses",
        "The barrier will protect 12,000 homes and 800 businesses.",
        "Riverside City Council",
        "Mostly accurate",
        None,
        [],
    ),
    (
        "sea levels at the estuary have risen by 20 centimetres since 1990",
        "Sea levels at the Lune estuary have risen by 20 centimetres since 1990.",
        "Riverside City Council",
        None,
        None,
        [],
    ),
]


class Command(BaseCommand):
    help = (
        "Create or refresh the demo: project 'demo-desk' with users reviewer, editor and admin, "
        "a sample article (with a shortcode and site boilerplate that import cleans away) and a few "
        "claims, verdicts and sources; the first claim is published with a final verdict. "
        "The password comes from DEMO_PASSWORD, or the one kept in var/demo-password, or a new one is "
        "generated, kept there and printed. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--superuser", action="store_true",
            help="Also make 'admin' a Django superuser (staff, every permission). Without it, admin is the demo project's admin only.",
        )

    def handle(self, *args, **options):
        password = self._password()
        # The demo's notifications are rows for the bell; their mails to the demo users'
        # example.org addresses would only bury the login line under console output.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            users = self._users(password, superuser=options.get("superuser", False))
            project = self._project(users)
            article = self._article(project, users["reviewer"])
            if not article.claims.exists():
                self._claims(article, users)
            workflow_demo.seed(project, users, article)
            integrity_demo.seed(project, users)
            demo_sources.seed(project, users, article)
            memory_demo.seed(project, users)  # desk memory: a follow-up article repeating a claim
        self.stdout.write(self.style.SUCCESS("Demo ready."))
        self.stdout.write(f"  Log in as reviewer, editor or admin with the password: {password}")
        self.stdout.write(f"  Demo article: /articles/{article.pk}/   Public page: /f/{project.slug}/{article.pk}/")

    def _password(self):
        """DEMO_PASSWORD, else the password kept from an earlier run (so shared logins keep working), else a new one."""
        if os.environ.get("DEMO_PASSWORD"):
            return os.environ["DEMO_PASSWORD"]
        kept = Path(settings.FACTMARK_DEMO_PASSWORD_FILE)
        if kept.is_file() and kept.read_text(encoding="utf-8").strip():
            return kept.read_text(encoding="utf-8").strip()
        password = secrets.token_urlsafe(9)
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.touch(mode=0o600)
        kept.write_text(password + "\n", encoding="utf-8")
        return password

    def _users(self, password, superuser=False):
        """The demo users. `admin` is the project's admin, not a Django superuser (the demo password is
        shared and printed), unless --superuser asks for it; a rerun without it takes the flag away."""
        User = get_user_model()
        users = {}
        for name in ("reviewer", "editor", "admin"):
            user, _ = User.objects.get_or_create(username=name, defaults={"email": f"{name}@example.org"})
            user.set_password(password)
            if name == "admin":
                user.is_staff = user.is_superuser = superuser
            user.save()
            users[name] = user
        return users

    def _project(self, users):
        project, _ = Project.objects.get_or_create(
            slug=PROJECT_SLUG, defaults={"name": "Demo desk", "description": "A sample desk to try Factmark on."}
        )
        for name, user in users.items():
            Membership.objects.update_or_create(project=project, user=user, defaults={"role": name})
        return project

    def _article(self, project, reviewer):
        extracted = from_text(DEMO_ARTICLE.read_text(encoding="utf-8"))
        extracted.source_url = "https://example.org/riverside-courier/flood-barrier-vote"
        extracted.publisher = "Riverside Courier"
        extracted.author = "Marta Keller"
        extracted.published = date(2026, 3, 14)
        existing = Article.objects.filter(project=project, content_hash=content_hash(extracted.body)).first()
        return existing or services.import_article(project, reviewer, extracted)

    def _claims(self, article, users):
        reviewer, editor = users["reviewer"], users["editor"]
        ratings = {r.label: r for r in article.project.ratings.all()}
        for i, (quote, text, claimant, reviewer_rating, editor_rating, sources) in enumerate(CLAIMS):
            start = article.body.index(quote)
            claim = services.add_claim(article, reviewer, start, start + len(quote), quote, text=text, claimant=claimant, claim_date=date(2026, 3, 10))
            for url, title, publisher, stance, excerpt in sources:
                services.add_evidence(claim, reviewer, url=url, title=title, publisher=publisher, stance=stance, excerpt=excerpt)
            if reviewer_rating:
                services.save_verdict(claim, reviewer, ratings[reviewer_rating], f"Checked against the sources attached ({reviewer_rating.lower()}).")
            if editor_rating:
                services.save_verdict(claim, editor, ratings[editor_rating], "Second opinion from the desk editor.")
            if i == 0:
                claim = Claim.objects.get(pk=claim.pk)
                claim = services.settle_claim(
                    claim, editor, claim.version, ratings["Misleading"],
                    "Average insured flood damage was 2.4 million euros a year, not 6 million, so the barrier would take well over ten years to pay for itself.",
                )
                services.publish(claim, editor, claim.version)
            elif i == 1:
                claim = Claim.objects.get(pk=claim.pk)
                services.set_status(claim, editor, claim.version, Status.SECOND_OPINION)
        services.add_comment(article.claims.order_by("id")[2], editor, "Can we find the council report's flood model?")
        self._spread_over_weeks(article, users)

    def _spread_over_weeks(self, article, users):
        """Date the demo's claims, verdicts and publication over the last five weeks, and assign
        the open claims to the reviewer, so the dashboard's charts have something to draw."""
        now = timezone.now()
        for weeks_ago, claim in zip((5, 5, 3, 1), article.claims.order_by("id")):
            created = now - timedelta(weeks=weeks_ago)
            Claim.objects.filter(pk=claim.pk).update(created_at=created)
            for n, verdict in enumerate(claim.verdicts.order_by("id")):
                Verdict.objects.filter(pk=verdict.pk).update(created_at=created + timedelta(days=1 + n))
            if claim.status == Status.PUBLISHED:
                Claim.objects.filter(pk=claim.pk).update(approved_at=created + timedelta(days=3), published_at=created + timedelta(days=4))
            elif claim.status != Status.APPROVED:
                claim.assignees.add(users["reviewer"])
