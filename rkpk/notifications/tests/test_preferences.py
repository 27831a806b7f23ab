"""E-mail preferences: immediate, daily digest or none, respected by notify() and the digest."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rkpk.core.models import AuditEvent
from rkpk.notifications import digest, selectors, services, tasks
from rkpk.notifications.models import EmailChoice, Notification, NotificationPreference

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
IMMEDIATE_BACKEND = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_BACKEND


@pytest.fixture
def people(make_user):
    return {
        choice: make_user(f"p_{choice}", email=f"{choice}@example.go.id")
        for choice in ("immediate", "digest", "none", "default")
    }


def choose(user, email: str):
    return services.set_email_preference(actor=user, user=user, email=email)


def send(recipients, capture, title="Rencana diajukan", url="/plans/E1.A/2027/"):
    with capture(execute=True):
        return services.notify(recipients=recipients, event="plan.submitted", title=title, url=url)


def test_without_a_choice_everybody_is_emailed_at_once(people):
    preference = selectors.preference_for(people["default"])
    assert preference.email == EmailChoice.IMMEDIATE and preference.pk is None
    assert not NotificationPreference.objects.exists()  # created lazily, not on reading


def test_immediate_is_emailed_at_once_the_others_are_not(
    people, immediate_tasks, django_capture_on_commit_callbacks
):
    choose(people["immediate"], EmailChoice.IMMEDIATE)
    choose(people["digest"], EmailChoice.DIGEST)
    choose(people["none"], EmailChoice.NONE)
    created = send(people.values(), django_capture_on_commit_callbacks)
    assert len(created) == 4
    assert sorted(m.to[0] for m in mail.outbox) == [
        "default@example.go.id",
        "immediate@example.go.id",
    ]
    assert set(
        Notification.objects.filter(emailed_at__isnull=False).values_list(
            "recipient__username", flat=True
        )
    ) == {"p_immediate", "p_default"}


def test_only_immediate_recipients_are_queued(people, django_capture_on_commit_callbacks):
    choose(people["digest"], EmailChoice.DIGEST)
    choose(people["none"], EmailChoice.NONE)
    created = send(people.values(), django_capture_on_commit_callbacks)
    (queued,) = DBTaskResult.objects.all()
    ids = queued.args_kwargs["args"][0]
    by_user = {n.recipient.username: n.pk for n in created}
    assert sorted(ids) == sorted([by_user["p_immediate"], by_user["p_default"]])


def test_nobody_wanting_email_queues_nothing(people, django_capture_on_commit_callbacks):
    choose(people["none"], EmailChoice.NONE)
    send([people["none"]], django_capture_on_commit_callbacks)
    assert not DBTaskResult.objects.exists()
    assert Notification.objects.filter(recipient=people["none"]).count() == 1


def test_notify_queries_do_not_grow_with_the_recipients(make_user):
    few = [make_user(f"few{i}") for i in range(2)]
    many = [make_user(f"many{i}") for i in range(30)]
    for user in many[::3]:
        choose(user, EmailChoice.DIGEST)
    for user in many[1::3]:
        choose(user, EmailChoice.NONE)
    with CaptureQueriesContext(connection) as small:
        services.notify(recipients=few, event="x.y", title="A")
    with CaptureQueriesContext(connection) as large:
        services.notify(recipients=many, event="x.y", title="B")
    assert len(large.captured_queries) == len(small.captured_queries) <= 3
    assert Notification.objects.filter(title="B").count() == 30


def test_notify_still_skips_inactive_and_duplicate_recipients(make_user):
    user = make_user("dup")
    gone = make_user("gone", is_active=False)
    created = services.notify(
        recipients=[user, user, gone, None], event="x.y", title="T", url="/a/"
    )
    assert [n.recipient for n in created] == [user]
    assert created[0].url.endswith("/a/") and created[0].url.startswith("http")


def test_the_digest_lists_both_notifications_once(
    people, settings, immediate_tasks, django_capture_on_commit_callbacks
):
    settings.RKPK_BASE_URL = "https://rkpk.example.go.id"
    user = people["digest"]
    choose(user, EmailChoice.DIGEST)
    first = send([user], django_capture_on_commit_callbacks, title="Rencana Biro A diajukan")
    second = send([user], django_capture_on_commit_callbacks, title="Rapat dijadwalkan")
    assert mail.outbox == []  # nothing at once

    now = datetime(2026, 12, 3, 6, 0, tzinfo=JAKARTA)
    summary = digest.send_daily_digests(now=now + timedelta(days=1))
    assert summary == {"sent": 1, "notifications": 2, "skipped_no_address": 0}
    (message,) = mail.outbox
    assert message.to == ["digest@example.go.id"]
    assert message.subject == "RK-PK notification digest, 4 Desember 2026"
    assert "Rencana Biro A diajukan" in message.body and "Rapat dijadwalkan" in message.body
    local = timezone.localtime(first[0].created_at)
    assert f"{local:%H.%M} WIB" in message.body
    for note in (first[0], second[0]):
        assert f"https://rkpk.example.go.id/notifications/{note.pk}/open/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Rapat dijadwalkan" in html and "https://rkpk.example.go.id/notifications/" in html
    assert not Notification.objects.filter(recipient=user, emailed_at__isnull=True).exists()
    assert NotificationPreference.objects.get(user=user).last_digest_at is not None

    # Running again sends nothing new; a later notification goes in the next digest only.
    mail.outbox.clear()
    assert digest.send_daily_digests()["sent"] == 0
    assert mail.outbox == []
    send([user], django_capture_on_commit_callbacks, title="Dokumen ditandatangani")
    digest.send_daily_digests()
    (later,) = mail.outbox
    assert "Dokumen ditandatangani" in later.body and "Rapat dijadwalkan" not in later.body


def test_the_digest_task_runs_in_the_worker(people, immediate_tasks):
    user = people["digest"]
    choose(user, EmailChoice.DIGEST)
    services.notify(recipients=[user], event="meeting.scheduled", title="Rapat")
    result = tasks.send_daily_digests.enqueue()
    assert result.return_value["sent"] == 1
    assert len(mail.outbox) == 1
    assert tasks.send_daily_digests.enqueue().return_value["sent"] == 0


def test_no_email_means_never(people, immediate_tasks, django_capture_on_commit_callbacks):
    user = people["none"]
    choose(user, EmailChoice.NONE)
    send([user], django_capture_on_commit_callbacks)
    digest.send_daily_digests()
    assert mail.outbox == []
    # What came while no e-mail was wanted is not e-mailed after switching to the digest.
    choose(user, EmailChoice.DIGEST)
    digest.send_daily_digests()
    assert mail.outbox == []
    send([user], django_capture_on_commit_callbacks, title="Sesudah memilih ringkasan")
    digest.send_daily_digests()
    (message,) = mail.outbox
    assert "Sesudah memilih ringkasan" in message.body and "Rencana diajukan" not in message.body


def test_digest_users_without_an_address_are_skipped(make_user):
    user = make_user("noaddress")
    choose(user, EmailChoice.DIGEST)
    services.notify(recipients=[user], event="x.y", title="T")
    assert digest.send_daily_digests() == {"sent": 0, "notifications": 0, "skipped_no_address": 1}
    assert mail.outbox == []
    assert Notification.objects.get(recipient=user).emailed_at is None


def test_inactive_digest_users_get_nothing(make_user):
    user = make_user("leaver", email="leaver@example.go.id")
    choose(user, EmailChoice.DIGEST)
    services.notify(recipients=[user], event="x.y", title="T")
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert digest.send_daily_digests()["sent"] == 0


def test_the_digest_lists_at_most_a_hundred(make_user, monkeypatch):
    monkeypatch.setattr(digest, "MAX_LISTED", 3)
    user = make_user("busy", email="busy@example.go.id")
    choose(user, EmailChoice.DIGEST)
    for i in range(5):
        services.notify(recipients=[user], event="x.y", title=f"Pemberitahuan {i}")
    digest.send_daily_digests()
    (message,) = mail.outbox
    assert "Pemberitahuan 2" in message.body and "Pemberitahuan 3" not in message.body
    assert "and 2 more" in message.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_the_digest_is_written_in_the_sites_language(people, settings):
    settings.LANGUAGE_CODE = "id"
    user = people["digest"]
    choose(user, EmailChoice.DIGEST)
    services.notify(recipients=[user], event="x.y", title="T")
    digest.send_daily_digests(now=datetime(2026, 8, 17, 6, 0, tzinfo=JAKARTA))
    (message,) = mail.outbox
    assert message.subject.endswith(", 17 Agustus 2026")
    assert 'lang="id"' in message.alternatives[0][0]


def test_the_immediate_task_respects_a_later_change_of_mind(
    people, immediate_tasks, django_capture_on_commit_callbacks
):
    user = people["immediate"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(recipients=[user], event="x.y", title="T")
    choose(user, EmailChoice.NONE)
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_format_datetime_id():
    moment = datetime(2026, 11, 25, 7, 5, tzinfo=ZoneInfo("UTC"))
    assert digest.format_datetime_id(moment) == "25 November 2026 14.05 WIB"


def test_choosing_is_audited_and_only_for_oneself(people):
    me, other = people["default"], people["digest"]
    preference = choose(me, EmailChoice.DIGEST)
    assert preference.digest_since is not None
    event = AuditEvent.objects.get(action="notifications.preference_changed")
    assert event.before == {"email": "immediate"} and event.after == {"email": "digest"}
    choose(me, EmailChoice.DIGEST)  # no change, no event
    assert AuditEvent.objects.filter(action="notifications.preference_changed").count() == 1
    with pytest.raises(PermissionDenied):
        services.set_email_preference(actor=other, user=me, email=EmailChoice.NONE)
    with pytest.raises(ValidationError):
        choose(me, "weekly")
    assert NotificationPreference.objects.get(user=me).email == EmailChoice.DIGEST


def test_digest_since_stays_while_the_digest_stays(people):
    me = people["default"]
    first = choose(me, EmailChoice.DIGEST).digest_since
    choose(me, EmailChoice.DIGEST)
    assert NotificationPreference.objects.get(user=me).digest_since == first
    choose(me, EmailChoice.IMMEDIATE)
    assert choose(me, EmailChoice.DIGEST).digest_since > first
