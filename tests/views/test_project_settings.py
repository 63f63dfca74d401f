"""Workflow settings (required verdicts, blind review) and the desk's history of its set-up."""

import pytest
from django.urls import reverse

from annotate.models import Membership, ProjectEvent
from tests.conftest import make_claim

pytestmark = pytest.mark.django_db


def url(project):
    return reverse("project-settings", args=[project.slug])


def test_defaults_are_one_verdict_and_blind_review(cast):
    assert (cast.project.required_verdicts, cast.project.blind_review) == (1, True)


@pytest.mark.parametrize("who", ["bob", "dora"])
def test_editors_change_the_settings_and_the_history_records_it(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.post(url(cast.project), {"required_verdicts": 2})
    assert response.status_code == 302
    cast.project.refresh_from_db()
    assert (cast.project.required_verdicts, cast.project.blind_review) == (2, False)
    event = ProjectEvent.objects.get(action="settings_changed")
    assert event.actor == getattr(cast, who)
    assert event.changes == {"required verdicts": [1, 2], "blind review": ["on", "off"]}
    assert "required verdicts: 1 → 2" in client.get(url(cast.project)).text


@pytest.mark.parametrize("value", ["0", "11", "two", ""])
def test_a_bad_number_is_refused_and_changes_nothing(client, cast, value):
    client.force_login(cast.bob)
    response = client.post(url(cast.project), {"required_verdicts": value, "blind_review": "on"})
    assert response.status_code == 400
    cast.project.refresh_from_db()
    assert cast.project.required_verdicts == 1 and not ProjectEvent.objects.exists()


@pytest.mark.parametrize("who,expected", [("alice", 403), ("carol", 404)])
def test_reviewers_and_outsiders_cannot_change_settings(client, cast, who, expected):
    client.force_login(getattr(cast, who))
    assert client.get(url(cast.project)).status_code == expected
    assert client.post(url(cast.project), {"required_verdicts": 3}).status_code == expected
    cast.project.refresh_from_db()
    assert cast.project.required_verdicts == 1


def test_scale_and_member_changes_are_in_the_history(client, cast):
    client.force_login(cast.dora)
    slug = cast.project.slug
    client.post(reverse("rating-add", args=[slug]), {"new-label": "Satire", "new-value": "", "new-colour": "#123456", "new-description": "Joke."})
    erin = Membership.objects.get(project=cast.project, user=cast.erin)
    client.post(reverse("member-role", args=[slug, erin.pk]), {"role": "editor"})
    client.post(reverse("member-remove", args=[slug, erin.pk]))
    actions = list(ProjectEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["rating_added", "member_role_changed", "member_removed"]
    page = client.get(url(cast.project)).text
    assert "added a rating to the scale" in page and "role: reviewer → editor" in page


def test_every_scale_and_member_write_records_its_line_and_a_refused_one_none(client, cast):
    """The project's history is written by the services in the change's own transaction."""
    from annotate.models import Rating

    client.force_login(cast.dora)
    slug = cast.project.slug
    client.post(reverse("rating-add", args=[slug]), {"new-label": "Satire", "new-value": "", "new-colour": "#123456", "new-description": ""})
    satire = Rating.objects.get(project=cast.project, label="Satire")
    client.post(reverse("rating-move", args=[slug, satire.pk]), {"direction": "up"})
    client.post(reverse("rating-delete", args=[slug, satire.pk]))
    client.post(reverse("member-add", args=[slug]), {"username": "carol", "role": "reviewer"})
    # Refused: the last admin cannot leave, a used rating cannot go, a known member cannot be added twice.
    dora = Membership.objects.get(project=cast.project, user=cast.dora)
    client.post(reverse("member-remove", args=[slug, dora.pk]))
    client.post(reverse("member-role", args=[slug, dora.pk]), {"role": "editor"})
    client.post(reverse("member-add", args=[slug]), {"username": "carol", "role": "editor"})
    events = list(ProjectEvent.objects.order_by("id").values_list("action", "actor__username", "changes"))
    assert events == [
        ("rating_added", "dora", {"label": "Satire", "value": None, "colour": "#123456"}),
        ("rating_moved", "dora", {"rating": "Satire", "direction": "up"}),
        ("rating_deleted", "dora", {"rating": "Satire"}),
        ("member_added", "dora", {"member": "carol", "role": "reviewer"}),
    ]
    assert Membership.objects.get(pk=dora.pk).role == "admin"


def test_blind_review_hides_others_verdicts_in_a_reviewers_panel_history(client, cast):
    from annotate import services
    from tests.conftest import rating

    claim = make_claim(cast.article, "the barrier cost 41 million euros", cast.alice)
    services.save_verdict(claim, cast.alice, rating(cast.project, "Accurate"), "Secret reasoning.")
    client.force_login(cast.erin)
    assert "Secret reasoning." not in client.get(reverse("claim-detail", args=[claim.pk])).text
    cast.project.blind_review = False
    cast.project.save()
    assert "Secret reasoning." in client.get(reverse("claim-detail", args=[claim.pk])).text
