"""The notification centre: filters, read/unread toggles, empty states and the e-mail settings."""

import pytest
from django.urls import reverse

from rkpk.notifications.models import EmailChoice, Notification, NotificationPreference

pytestmark = pytest.mark.django_db
LIST = "/notifications/"


def add(user, n: int = 1, event: str = "plan.submitted", **fields):
    return Notification.objects.bulk_create(
        Notification(recipient=user, event=event, title=f"{event} {i}", **fields) for i in range(n)
    )


def titles(response) -> set[str]:
    return {n.title for n in response.context["notifications"]}


def test_urls():
    assert reverse("notifications:list") == LIST
    assert reverse("notifications:settings") == "/notifications/settings/"
    assert reverse("notifications:toggle_read", args=[7]) == "/notifications/7/toggle-read/"


@pytest.mark.parametrize("who", ["staff", "unit_operator", "head_of_bureau", "viewer", "nobody"])
def test_every_signed_in_user_has_a_centre(role_users, client_for, who):
    me = role_users[who]
    add(me)
    client = client_for(me)
    assert client.get(LIST).status_code == 200
    assert client.get(reverse("notifications:settings")).status_code == 200


def test_anonymous_users_are_sent_to_log_in(client):
    for url in (LIST, reverse("notifications:settings")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("notifications:toggle_read", args=[1]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_filters_read_unread_and_type(role_users, client_for):
    me = role_users["staff"]
    add(me, 2, "plan.submitted")
    add(me, 1, "plans.reminder.late")
    add(me, 1, "meeting.scheduled", read_at="2026-11-25T08:00:00+07:00")
    add(role_users["viewer"], 1, "correspondence.dispatched")
    client = client_for(me)
    everything = client.get(LIST)
    assert len(titles(everything)) == 4
    assert everything.context["areas"] == [("meeting", "Meetings"), ("plan", "Unit plans")]
    assert titles(client.get(LIST, {"show": "read"})) == {"meeting.scheduled 0"}
    assert len(titles(client.get(LIST, {"show": "unread"}))) == 3
    plans = client.get(LIST, {"event": "plan"})
    assert titles(plans) == {"plan.submitted 0", "plan.submitted 1", "plans.reminder.late 0"}
    assert titles(client.get(LIST, {"event": "plan", "show": "read"})) == set()
    # Unknown values fall back to everything rather than failing.
    assert len(titles(client.get(LIST, {"show": "bogus", "event": "correspondence"}))) == 4
    text = client.get(LIST, {"event": "meeting"}).content.decode()
    assert 'option value="meeting" selected' in text and "Reset" in text


def test_the_filters_survive_pagination(role_users, client_for):
    me = role_users["staff"]
    add(me, 30, "meeting.scheduled")
    add(me, 2, "plan.submitted")
    response = client_for(me).get(LIST, {"show": "unread", "event": "meeting"})
    assert response.context["page"].paginator.count == 30
    assert "show=unread&amp;event=meeting&page=2" in response.content.decode()


def test_toggle_read_and_unread(role_users, client_for):
    me = role_users["unit_head"]
    (note,) = add(me)
    client = client_for(me)
    url = reverse("notifications:toggle_read", args=[note.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"next": "/notifications/?show=unread&page=2"})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/?show=unread&page=2"
    note.refresh_from_db()
    assert note.read_at is not None
    response = client.post(url, follow=True)
    assert "Marked as unread" in response.content.decode()
    note.refresh_from_db()
    assert note.read_at is None


@pytest.mark.parametrize(
    "target", ["https://evil.example.com/", "//evil.example.com/", "/plans/", "/\\evil.com"]
)
def test_toggle_returns_only_to_the_list(role_users, client_for, target):
    me = role_users["staff"]
    (note,) = add(me)
    response = client_for(me).post(
        reverse("notifications:toggle_read", args=[note.pk]), {"next": target}
    )
    assert response["Location"] == LIST


def test_someone_elses_notification_cannot_be_toggled(role_users, client_for):
    (note,) = add(role_users["staff"])
    response = client_for(role_users["operator_b"]).post(
        reverse("notifications:toggle_read", args=[note.pk])
    )
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_returns_to_the_filtered_list(role_users, client_for):
    me = role_users["staff"]
    add(me, 3)
    response = client_for(me).post(
        reverse("notifications:mark_all_read"), {"next": "/notifications/?event=plan"}
    )
    assert response["Location"] == "/notifications/?event=plan"
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()


def test_list_items_have_labelled_toggles_and_indonesian_times(role_users, client_for):
    me = role_users["staff"]
    (note,) = add(me)
    Notification.objects.filter(pk=note.pk).update(created_at="2026-11-25T07:05:00+00:00")
    text = client_for(me).get(LIST).content.decode()
    assert "25 November 2026 14.05 WIB" in text
    assert "Mark as read" in text and 'class="visually-hidden">: plan.submitted 0' in text
    assert 'data-confirm="Mark all your notifications as read?"' in text
    assert reverse("notifications:settings") in text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "You have no notification yet."),
        ({"show": "unread"}, "No unread notification."),
        ({"show": "read"}, "No read notification."),
    ],
)
def test_empty_states(role_users, client_for, params, message):
    text = client_for(role_users["viewer"]).get(LIST, params).content.decode()
    assert message in text


def test_page_queries_do_not_grow(role_users, client_for, django_assert_max_num_queries):
    me = role_users["head_of_section"]
    client = client_for(me)
    add(me, 2, "plan.submitted")
    add(me, 1, "meeting.scheduled")
    with django_assert_max_num_queries(12) as small:
        assert client.get(LIST, {"event": "plan", "show": "unread"}).status_code == 200
    for event in ("plan.submitted", "meeting.cancelled", "correspondence.dispatched", "x.y"):
        add(me, 20, event)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(LIST, {"event": "plan", "show": "unread"}).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(LIST).status_code == 200


def test_the_settings_page_saves_the_choice(role_users, client_for):
    me = role_users["unit_operator"]
    client = client_for(me)
    page = client.get(reverse("notifications:settings"))
    text = page.content.decode()
    for value, label in (
        ("immediate", "Immediately"),
        ("digest", "Daily digest"),
        ("none", "No e-mail"),
    ):
        assert f'id="id_email_{value}"' in text and f'for="id_email_{value}">{label}<' in text
    assert 'value="immediate" aria-describedby="id_email_immediate_help" checked' in text
    assert "no e-mail address" in text  # the fixture's users have none
    response = client.post(reverse("notifications:settings"), {"email": "digest"}, follow=True)
    assert "Your e-mail preference is saved." in response.content.decode()
    assert NotificationPreference.objects.get(user=me).email == EmailChoice.DIGEST
    again = client.get(reverse("notifications:settings")).content.decode()
    assert 'value="digest" aria-describedby="id_email_digest_help" checked' in again


def test_the_settings_page_refuses_unknown_choices(role_users, client_for):
    me = role_users["staff"]
    response = client_for(me).post(reverse("notifications:settings"), {"email": "weekly"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=me).exists()


def test_the_settings_page_queries(role_users, client_for, django_assert_max_num_queries):
    client = client_for(role_users["staff"])
    with django_assert_max_num_queries(8):
        assert client.get(reverse("notifications:settings")).status_code == 200
