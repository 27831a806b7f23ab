"""Every lifecycle event of a plan notifies the right side, in the app and by e-mail."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from rkpk.notifications.models import Notification
from rkpk.organisation.models import Role
from rkpk.plans import services
from rkpk.plans.tests.test_review_support import make_officials, make_plan, submitted_plan

# Events after a submission: the organisation lets operators submit directly (the unit
# head's approval and its notifications are tested in rkpk/plans/tests/test_head_approval.py).
pytestmark = pytest.mark.usefixtures("unit_head_approval_off")


@pytest.fixture
def officials(units):
    return make_officials(units)


def recipients(event: str) -> set[str]:
    return set(
        Notification.objects.filter(event=event).values_list("recipient__username", flat=True)
    )


UNIT_A = {"u_unit_operator", "u_unit_head"}
BUREAU = {"u_staff", "u_head_of_section"}


@pytest.mark.django_db
def test_submission_tells_the_bureau(units, officials, role_users):
    plan = make_plan(units["a"], officials)
    services.submit(actor=role_users["unit_operator"], plan=plan)
    assert recipients("plan.submitted") == BUREAU
    note = Notification.objects.filter(event="plan.submitted").first()
    assert "Biro A" in note.title and "version 1" in note.title
    assert note.url.endswith("/plans/E1.A/2027/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("decide", "event"),
    [
        (services.request_clarification, "plan.clarification"),
        (services.return_plan, "plan.returned"),
        (services.accept, "plan.accepted"),
    ],
)
def test_decisions_tell_the_unit_only(units, officials, role_users, decide, event):
    plan = submitted_plan(units, officials, role_users["unit_operator"])
    Notification.objects.all().delete()
    kwargs = {} if decide is services.accept else {"reasons": ["TARGET"]}
    decide(actor=role_users["head_of_bureau"], plan=plan, remarks="Catatan biro", **kwargs)
    assert recipients(event) == UNIT_A  # not operator_b, not the bureau
    assert Notification.objects.count() == 2
    body = Notification.objects.filter(event=event).first().body
    assert "Catatan biro" in body
    if kwargs:
        assert "Target kinerja belum diisi atau tidak valid" in body


@pytest.mark.django_db
def test_messages_tell_the_other_side(units, officials, role_users):
    plan = submitted_plan(units, officials, role_users["unit_operator"])
    Notification.objects.all().delete()
    services.post_message(actor=role_users["unit_head"], plan=plan, body="Pertanyaan unit")
    assert recipients("plan.message") == BUREAU
    Notification.objects.all().delete()
    services.post_message(actor=role_users["head_of_section"], plan=plan, body="Jawaban biro")
    assert recipients("plan.message") == UNIT_A


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_emails(units, officials, make_user):
    operator = make_user(
        "op_a", (Role.UNIT_OPERATOR, units["a"]), email="operator@unit-a.example.go.id"
    )
    make_user("head_a", (Role.UNIT_HEAD, units["a"]), email="head@unit-a.example.go.id")
    make_user("op_b", (Role.UNIT_OPERATOR, units["b"]), email="operator@unit-b.example.go.id")
    make_user("staff1", Role.STAFF, email="staff1@biro.example.go.id")
    reviewer = make_user("hob", Role.HEAD_OF_BUREAU, email="hob@biro.example.go.id")
    plan = make_plan(units["a"], officials)

    services.submit(actor=operator, plan=plan)
    assert mail.outbox == []  # queued, not sent in the request
    call_command("db_worker", batch=True, no_startup_delay=True, queue_name="*", verbosity=0)
    assert [m.to for m in mail.outbox] == [["staff1@biro.example.go.id"]]
    assert mail.outbox[0].subject.startswith("[RK-PK] Biro A submitted RK-PK 2027")
    assert "/plans/E1.A/2027/" in mail.outbox[0].body

    mail.outbox.clear()
    services.request_clarification(
        actor=reviewer, plan=plan, reasons=["SATUAN"], remarks="Lengkapi satuan"
    )
    services.post_message(
        actor=reviewer,
        plan=plan,
        body="Lihat lampiran",
        files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")],
    )
    call_command("db_worker", batch=True, no_startup_delay=True, queue_name="*", verbosity=0)
    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert [to for to, _subject in sent] == [
        "head@unit-a.example.go.id",
        "head@unit-a.example.go.id",
        "operator@unit-a.example.go.id",
        "operator@unit-a.example.go.id",
    ]
    assert any("Clarification requested" in subject for _to, subject in sent)
    assert any("New clarification message" in subject for _to, subject in sent)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    # Running the worker again sends nothing twice.
    mail.outbox.clear()
    call_command("db_worker", batch=True, no_startup_delay=True, queue_name="*", verbosity=0)
    assert mail.outbox == []
