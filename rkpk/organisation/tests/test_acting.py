"""Acting assignments (Plt/Plh): the services' rules and the administrator's screens."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rkpk.core.calendar import today
from rkpk.core.models import AuditEvent
from rkpk.organisation import roles, services_acting
from rkpk.organisation.models import ActingAssignment, Role

pytestmark = pytest.mark.django_db

ALL_USERS = [r.value for r in Role] + ["operator_b", "nobody"]
DAY = timedelta(days=1)


def create(actor, user, **fields):
    values = {
        "role": Role.HEAD_OF_BUREAU,
        "kind": "Plh",
        "starts_on": today(),
        "ends_on": today() + 5 * DAY,
        "reason": "Kepala Biro cuti.",
        **fields,
    }
    return services_acting.create_assignment(actor=actor, user=user, **values)


def past(user, admin, **fields):
    """An assignment that ended yesterday (written directly: the service refuses nothing
    here, but the dates are in the past)."""
    return ActingAssignment.objects.create(
        user=user,
        role=fields.get("role", Role.HEAD_OF_BUREAU),
        kind="Plt",
        starts_on=today() - 10 * DAY,
        ends_on=today() - DAY,
        reason="Dulu.",
        created_by=admin,
    )


# --- Services -------------------------------------------------------------------------------


def test_create_lets_the_person_act_and_is_audited(role_users):
    admin, staff = role_users["admin"], role_users["staff"]
    assert roles.acts_as(staff, Role.HEAD_OF_BUREAU) == (False, "")
    assignment = create(admin, staff, kind="Plt")
    assert assignment.created_by == admin
    assert roles.acts_as(staff, Role.HEAD_OF_BUREAU) == (True, "Plt")
    event = AuditEvent.objects.get(action="acting.created")
    assert event.object_id == str(assignment.pk)
    assert event.after["role"] == "head_of_bureau" and event.after["kind"] == "Plt"


@pytest.mark.parametrize("role", [r for r in ALL_USERS if r != "admin"])
def test_only_the_administrator_sets_acting_assignments(role_users, role):
    with pytest.raises(PermissionDenied):
        create(role_users[role], role_users["staff"])
    assignment = create(role_users["admin"], role_users["staff"])
    with pytest.raises(PermissionDenied):
        services_acting.end_assignment(actor=role_users[role], assignment=assignment)
    with pytest.raises(PermissionDenied):
        services_acting.delete_assignment(actor=role_users[role], assignment=assignment)
    assert ActingAssignment.objects.get().ends_on == today() + 5 * DAY


def test_validation_gives_clear_field_errors(role_users, make_user):
    admin, staff = role_users["admin"], role_users["staff"]
    with pytest.raises(ValidationError) as caught:
        create(admin, staff, role=Role.STAFF, kind="X", reason=" ")
    errors = caught.value.message_dict
    assert set(errors) == {"role", "kind", "reason"}
    assert "Head of Bureau" in errors["role"][0]
    with pytest.raises(ValidationError) as caught:
        create(admin, staff, starts_on=today(), ends_on=today() - DAY)
    assert caught.value.message_dict == {
        "ends_on": ["The last day cannot be before the first day."]
    }
    with pytest.raises(ValidationError) as caught:
        create(admin, role_users["head_of_bureau"])
    assert "already holds the role" in caught.value.message_dict["user"][0]
    inactive = make_user("pensiun", is_active=False)
    with pytest.raises(ValidationError) as caught:
        create(admin, inactive)
    assert "inactive" in caught.value.message_dict["user"][0]
    with pytest.raises(ValidationError) as caught:
        create(admin, None)
    assert "user" in caught.value.message_dict
    assert not ActingAssignment.objects.exists()


def test_no_overlapping_assignments_of_the_same_person_and_role(role_users):
    admin, staff = role_users["admin"], role_users["staff"]
    create(admin, staff, starts_on=today(), ends_on=today() + 5 * DAY)
    with pytest.raises(ValidationError) as caught:
        create(admin, staff, starts_on=today() + 5 * DAY, ends_on=today() + 9 * DAY)
    assert "overlap" in caught.value.message_dict["starts_on"][0]
    # Back to back, another role, or another person: allowed.
    create(admin, staff, starts_on=today() + 6 * DAY, ends_on=today() + 9 * DAY)
    create(admin, staff, role=Role.DEPUTY)
    create(admin, role_users["head_of_section"])
    assert ActingAssignment.objects.count() == 4


def test_end_early(role_users):
    admin, staff = role_users["admin"], role_users["staff"]
    assignment = create(admin, staff, starts_on=today() - 2 * DAY, ends_on=today() + 5 * DAY)
    with pytest.raises(ValidationError, match="past"):
        services_acting.end_assignment(actor=admin, assignment=assignment, last_day=today() - DAY)
    with pytest.raises(ValidationError, match="earlier"):
        services_acting.end_assignment(
            actor=admin, assignment=assignment, last_day=today() + 5 * DAY
        )
    ended = services_acting.end_assignment(actor=admin, assignment=assignment)
    assert ended.ends_on == today()
    roles.forget(staff)
    assert roles.acts_as(staff, Role.HEAD_OF_BUREAU) == (True, "Plh")
    assert not roles.acts_as(staff, Role.HEAD_OF_BUREAU, on=today() + DAY)[0]
    event = AuditEvent.objects.get(action="acting.ended")
    assert event.before["ends_on"] != event.after["ends_on"]
    upcoming = create(admin, staff, starts_on=today() + 3 * DAY, ends_on=today() + 9 * DAY)
    with pytest.raises(ValidationError, match="delete it"):
        services_acting.end_assignment(actor=admin, assignment=upcoming, last_day=today())
    with pytest.raises(ValidationError, match="history"):
        services_acting.end_assignment(actor=admin, assignment=past(staff, admin))


def test_delete_current_or_upcoming_but_not_history(role_users):
    admin, staff = role_users["admin"], role_users["staff"]
    assignment = create(admin, staff)
    assert roles.acts_as(staff, Role.HEAD_OF_BUREAU)[0]
    services_acting.delete_assignment(actor=admin, assignment=assignment)
    assert not ActingAssignment.objects.filter(pk=assignment.pk).exists()
    roles.forget(staff)  # read once per request: this is a new one
    assert not roles.acts_as(staff, Role.HEAD_OF_BUREAU)[0]
    assert AuditEvent.objects.get(action="acting.deleted").before["username"] == "u_staff"
    old = past(staff, admin)
    with pytest.raises(ValidationError, match="history"):
        services_acting.delete_assignment(actor=admin, assignment=old)
    assert ActingAssignment.objects.filter(pk=old.pk).exists()


def test_search_by_role_state_and_name(role_users):
    admin, staff, section = role_users["admin"], role_users["staff"], role_users["head_of_section"]
    current = create(admin, staff)
    upcoming = create(admin, section, role=Role.DEPUTY, starts_on=today() + 3 * DAY)
    old = past(staff, admin)
    assert list(services_acting.search()) == [upcoming, current, old]
    assert list(services_acting.search(state="current")) == [current]
    assert list(services_acting.search(state="upcoming")) == [upcoming]
    assert list(services_acting.search(state="past")) == [old]
    assert list(services_acting.search(role=Role.DEPUTY)) == [upcoming]
    assert list(services_acting.search(query="head_of_sec")) == [upcoming]
    assert services_acting.state_of(old) == "past"


# --- Screens --------------------------------------------------------------------------------


def pages(assignment) -> dict[str, str]:
    return {
        "list": reverse("organisation:acting_list"),
        "create": reverse("organisation:acting_create"),
        "end": reverse("organisation:acting_end", args=[assignment.pk]),
        "delete": reverse("organisation:acting_delete", args=[assignment.pk]),
    }


@pytest.mark.parametrize("role", ALL_USERS)
def test_every_page_is_for_the_administrator_only(role_users, client_for, role):
    assignment = create(role_users["admin"], role_users["staff"])
    client = client_for(role_users[role])
    for name, url in pages(assignment).items():
        expected = 200 if role == "admin" else 403
        assert client.get(url).status_code == expected, name
        if role != "admin":
            assert client.post(url, {"last_day": today()}).status_code == 403, name
    assert ActingAssignment.objects.get().ends_on == today() + 5 * DAY


def test_anonymous_users_are_sent_to_log_in(role_users, client):
    assignment = create(role_users["admin"], role_users["staff"])
    for url in pages(assignment).values():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_filters_paginates_and_has_an_empty_state(role_users, client_for):
    admin = role_users["admin"]
    client = client_for(admin)
    empty = client.get(reverse("organisation:acting_list"))
    assert "No acting assignment yet" in empty.content.decode()
    create(admin, role_users["staff"], kind="Plt")
    create(admin, role_users["head_of_section"], role=Role.MINISTER)
    past(role_users["staff"], admin)
    page = client.get(reverse("organisation:acting_list")).content.decode()
    assert "Plt. Head of Bureau" in page and "Plh. Minister" in page
    assert "current" in page and "past" in page
    filtered = client.get(reverse("organisation:acting_list"), {"role": Role.MINISTER})
    text = filtered.content.decode()
    assert "Plh. Minister" in text and "Plt. Head of Bureau" not in text
    none = client.get(reverse("organisation:acting_list"), {"state": "upcoming"})
    assert "No acting assignment matches." in none.content.decode()
    bad = client.get(reverse("organisation:acting_list"), {"role": "nonsense"})
    assert bad.status_code == 200


def test_list_runs_a_fixed_number_of_queries(role_users, client_for, make_user):
    admin = role_users["admin"]
    client = client_for(admin)
    create(admin, role_users["staff"])
    client.get(reverse("organisation:acting_list"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("organisation:acting_list")).status_code == 200
    for n in range(8):
        create(admin, make_user(f"plh{n}"), role=Role.DEPUTY)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("organisation:acting_list"))
        assert response.status_code == 200
    assert response.content.decode().count("Plh. Deputy") == 8
    assert len(many) <= len(few)


def test_list_is_paginated(role_users, client_for, make_user):
    admin = role_users["admin"]
    for n in range(51):
        ActingAssignment.objects.create(
            user=role_users["staff"],
            role=Role.DEPUTY,
            kind="Plh",
            starts_on=today() + (2 * n) * DAY,
            ends_on=today() + (2 * n) * DAY,
            reason="Banyak.",
        )
    client = client_for(admin)
    first = client.get(reverse("organisation:acting_list")).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(reverse("organisation:acting_list"), {"page": 2}).content.decode()
    assert second.count("Banyak.") == 1


def test_create_screen(role_users, client_for):
    admin, staff = role_users["admin"], role_users["staff"]
    client = client_for(admin)
    form = client.get(reverse("organisation:acting_create")).content.decode()
    for label in ("Person who acts", "Acts as", "Kind", "From", "Until (included)", "Reason"):
        assert label in form
    assert 'value="staff"' not in form  # only the roles that review or sign
    data = {
        "user": staff.pk,
        "role": Role.DEPUTY,
        "kind": "Plt",
        "starts_on": today().isoformat(),
        "ends_on": (today() + 3 * DAY).isoformat(),
        "reason": "Deputi dinas luar negeri.",
    }
    bad = client.post(reverse("organisation:acting_create"), {**data, "ends_on": "2000-01-01"})
    assert bad.status_code == 200
    assert "The last day cannot be before the first day." in bad.content.decode()
    holder = client.post(
        reverse("organisation:acting_create"), {**data, "user": role_users["deputy"].pk}
    )
    assert "already holds the role" in holder.content.decode()
    response = client.post(reverse("organisation:acting_create"), data)
    assert response.status_code == 302
    assignment = ActingAssignment.objects.get()
    assert (assignment.user, assignment.role, assignment.kind) == (staff, "deputy", "Plt")
    overlap = client.post(reverse("organisation:acting_create"), data)
    assert "the periods overlap" in overlap.content.decode()
    assert ActingAssignment.objects.count() == 1


def test_end_early_screen_confirms_then_ends(role_users, client_for):
    admin = role_users["admin"]
    assignment = create(admin, role_users["staff"])
    client = client_for(admin)
    url = reverse("organisation:acting_end", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert "data-confirm" in page and "Last day" in page
    refused = client.post(url, {"last_day": (today() - DAY).isoformat()})
    assert "cannot be in the past" in refused.content.decode()
    response = client.post(url, {"last_day": today().isoformat()})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on == today()


def test_delete_screen_confirms_then_deletes(role_users, client_for):
    admin = role_users["admin"]
    assignment = create(admin, role_users["staff"])
    client = client_for(admin)
    url = reverse("organisation:acting_delete", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert "data-confirm" in page and "Kepala Biro cuti." in page
    assert client.post(url).status_code == 302
    assert not ActingAssignment.objects.exists()
    old = past(role_users["staff"], admin)
    url = reverse("organisation:acting_delete", args=[old.pk])
    refused = client.post(url)
    assert refused.status_code == 422 and "history" in refused.content.decode()
    assert ActingAssignment.objects.filter(pk=old.pk).exists()
    assert client.get(reverse("organisation:acting_delete", args=[9999])).status_code == 404
