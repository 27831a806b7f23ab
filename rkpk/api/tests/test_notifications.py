"""The notifications API: only ever the caller's own notifications and preference."""

import pytest
from django.test import Client

from rkpk.api import services as api_services
from rkpk.notifications.models import EmailChoice, Notification, NotificationPreference

from .conftest import API

pytestmark = pytest.mark.django_db
N = f"{API}/notifications"
ROLES = ["staff", "head_of_bureau", "unit_operator", "operator_b", "viewer", "nobody"]


def add(user, n: int = 1, event: str = "plan.submitted", **fields):
    return Notification.objects.bulk_create(
        Notification(recipient=user, event=event, title=f"{event} {i}", **fields) for i in range(n)
    )


@pytest.mark.parametrize("who", ROLES)
def test_each_role_sees_and_marks_only_its_own(role_users, api_as, who):
    me = role_users[who]
    other = role_users["minister"]
    mine = add(me, 2)
    (theirs,) = add(other)
    client = api_as(me)

    listing = client.get(N).json()
    assert listing["count"] == 2
    assert {item["id"] for item in listing["items"]} == {n.pk for n in mine}
    assert listing["items"][0]["area"] == "plan" and listing["items"][0]["read"] is False

    response = client.post(f"{N}/{mine[0].pk}/read")
    assert response.status_code == 200 and response.json()["read"] is True
    assert client.get(N, {"show": "unread"}).json()["count"] == 1
    assert client.get(N, {"show": "read"}).json()["count"] == 1
    response = client.post(f"{N}/{mine[0].pk}/unread")
    assert response.status_code == 200 and response.json()["read_at"] is None

    for url in (f"{N}/{theirs.pk}", f"{N}/{theirs.pk}/read", f"{N}/{theirs.pk}/unread"):
        call = client.get if url.endswith(str(theirs.pk)) else client.post
        assert call(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None

    response = client.post(f"{N}/read-all")
    assert response.json() == {"marked": 2, "unread": 0}
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1
    assert client.get(f"{N}/unread-count").json() == {"unread": 0}


def test_an_unknown_id_is_404(role_users, api_as):
    response = api_as(role_users["staff"]).post(f"{N}/999999/read")
    assert response.status_code == 404


def test_filters_and_pagination(role_users, api_as):
    me = role_users["staff"]
    add(me, 5, "meeting.scheduled")
    add(me, 3, "plans.reminder.late", read_at="2026-11-25T08:00:00+07:00")
    client = api_as(me)
    assert client.get(N, {"event": "plan"}).json()["count"] == 3
    assert client.get(N, {"event": "meeting", "show": "read"}).json()["count"] == 0
    page = client.get(N, {"limit": 2, "offset": 6}).json()
    assert page["count"] == 8 and len(page["items"]) == 2
    assert client.get(N, {"show": "sideways"}).status_code == 422


def test_anonymous_callers_get_401():
    client = Client()
    assert client.get(N).status_code == 401
    assert client.post(f"{N}/read-all").status_code == 401
    assert client.get(f"{N}/preferences").status_code == 401


@pytest.mark.parametrize("who", ["staff", "unit_head", "viewer", "nobody"])
def test_preferences_are_ones_own(role_users, api_as, who):
    me = role_users[who]
    client = api_as(me)
    assert client.get(f"{N}/preferences").json()["email"] == "immediate"
    response = client.put(f"{N}/preferences", {"email": "digest"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["email"] == "digest" and response.json()["digest_since"]
    assert NotificationPreference.objects.get(user=me).email == EmailChoice.DIGEST
    assert not NotificationPreference.objects.exclude(user=me).exists()
    assert client.get(f"{N}/preferences").json()["email"] == "digest"


def test_a_bad_preference_is_422(role_users, api_as):
    response = api_as(role_users["staff"]).put(
        f"{N}/preferences", {"email": "weekly"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email"


def test_tokens_reach_only_their_owners_notifications(role_users):
    me, other = role_users["unit_head"], role_users["staff"]
    (mine,) = add(me)
    (theirs,) = add(other)
    secret = api_services.create_token(actor=me, user=me, name="t", days=1).secret
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert [item["id"] for item in client.get(N).json()["items"]] == [mine.pk]
    assert client.post(f"{N}/{theirs.pk}/read").status_code == 404
    assert client.post(f"{N}/{mine.pk}/read").status_code == 200


def test_the_list_queries_do_not_grow(role_users, api_as, django_assert_max_num_queries):
    me = role_users["staff"]
    client = api_as(me)
    add(me, 2)
    with django_assert_max_num_queries(8) as small:
        assert client.get(N).status_code == 200
    add(me, 60, "meeting.scheduled")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(N, {"limit": 50})
    assert response.status_code == 200 and len(response.json()["items"]) == 50
