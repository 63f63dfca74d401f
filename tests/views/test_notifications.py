"""Mentions, assignment and "ready" notifications: who gets them (members only), the bell's
unread count, the notifications page (mark read, link), and e-mail through Django's mail
settings (locmem outbox in tests) only for users with an address."""

import pytest
from django.core import mail
from django.urls import reverse

from annotate import notify, services
from annotate.models import Notification
from tests.conftest import HX, make_claim, rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(cast):
    return make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)


def test_mentioned_usernames_are_parsed_without_punctuation():
    assert notify.mentioned_usernames("@bob can you look? cc @erin. and @bob again, mail a@b.org") == ["bob", "erin"]
    assert notify.mentioned_usernames("no mention here") == []


def test_a_mention_notifies_that_member_and_mails_them(client, cast, claim, django_capture_on_commit_callbacks):
    client.force_login(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("comment-add", args=[claim.pk]), {"text": "@bob can you look at this? @carol too, and @nobody"})
    assert response.status_code == 302
    note = Notification.objects.get()
    assert (note.user, note.kind, note.claim, note.actor) == (cast.bob, "mention", claim, cast.alice)
    # carol is not a member of this project and "nobody" does not exist: no notification, no mail.
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert "alice mentioned you" in mail.outbox[0].subject
    assert reverse("claim-detail", args=[claim.pk]) in mail.outbox[0].body


def test_no_mail_without_an_address_and_no_self_notification(client, cast, claim, django_capture_on_commit_callbacks):
    cast.bob.email = ""
    cast.bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(claim, cast.alice, "@bob and @alice")
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["bob"]
    assert mail.outbox == []


def test_being_assigned_notifies_the_assignee(cast, claim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.workflow.set_assignees(claim, cast.bob, claim.version, ["erin", "bob"])
    assert list(Notification.objects.values_list("user__username", "kind")) == [("erin", "assigned")]
    assert [m.to for m in mail.outbox] == [["erin@example.org"]]


def test_editors_are_notified_when_a_claim_reaches_its_required_verdicts(cast, claim):
    cast.project.required_verdicts = 2
    cast.project.save()
    services.save_verdict(claim, cast.alice, rating(cast.project, "False"))
    assert not Notification.objects.filter(kind="ready").exists()
    services.save_verdict(claim, cast.erin, rating(cast.project, "False"))
    assert sorted(Notification.objects.filter(kind="ready").values_list("user__username", flat=True)) == ["bob", "dora"]


def test_the_bell_counts_unread_and_the_page_marks_read(client, cast, claim):
    services.add_comment(claim, cast.alice, "@bob first")
    services.add_comment(claim, cast.erin, "@bob second")
    client.force_login(cast.bob)
    page = client.get(reverse("article-list", args=[cast.project.slug])).text
    assert f'hx-get="{reverse("notification-bell")}"' in page
    bell = client.get(reverse("notification-bell"), headers=HX).text
    assert 'class="bell-count unread">2<' in bell
    listing = client.get(reverse("notifications")).text
    assert "alice mentioned you" in listing and "erin mentioned you" in listing
    first = Notification.objects.filter(user=cast.bob).order_by("id").first()
    response = client.post(reverse("notification-read", args=[first.pk]), {"open": "1"})
    assert response.url == reverse("claim-detail", args=[claim.pk])
    assert 'class="bell-count unread">1<' in client.get(reverse("notification-bell")).text
    response = client.post(reverse("notifications-read-all"))
    assert response.status_code == 302
    assert 'class="bell-count">0<' in client.get(reverse("notification-bell")).text


def test_nobody_reads_or_marks_another_users_notification(client, cast, claim):
    services.add_comment(claim, cast.alice, "@bob look")
    note = Notification.objects.get()
    for who in ("alice", "carol", "dora"):
        client.force_login(getattr(cast, who))
        assert client.post(reverse("notification-read", args=[note.pk])).status_code == 404
        assert "look" not in client.get(reverse("notifications")).text
    note.refresh_from_db()
    assert note.read_at is None


def test_anonymous_visitors_are_sent_to_login(client):
    for name in ("notifications", "notification-bell"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
