"""The rating scale page (editors) and the members page (admins)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from annotate import services
from annotate.forms.manage import contrast_on_white
from annotate.models import DEFAULT_SCALE, Membership, Rating, Role
from tests.conftest import make_claim, make_user, rating

pytestmark = pytest.mark.django_db


def messages_of(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def labels(project):
    return list(project.ratings.order_by("position", "id").values_list("label", flat=True))


# --- rating scale: access -----------------------------------------------------------


def scale_url(project, name="rating-scale", *args):
    return reverse(name, args=[project.slug, *args])


@pytest.mark.parametrize("who", ["bob", "dora"])
def test_editors_and_admins_see_the_scale(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.get(scale_url(cast.project))
    assert response.status_code == 200
    for label, *_ in DEFAULT_SCALE:
        assert label in response.text
    assert 'type="color"' in response.text


def test_a_reviewer_may_not_manage_the_scale(client, cast):
    client.force_login(cast.alice)
    accurate = rating(cast.project, "Accurate")
    assert client.get(scale_url(cast.project)).status_code == 403
    assert client.post(scale_url(cast.project, "rating-add"), {"new-label": "Odd", "new-colour": "#000000"}).status_code == 403
    assert client.post(scale_url(cast.project, "rating-delete", accurate.pk)).status_code == 403
    assert client.post(scale_url(cast.project, "rating-move", accurate.pk), {"direction": "down"}).status_code == 403
    assert labels(cast.project) == [label for label, *_ in DEFAULT_SCALE]


def test_an_outsider_gets_404_for_the_scale(client, cast):
    client.force_login(cast.carol)
    assert client.get(scale_url(cast.project)).status_code == 404
    assert client.post(scale_url(cast.project, "rating-delete", rating(cast.project, "Mixed").pk)).status_code == 404
    assert cast.project.ratings.count() == len(DEFAULT_SCALE)


def test_an_anonymous_visitor_is_sent_to_login_from_the_scale(client, cast):
    response = client.get(scale_url(cast.project))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_another_projects_rating_is_not_found(client, cast):
    client.force_login(cast.bob)
    foreign = rating(cast.other, "Mixed")
    assert client.post(scale_url(cast.project, "rating-delete", foreign.pk)).status_code == 404
    assert client.post(scale_url(cast.project, "rating-edit", foreign.pk), {}).status_code == 404
    assert Rating.objects.filter(pk=foreign.pk).exists()


def test_scale_changes_need_a_post(client, cast):
    client.force_login(cast.bob)
    assert client.get(scale_url(cast.project, "rating-delete", rating(cast.project, "Mixed").pk)).status_code == 405


# --- rating scale: changes ----------------------------------------------------------


def test_an_editor_adds_a_rating_at_the_end(client, cast):
    client.force_login(cast.bob)
    data = {"new-label": " Satire ", "new-value": "", "new-colour": "#6639BA", "new-description": "Not meant literally."}
    response = client.post(scale_url(cast.project, "rating-add"), data)
    assert response.status_code == 302
    added = cast.project.ratings.get(label="Satire")
    assert (added.value, added.colour) == (None, "#6639ba")
    assert labels(cast.project)[-1] == "Satire"
    assert "Added “Satire”" in messages_of(response)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"new-label": "false", "new-colour": "#000000"}, "label", "already has a rating called"),
        ({"new-label": "Pants on fire", "new-value": "1", "new-colour": "#000000"}, "value", "already has the value 1"),
        ({"new-label": "Faint", "new-colour": "#ffff00"}, "colour", "too light"),
        ({"new-label": "Odd", "new-colour": "red"}, "colour", "#rrggbb"),
        ({"new-label": "  ", "new-colour": "#000000"}, "label", "required"),
    ],
    ids=["label-clash", "value-clash", "low-contrast", "not-hex", "no-label"],
)
def test_bad_ratings_get_a_form_error_and_change_nothing(client, cast, data, field, message):
    client.force_login(cast.bob)
    response = client.post(scale_url(cast.project, "rating-add"), data)
    assert response.status_code == 400
    errors = response.context["add_form"].errors
    assert message in " ".join(errors[field])
    assert message.split("“")[0] in response.text
    assert cast.project.ratings.count() == len(DEFAULT_SCALE)


def test_an_editor_renames_a_rating_and_changes_its_value(client, cast):
    client.force_login(cast.bob)
    mixed = rating(cast.project, "Mixed")
    prefix = f"rating-{mixed.pk}"
    data = {f"{prefix}-label": "Half true", f"{prefix}-value": "3", f"{prefix}-colour": "#9a6700", f"{prefix}-description": "Partly right."}
    response = client.post(scale_url(cast.project, "rating-edit", mixed.pk), data)
    assert response.status_code == 302
    mixed.refresh_from_db()
    assert (mixed.label, mixed.value, mixed.description) == ("Half true", 3, "Partly right.")


def test_a_rename_to_an_existing_label_is_shown_on_its_row(client, cast):
    client.force_login(cast.bob)
    mixed = rating(cast.project, "Mixed")
    prefix = f"rating-{mixed.pk}"
    data = {f"{prefix}-label": "Accurate", f"{prefix}-value": "3", f"{prefix}-colour": "#9a6700"}
    response = client.post(scale_url(cast.project, "rating-edit", mixed.pk), data)
    assert response.status_code == 400
    failed = dict((r.pk, f) for r, f in response.context["rows"])[mixed.pk]
    assert "already has a rating called" in failed.errors["label"][0]
    mixed.refresh_from_db()
    assert mixed.label == "Mixed"


def test_ratings_move_up_and_down(client, cast):
    client.force_login(cast.bob)
    false = rating(cast.project, "False")
    client.post(scale_url(cast.project, "rating-move", false.pk), {"direction": "up"})
    assert labels(cast.project)[3:5] == ["False", "Misleading"]
    client.post(scale_url(cast.project, "rating-move", false.pk), {"direction": "down"})
    client.post(scale_url(cast.project, "rating-move", false.pk), {"direction": "down"})
    assert labels(cast.project)[-2:] == ["Unverifiable", "False"]
    response = client.post(scale_url(cast.project, "rating-move", false.pk), {"direction": "down"})
    assert "already at the bottom" in messages_of(response)
    assert labels(cast.project)[-1] == "False"


def test_an_unused_rating_can_be_deleted(client, cast):
    client.force_login(cast.bob)
    response = client.post(scale_url(cast.project, "rating-delete", rating(cast.project, "Unverifiable").pk))
    assert response.status_code == 302
    assert "Unverifiable" not in labels(cast.project)


def test_a_rating_in_use_cannot_be_deleted(client, cast):
    claim = make_claim(cast.article, "protects 12,000 homes", cast.alice)
    mixed, accurate = rating(cast.project, "Mixed"), rating(cast.project, "Accurate")
    services.save_verdict(claim, cast.alice, mixed)
    services.settle_claim(claim, cast.bob, claim.version, accurate, "Council data confirms it.")
    client.force_login(cast.bob)
    for used, what in ((mixed, "1 verdict,"), (accurate, "1 final verdict")):
        response = client.post(scale_url(cast.project, "rating-delete", used.pk))
        assert response.status_code == 302
        assert f"is used by {what}" in messages_of(response)
        assert Rating.objects.filter(pk=used.pk).exists()
    page = client.get(scale_url(cast.project))
    assert "In use, so it cannot be deleted" in page.text


def test_the_last_rating_cannot_be_deleted(client, cast):
    cast.project.ratings.exclude(label="Mixed").delete()
    client.force_login(cast.bob)
    response = client.post(scale_url(cast.project, "rating-delete", rating(cast.project, "Mixed").pk))
    assert "at least one rating" in messages_of(response)
    assert labels(cast.project) == ["Mixed"]


def test_the_default_colours_pass_the_contrast_rule():
    assert all(contrast_on_white(colour) >= 3 for _, _, colour, _ in DEFAULT_SCALE)
    assert contrast_on_white("#000000") == pytest.approx(21.0)
    assert contrast_on_white("#ffffff") == pytest.approx(1.0)


def test_the_scale_page_runs_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    client.force_login(cast.bob)
    # 1 session, 2 user, 3 project + role, 4 ratings with their verdict and final-verdict uses.
    with django_assert_num_queries(4):
        assert client.get(scale_url(cast.project)).status_code == 200


# --- members ----------------------------------------------------------------------------


def members_url(project, name="project-members", *args):
    return reverse(name, args=[project.slug, *args])


def membership(project, user):
    return Membership.objects.get(project=project, user=user)


def test_an_admin_sees_the_members_and_their_roles(client, cast):
    client.force_login(cast.dora)
    response = client.get(members_url(cast.project))
    assert response.status_code == 200
    for name in ("alice", "erin", "bob", "dora"):
        assert name in response.text
    assert "carol" not in response.text


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_reviewers_and_editors_may_not_manage_members(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(members_url(cast.project)).status_code == 403
    assert client.post(members_url(cast.project, "member-add"), {"username": "carol", "role": "admin"}).status_code == 403
    assert client.post(members_url(cast.project, "member-role", membership(cast.project, cast.alice).pk), {"role": "admin"}).status_code == 403
    assert client.post(members_url(cast.project, "member-remove", membership(cast.project, cast.dora).pk)).status_code == 403
    assert cast.project.memberships.count() == 4
    assert membership(cast.project, cast.alice).role == Role.REVIEWER


def test_an_outsider_gets_404_for_the_members(client, cast):
    client.force_login(cast.carol)
    assert client.get(members_url(cast.project)).status_code == 404
    assert client.post(members_url(cast.project, "member-add"), {"username": "carol", "role": "admin"}).status_code == 404
    assert not cast.project.memberships.filter(user=cast.carol).exists()


def test_an_anonymous_visitor_is_sent_to_login_from_the_members(client, cast):
    response = client.get(members_url(cast.project))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_admin_adds_an_existing_user_with_a_role(client, cast):
    make_user("frank")
    client.force_login(cast.dora)
    response = client.post(members_url(cast.project, "member-add"), {"username": "frank", "role": "editor"})
    assert response.status_code == 302
    assert cast.project.memberships.get(user__username="frank").role == Role.EDITOR
    assert "Added frank as editor" in messages_of(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "nobody", "role": "reviewer"}, "There is no user “nobody”"),
        ({"username": "alice", "role": "editor"}, "alice is already a member (reviewer)"),
        ({"username": "carol", "role": "owner"}, "Select a valid choice"),
    ],
    ids=["unknown-user", "already-member", "bad-role"],
)
def test_adding_a_member_refuses_bad_input(client, cast, data, message):
    client.force_login(cast.dora)
    response = client.post(members_url(cast.project, "member-add"), data)
    assert response.status_code == 400
    assert message in " ".join(e for errors in response.context["add_form"].errors.values() for e in errors)
    assert cast.project.memberships.count() == 4


def test_an_admin_changes_a_role(client, cast):
    client.force_login(cast.dora)
    response = client.post(members_url(cast.project, "member-role", membership(cast.project, cast.alice).pk), {"role": "editor"})
    assert response.status_code == 302
    assert membership(cast.project, cast.alice).role == Role.EDITOR


def test_an_admin_removes_a_member(client, cast):
    client.force_login(cast.dora)
    response = client.post(members_url(cast.project, "member-remove", membership(cast.project, cast.erin).pk))
    assert response.status_code == 302
    assert not cast.project.memberships.filter(user=cast.erin).exists()
    client.force_login(cast.erin)
    assert client.get(reverse("article-list", args=[cast.project.slug])).status_code == 404


def test_the_last_admin_cannot_be_demoted_or_removed(client, cast):
    client.force_login(cast.dora)
    mine = membership(cast.project, cast.dora)
    response = client.post(members_url(cast.project, "member-role", mine.pk), {"role": "editor"})
    assert "at least one admin" in messages_of(response)
    response = client.post(members_url(cast.project, "member-remove", mine.pk))
    assert "at least one admin" in messages_of(response)
    assert membership(cast.project, cast.dora).role == Role.ADMIN


def test_an_admin_may_step_down_once_another_admin_exists(client, cast):
    client.force_login(cast.dora)
    client.post(members_url(cast.project, "member-role", membership(cast.project, cast.bob).pk), {"role": "admin"})
    response = client.post(members_url(cast.project, "member-role", membership(cast.project, cast.dora).pk), {"role": "reviewer"})
    assert response.status_code == 302
    assert response.url == reverse("article-list", args=[cast.project.slug])
    assert membership(cast.project, cast.dora).role == Role.REVIEWER
    assert client.get(members_url(cast.project)).status_code == 403


def test_an_admin_may_leave_once_another_admin_exists(client, cast):
    Membership.objects.filter(project=cast.project, user=cast.bob).update(role=Role.ADMIN)
    client.force_login(cast.dora)
    response = client.post(members_url(cast.project, "member-remove", membership(cast.project, cast.dora).pk))
    assert response.url == reverse("project-list")
    assert not cast.project.memberships.filter(user=cast.dora).exists()


def test_another_projects_membership_is_not_found(client, cast):
    client.force_login(cast.dora)
    carols = membership(cast.other, cast.carol)
    assert client.post(members_url(cast.project, "member-remove", carols.pk)).status_code == 404
    assert client.post(members_url(cast.project, "member-role", carols.pk), {"role": "reviewer"}).status_code == 404
    assert membership(cast.other, cast.carol).role == Role.ADMIN


def test_the_members_page_runs_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    for i in range(10):
        Membership.objects.create(project=cast.project, user=make_user(f"user{i}"), role=Role.REVIEWER)
    client.force_login(cast.dora)
    # 1 session, 2 user, 3 project + role, 4 memberships with their users.
    with django_assert_num_queries(4):
        assert client.get(members_url(cast.project)).status_code == 200
