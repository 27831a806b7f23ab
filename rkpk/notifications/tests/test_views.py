"""The notification list, opening a notification (no open redirect), mark all read, the bell."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from rkpk.notifications.models import Notification
from rkpk.notifications.templatetags.notification_tags import unread_count
from rkpk.notifications.views import safe_target

pytestmark = pytest.mark.django_db


def notify_user(user, n: int = 1, **fields):
    return Notification.objects.bulk_create(
        Notification(recipient=user, event="plan.submitted", title=f"Pemberitahuan {i}", **fields)
        for i in range(n)
    )


def test_anonymous_users_must_log_in(client):
    for name in ("notifications:list", "notifications:mark_all_read"):
        response = client.get(reverse(name))
        assert response.status_code in (302, 405)
    response = client.get(reverse("notifications:list"))
    assert "/accounts/login/" in response["Location"]


def test_the_list_shows_only_my_notifications_newest_first(role_users, client_for):
    me, other = role_users["unit_operator"], role_users["staff"]
    Notification.objects.create(recipient=me, event="x", title="Lama", body="isi <b>tebal</b>")
    Notification.objects.create(recipient=me, event="x", title="Baru")
    Notification.objects.create(recipient=other, event="x", title="Milik orang lain")
    response = client_for(me).get(reverse("notifications:list"))
    text = response.content.decode()
    assert response.status_code == 200
    assert text.index("Baru") < text.index("Lama")
    assert "Milik orang lain" not in text
    assert "isi &lt;b&gt;tebal&lt;/b&gt;" in text
    assert "2 unread" in text and "Mark all as read" in text


def test_the_list_is_paginated_and_filters_unread(role_users, client_for):
    me = role_users["viewer"]
    notify_user(me, 30)
    Notification.objects.filter(
        recipient=me, title__in=["Pemberitahuan 0", "Pemberitahuan 1"]
    ).update(read_at="2026-01-05T08:00:00+07:00")
    client = client_for(me)
    first = client.get(reverse("notifications:list"))
    assert len(first.context["notifications"]) == 25
    assert len(client.get(reverse("notifications:list"), {"page": 2}).context["notifications"]) == 5
    unread = client.get(reverse("notifications:list"), {"show": "unread"})
    assert unread.context["page"].paginator.count == 28
    assert "show=unread&page=2" in unread.content.decode()


def test_the_list_query_count_does_not_grow(role_users, client_for, django_assert_max_num_queries):
    me = role_users["staff"]
    client = client_for(me)
    notify_user(me, 2)
    with django_assert_max_num_queries(9) as small:
        assert client.get(reverse("notifications:list")).status_code == 200
    notify_user(me, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("notifications:list")).status_code == 200


def test_opening_marks_read_and_follows_the_link(role_users, client_for, settings):
    settings.RKPK_BASE_URL = "https://rkpk.example.go.id"
    me = role_users["unit_head"]
    (note,) = notify_user(me, url="https://rkpk.example.go.id/plans/E1.A/2027/?tab=1")
    response = client_for(me).get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/plans/E1.A/2027/?tab=1"
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example.com/plans/",
        "//evil.example.com/",
        "/\\evil.example.com/",
        "https://rkpk.example.go.id.evil.com/x",
        "javascript:alert(1)",
        "plans/relative-without-slash",
        "",
    ],
)
def test_opening_never_redirects_off_the_site(role_users, client_for, settings, target):
    settings.RKPK_BASE_URL = "https://rkpk.example.go.id"
    me = role_users["staff"]
    (note,) = notify_user(me, url=target)
    response = client_for(me).get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    note.refresh_from_db()
    assert note.read_at is not None


def test_safe_target_keeps_paths_on_the_site(settings):
    settings.RKPK_BASE_URL = "http://127.0.0.1:8000/"
    assert safe_target("/plans/E1.A/2027/") == "/plans/E1.A/2027/"
    assert safe_target("http://127.0.0.1:8000") == "/"
    assert safe_target("http://127.0.0.1:8000/notifications/") == "/notifications/"
    assert safe_target("http://127.0.0.1:80000/x") is None


def test_someone_elses_notification_is_404(role_users, client_for):
    (note,) = notify_user(role_users["staff"])
    response = client_for(role_users["operator_b"]).get(
        reverse("notifications:open", args=[note.pk])
    )
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_marks_only_mine(role_users, client_for):
    me, other = role_users["deputy"], role_users["minister"]
    notify_user(me, 3)
    notify_user(other, 2)
    client = client_for(me)
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "3 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 2


def test_unread_count_and_the_bell(role_users, rf, django_assert_num_queries):
    me = role_users["nobody"]
    notify_user(me, 4)
    Notification.objects.filter(recipient=me, title="Pemberitahuan 0").update(
        read_at="2026-01-05T08:00:00+07:00"
    )
    with django_assert_num_queries(1):
        assert unread_count(me) == 3
        assert unread_count(me) == 3  # cached on the user for the request
    fresh = type(me).objects.get(pk=me.pk)
    html = Template("{% load notification_tags %}{% notification_bell %}").render(
        Context({"user": fresh})
    )
    assert reverse("notifications:list") in html and ">3<" in html
    count = Template(
        "{% load notification_tags %}{% unread_notification_count as n %}[{{ n }}]"
    ).render(Context({"user": fresh}))
    assert count == "[3]"


def test_the_bell_is_quiet_when_all_is_read(role_users):
    from django.contrib.auth.models import AnonymousUser

    html = Template("{% load notification_tags %}{% notification_bell %}").render(
        Context({"user": role_users["staff"]})
    )
    assert "Notifications" in html and "badge" not in html
    anonymous = Template("{% load notification_tags %}{% notification_bell %}").render(
        Context({"user": AnonymousUser()})
    )
    assert anonymous.strip() == ""
